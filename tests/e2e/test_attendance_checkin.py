"""Check-in and check-out by the task's QR link over the fake Bot API, with the
injected clock: in kk, ru and en; a second opening checks out, "I'm leaving" too, a
third does nothing; without a check-out the end of the task checks people out; the
coordinator is told when attendance is written."""

from __future__ import annotations

from datetime import timedelta

from bot.attendance import format_hours
from bot.attendance.callbacks import CheckinCb
from emulator import FakeTelegram
from tests.support.attendance import COORDINATOR, qr_link, rows, task_with_people
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot


async def test_checkin_and_checkout_by_the_link_in_three_languages(bot: RunningBot, fake: FakeTelegram,
                                                                   clock: ManualClock) -> None:
    ru = Texts(bot, "ru")
    coordinator, task, people = await task_with_people(bot, fake, ["kk", "ru", "en"])
    code = await qr_link(coordinator, ru, task.title)
    local = bot.services.local_time
    checked_in_at = clock.now()  # 30 minutes before the start: the window is open
    for user, _volunteer in people:
        t = Texts(bot, user.language_code)
        await user.send_text(f"/start {code}")
        reply = await wait_text(user, t("You are checked in at {time}.", time=local.time(checked_in_at, "en")))
        assert task.title in reply.text and "🚪 " + t("I'm leaving") in reply.button_texts()
    (kk, kk_id), (ru_user, ru_id), (en, en_id) = people
    clock.advance(hours=2)  # 1.5 h into the task
    await ru_user.press("🚪 " + Texts(bot, "ru")("I'm leaving"))
    await wait_text(ru_user, Texts(bot, "ru")("You are checked out at {time}. Thank you!",
                                              time=local.time(clock.now(), "ru")))
    await kk.send_text(f"/start {code}")  # opening it again checks out
    await wait_text(kk, Texts(bot, "kk")("You are checked out at {time}. Thank you!",
                                         time=local.time(clock.now(), "kk")))
    out_at = clock.now()
    clock.advance(minutes=10)
    await kk.send_text(f"/start {code}")  # a second check-out changes nothing
    await wait_text(kk, Texts(bot, "kk")("You have already checked out of this task at {time}.",
                                         time=local.time(out_at, "kk")))
    # The old button again (its keyboard is gone; a client may still send it).
    again = await ru_user.press_data(CheckinCb(action="leave", task_id=task.id).pack(),
                                     ru_user.messages[-1].message_id)
    alert = await answer_of(fake, again)
    ru_out_at = (await rows(bot, task.id))[ru_id].checked_out_at
    assert alert.get("show_alert") and alert["text"] == ru("You have already checked out of this task at {time}.",
                                                           time=local.time(ru_out_at, "ru"))
    before = await rows(bot, task.id)
    assert before[kk_id].checked_out_at == out_at and before[en_id].checked_out_at is None
    # The end: the scheduler's job writes attendance; no check-out means out at the end.
    clock.set(task.ends_at + timedelta(minutes=1))
    assert await bot.services.hours.close_due() == 1
    assert await bot.services.hours.close_due() == 0  # once
    after = await rows(bot, task.id)
    assert after[en_id].checked_out_at == task.ends_at
    assert {row.outcome for row in after.values()} == {"attended"}
    # Clamped to the task's time: in before the start counts from the start.
    assert after[kk_id].hours == after[ru_id].hours == 1.5 and after[en_id].hours == 3.0
    notice = await wait_text(coordinator, ru("The task is over; attendance is recorded."))
    assert ru("Attended: {count}", count=3) in notice.text and "🕒 " + ru("Hours") in notice.button_texts()
    # Approved in one tap: each is thanked in their own language, with their hours.
    await coordinator.press("🕒 " + ru("Hours"), message_id=notice.message_id)
    await wait_text(coordinator, ru("✅ approved · ⏳ waiting for approval"))
    await coordinator.press("✅ " + ru("Approve all hours"))
    for user, volunteer_id in people:
        t = Texts(bot, user.language_code)
        thanks = await wait_text(user, t("Thank you for your help!"))
        hours = format_hours(after[volunteer_id].hours, user.language_code)
        assert t("Hours counted: {hours}", hours=hours) in thanks.text
        assert thanks.button_texts() == ["1⭐", "2⭐", "3⭐", "4⭐", "5⭐"]
    await en.send_text(f"/start {code}")  # after the end
    await wait_text(en, Texts(bot, "en")("You have already checked out of this task at {time}.",
                                         time=local.time(task.ends_at, "en")))
    await everything_accepted(fake)
    assert COORDINATOR == coordinator.id


async def test_the_code_is_unguessable_and_the_same_for_the_task(bot: RunningBot, fake: FakeTelegram,
                                                                 clock: ManualClock) -> None:
    ru = Texts(bot, "ru")
    coordinator, task, _people = await task_with_people(bot, fake, ["ru"])
    first = await qr_link(coordinator, ru, task.title)
    second = await qr_link(coordinator, ru, task.title)
    assert first == second and len(first) >= 3 + 16
    await everything_accepted(fake)


async def test_attendance_is_written_after_a_restart_once(bot: RunningBot, fake: FakeTelegram,
                                                          clock: ManualClock) -> None:
    """The job keeps nothing in memory: a task that ended while the bot was stopped is
    closed after the start, once; the job is registered with the scheduler."""
    coordinator, task, [(user, volunteer_id)] = await task_with_people(bot, fake, ["ru"])
    clock.set(task.starts_at)
    await bot.services.checkins.open_code(await bot.services.checkins.code_for(task.id), user.id)
    await bot.stop()
    clock.set(task.ends_at + timedelta(hours=5))
    await bot.start()
    assert "close-attendance" in bot.services.scheduler.job_names
    assert await bot.services.hours.close_due() == 1
    await bot.restart()
    assert await bot.services.hours.close_due() == 0
    row = (await rows(bot, task.id))[volunteer_id]
    assert row.outcome == "attended" and row.checked_out_at == task.ends_at and row.hours == 3.0
    await wait_text(coordinator, Texts(bot, "ru")("The task is over; attendance is recorded."))
    await everything_accepted(fake)
