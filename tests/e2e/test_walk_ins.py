"""Walk-ins over the fake Bot API with the injected clock: people registered but not
signed up who open the check-in link (kk, ru, en) are not checked in; the scan is
recorded once and shown in the coordinator's roster as "scanned, not signed up"; the
coordinator accepts (present: attended, hours as for a hand mark) or dismisses, after a
confirmation, audited, and the person is told in their language; stale and forged
presses, and decisions on a cancelled task, change nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.attendance import format_hours
from bot.attendance.callbacks import AttendanceCb
from emulator import FakeMessage, FakeTelegram, FakeUser
from storage.models import WalkIn
from tests.support.attendance import COORDINATOR, qr_link, rows, task_with_people, volunteer_row
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, register, wait_text
from tests.support.e2e import RunningBot

WALK_IN = ("You are not signed up for this task, so I cannot check you in myself. Its coordinator sees that you "
           "are here and will decide; I will let you know.")
ACCEPTED = "The coordinator has accepted you as present at this task."
DISMISSED = ("The coordinator could not accept you at this task, as you were not signed up for it. "
             "Thank you for coming all the same!")


async def walk_ins(bot: RunningBot, task_id: int) -> dict[int, WalkIn]:
    async with bot.services.db.sessionmaker() as session:
        found = await session.scalars(select(WalkIn).where(WalkIn.task_id == task_id))
        return {row.volunteer_id: row for row in found}


async def wait_button(user: FakeUser, text: str) -> FakeMessage:
    return await user.wait_for_message(lambda m: text in m.button_texts())


async def open_roster(coordinator: FakeUser, task_id: int) -> None:
    """Press "Attendance" (as the task's card has it) on the coordinator's last text message."""
    last = next(m for m in reversed(coordinator.messages) if m.text)
    await coordinator.press_data(AttendanceCb(action="roster", task_id=task_id).pack(), last.message_id)


async def test_walk_ins_accepted_or_dismissed_in_three_languages(bot: RunningBot, fake: FakeTelegram,
                                                                 clock: ManualClock) -> None:
    ru = Texts(bot, "ru")
    coordinator, task, [(going, going_id)] = await task_with_people(bot, fake, ["ru"])
    code = await qr_link(coordinator, ru, task.title)
    people: list[tuple[FakeUser, int]] = []
    for offset, locale in enumerate(["kk", "ru", "en"]):
        telegram_id = 863_000 + offset
        volunteer_id = await register(bot, telegram_id, name=f"Келген {offset} {locale}", locale=locale)
        people.append((fake.user(telegram_id, language_code=locale), volunteer_id))
    (kk, kk_id), (ru_user, ru_id), (en, en_id) = people
    scanned_at = clock.now()  # 30 minutes before the start: the window is open
    await going.send_text(f"/start {code}")
    await wait_text(going, ru("You are checked in at {time}.", time=bot.services.local_time.time(scanned_at, "ru")))
    for user, _volunteer_id in people:
        t = Texts(bot, user.language_code)
        await user.send_text(f"/start {code}")
        reply = await wait_text(user, t(WALK_IN))
        assert task.title in reply.text
    clock.advance(minutes=5)
    await kk.send_text(f"/start {code}")  # again: the first scan stands, recorded once
    await wait_text(kk, Texts(bot, "kk")(WALK_IN))
    found = await walk_ins(bot, task.id)
    assert set(found) == {kk_id, ru_id, en_id}
    assert {row.status for row in found.values()} == {"pending"} and found[kk_id].scanned_at == scanned_at
    assert set(await rows(bot, task.id)) == {going_id}  # nobody else checked in
    # The roster: the going volunteer, then the three who scanned, waiting.
    await open_roster(coordinator, task.id)
    roster = await wait_text(coordinator, ru("Scanned, not signed up"))
    assert roster.text.count("⏳ " + ru("waiting for your decision")) == 3
    assert "2. Келген 0 kk — " + ru("scanned at {time}", time=bot.services.local_time.time(scanned_at, "ru")) \
        in roster.text
    assert {"✅ 2", "🚫 2", "✅ 3", "🚫 3", "✅ 4", "🚫 4", "✋ 1"} <= set(roster.button_texts())
    # Accept kk: a confirmation first; "Back" leaves everything as it was.
    await coordinator.press("✅ 2")
    confirm = await wait_button(coordinator, "✅ " + ru("Yes, accept"))
    assert "Келген 0 kk" in confirm.text
    await coordinator.press("⬅️ " + ru("Back"), message_id=confirm.message_id)
    await wait_text(coordinator, ru("Scanned, not signed up"))
    assert (await walk_ins(bot, task.id))[kk_id].status == "pending"
    await coordinator.press("✅ 2")
    await wait_button(coordinator, "✅ " + ru("Yes, accept"))
    press = await coordinator.press("✅ " + ru("Yes, accept"))
    assert (await answer_of(fake, press))["text"] == ru("Accepted as present.")
    after = await wait_text(coordinator, "✅ " + ru("accepted as present"))
    assert "✅ 2" not in after.button_texts()
    told = await wait_text(kk, Texts(bot, "kk")(ACCEPTED))
    assert task.title in told.text
    # Dismiss ru.
    await coordinator.press("🚫 3")
    await wait_button(coordinator, "🚫 " + ru("Yes, dismiss"))
    press = await coordinator.press("🚫 " + ru("Yes, dismiss"))
    assert (await answer_of(fake, press))["text"] == ru("Dismissed.")
    await wait_text(coordinator, "🚫 " + ru("dismissed"))
    await wait_text(ru_user, ru(DISMISSED))
    # Stale presses (decided already) and a forged one (no such scan) change nothing.
    for action, volunteer_id in (("wi_yes", kk_id), ("wi_no", kk_id), ("wi_yes", ru_id), ("wi_ask_no", kk_id),
                                 ("wi_yes", going_id)):
        press = await coordinator.press_data(AttendanceCb(action=action, task_id=task.id,
                                                          volunteer_id=volunteer_id).pack(), after.message_id)
        answer = await answer_of(fake, press)
        assert answer.get("show_alert") and answer["text"] == ru("This person has already been decided on.")
    statuses = {vid: row.status for vid, row in (await walk_ins(bot, task.id)).items()}
    assert statuses == {kk_id: "accepted", ru_id: "dismissed", en_id: "pending"}
    # Scanning again says where they stand.
    await kk.send_text(f"/start {code}")
    await wait_text(kk, Texts(bot, "kk")(ACCEPTED))
    await ru_user.send_text(f"/start {code}")
    await wait_text(ru_user, ru("You are not signed up for this task, so I cannot check you in. "
                                "Please speak to its coordinator there."))
    # The end: the accepted one attended with the task's hours; en is still undecided.
    clock.set(task.ends_at + timedelta(minutes=1))
    assert await bot.services.hours.close_due() == 1
    written = await rows(bot, task.id)
    assert written[kk_id].outcome == "attended" and written[kk_id].hours == 3.0 and written[kk_id].mark == "present"
    assert ru_id not in written and en_id not in written
    notice = await wait_text(coordinator, ru("The task is over; attendance is recorded."))
    assert ru("Attended: {count}", count=2) in notice.text
    # Accepted after the end: attended at once, with the hours of a hand mark.
    await open_roster(coordinator, task.id)
    await wait_text(coordinator, ru("Scanned, not signed up"))
    await coordinator.press("✅ 4")
    await wait_button(coordinator, "✅ " + ru("Yes, accept"))
    await coordinator.press("✅ " + ru("Yes, accept"))
    decided = await coordinator.wait_for_message(
        lambda m: (m.text or "").count("✅ " + ru("accepted as present")) == 2)
    await wait_text(en, Texts(bot, "en")(ACCEPTED))
    written = await rows(bot, task.id)
    assert written[en_id].outcome == "attended" and written[en_id].hours == 3.0
    # Their hours are approved with everyone's; each is thanked in their language.
    await coordinator.press_data(AttendanceCb(action="hours", task_id=task.id).pack(), decided.message_id)
    await wait_text(coordinator, ru("✅ approved · ⏳ waiting for approval"))
    await coordinator.press("✅ " + ru("Approve all hours"))
    for user, volunteer_id in ((kk, kk_id), (en, en_id)):
        t = Texts(bot, user.language_code)
        thanks = await wait_text(user, t("Thank you for your help!"))
        assert t("Hours counted: {hours}", hours=format_hours(3.0, user.language_code)) in thanks.text
        assert (await volunteer_row(bot, volunteer_id)).hours == 3.0
    assert (await volunteer_row(bot, ru_id)).hours == 0
    # Audited: each first scan (by the person) and each decision (by the coordinator).
    entries = [(entry.actor_telegram_id, entry.action) for entry in await audit(bot, "attendance.")
               if entry.action in ("attendance.scan", "attendance.walk_in")]
    assert entries == [(kk.id, "attendance.scan"), (ru_user.id, "attendance.scan"), (en.id, "attendance.scan"),
                       (COORDINATOR, "attendance.walk_in"), (COORDINATOR, "attendance.walk_in"),
                       (COORDINATOR, "attendance.walk_in")]
    await everything_accepted(fake)


async def test_walk_in_rights_and_refusals(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    coordinator, task, _people = await task_with_people(bot, fake, ["ru"], starts_in=timedelta(days=1))
    ru = Texts(bot, "ru")
    code = "ci_" + await bot.services.checkins.code_for(task.id)
    walker_id = await register(bot, 864_001, locale="ru")
    walker = fake.user(864_001, language_code="ru")
    # Too early: not recorded.
    await walker.send_text(f"/start {code}")
    await wait_text(walker, ru("Check-in for this task opens at {time}.", time=bot.services.local_time.datetime(
        task.starts_at - timedelta(hours=1), "ru", "long")))
    assert await walk_ins(bot, task.id) == {}
    clock.set(task.starts_at)
    await walker.send_text(f"/start {code}")
    await wait_text(walker, ru(WALK_IN))
    # The walker forging the coordinator's button: refused (only coordinators).
    press = await walker.press_data(AttendanceCb(action="wi_yes", task_id=task.id, volunteer_id=walker_id).pack(), 1)
    assert (await answer_of(fake, press))["text"] == ru("Sorry, only coordinators can do this.")
    # A coordinator of another region: refused and audited.
    await bot.services.access.grant(864_002, "coordinator", region="KZ-71")
    other = fake.user(864_002, language_code="ru")
    for action in ("wi_ask_yes", "wi_yes", "wi_no"):
        press = await other.press_data(AttendanceCb(action=action, task_id=task.id, volunteer_id=walker_id).pack(), 1)
        assert (await answer_of(fake, press))["text"] == ru("Sorry, this task belongs to another region's coordinators.")
    refused = [(entry.actor_telegram_id, entry.action) for entry in await audit(bot, "attendance.walk_in")
               if not entry.allowed]
    assert refused == [(walker.id, "attendance.walk_in")] + [(other.id, "attendance.walk_in")] * 3
    # A task that no longer exists, and a cancelled one: nothing decided.
    press = await coordinator.press_data(AttendanceCb(action="wi_yes", task_id=999_999, volunteer_id=walker_id).pack(),
                                         1)
    assert (await answer_of(fake, press)).get("text")
    await bot.services.tasks.cancel(task.id, COORDINATOR)
    press = await coordinator.press_data(AttendanceCb(action="wi_yes", task_id=task.id, volunteer_id=walker_id).pack(),
                                         1)
    assert (await answer_of(fake, press))["text"] == ru("This task has been cancelled, so there is no check-in.")
    assert (await walk_ins(bot, task.id))[walker_id].status == "pending"
    assert await rows(bot, task.id) == {}
    await everything_accepted(fake)
