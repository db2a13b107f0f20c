"""A simulated day and a half over the fake Bot API, the clock moved by hand: two tasks
on Saturday, volunteers speaking kk, ru and en, the coordinator in ru.

Thursday 12:00 everyone signs up. Thursday 18:00: "Still coming?" for the 09:00 task
(two days before: it starts before 10:00). Friday 08:00: the coordinator's digest.
Friday 18:00: "Still coming?" for the 12:00 task, in each person's language; one says
yes, one says "I can't" and the waitlisted volunteer is offered the place at once and
confirms. Friday 21:00 (6 hours before 03:00/06:00 fall in the quiet hours): the
coordinator's "not confirmed" lists; the places of the one who did not answer are
offered with one tap. Saturday: the 2-hours-before reminders with the place, its location
pin (sendVenue) and the coordinator; states move by time (started, done), the hook fires, /my shows the
tasks under way and finished. Nothing is sent in the quiet hours, nothing twice."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.tasks import TaskStatus
from emulator import FakeTelegram
from storage.models import DeliveryMessage, Signup, Task
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.task_life import ALMATY, at, got, local
from tests.support.volunteer_tasks import COORDINATOR, add_task, add_volunteer, task_row

KK, RU, EN, LATE = 610_001, 610_002, 610_003, 610_004


async def test_a_day_in_the_life_of_two_tasks(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    db = bot.services.db
    people = {KK: "kk", RU: "ru", EN: "en", LATE: "ru"}
    users = {telegram_id: fake.user(telegram_id, language_code=locale) for telegram_id, locale in people.items()}
    coordinator = fake.user(COORDINATOR, language_code="ru")
    clock.set(local(2026, 3, 5, 12))  # Thursday noon
    hooks: list[tuple[str, int, str]] = []

    async def started(_session, task, _now) -> None:  # noqa: ANN001
        hooks.append(("started", task.id, task.status))

    async def ended(_session, task, _now) -> None:  # noqa: ANN001
        hooks.append(("ended", task.id, task.status))

    bot.services.task_hooks.on_started(started)
    bot.services.task_hooks.on_ended(ended)

    await add_volunteer(db, clock, COORDINATOR, full_name="Айгерим Сапарова", locale="ru")
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    for telegram_id, locale in people.items():
        await add_volunteer(db, clock, telegram_id, locale=locale, full_name=f"Person {telegram_id}")
    blood = await add_task(db, clock, title="Blood donation day", slots=3, starts_at=local(2026, 3, 7, 12),
                           ends_at=local(2026, 3, 7, 16), latitude=43.2389, longitude=76.8897)
    early = await add_task(db, clock, title="Morning cleanup", slots=2, starts_at=local(2026, 3, 7, 9),
                           ends_at=local(2026, 3, 7, 11))
    signups = bot.services.signups
    for telegram_id in (KK, RU, EN):
        assert (await signups.go(blood.id, telegram_id)).outcome == "going"
    assert (await signups.join_waitlist(blood.id, LATE)).outcome == "waitlisted"
    assert (await signups.go(early.id, EN)).outcome == "going"
    kk, ru, en, late = (users[i] for i in (KK, RU, EN, LATE))
    t = {locale: Texts(bot, locale) for locale in ("kk", "ru", "en")}
    still = {locale: t[locale]("Are you still coming?") for locale in t}

    await at(bot, fake, local(2026, 3, 5, 12, 1))
    assert all(u.messages == [] for u in users.values())

    # Thursday 18:00: the early task's "Still coming?" (two days before), in English.
    await at(bot, fake, local(2026, 3, 5, 18))
    asked = await en.wait_for_message(lambda m: still["en"] in (m.text or ""))
    assert "Morning cleanup" in asked.text and "7 March 2026, 09:00 – 11:00" in asked.text
    assert asked.button_texts() == ["✅ Yes, I'm coming", "🙅 I can't"]
    assert got(kk, still["kk"]) == [] and got(ru, still["ru"]) == []
    yes = await answer_of(fake, await en.press("✅ Yes, I'm coming", message_id=asked.message_id))
    assert yes["text"] == "✅ Thank you! See you there."
    again = await answer_of(fake, await en.press_data(asked.buttons()[0]["callback_data"], asked.message_id))
    assert again["text"] == "You have already confirmed. See you there!"

    # The quiet hours: nothing.
    for hour in (22, 23):
        await at(bot, fake, local(2026, 3, 5, hour, 30))
    await at(bot, fake, local(2026, 3, 6, 7, 59))
    assert coordinator.messages == []

    # Friday 08:00: the digest, in Russian, with both tasks (tomorrow).
    await at(bot, fake, local(2026, 3, 6, 8))
    digest = await wait_text(coordinator, t["ru"]("Your tasks today and tomorrow"))
    assert "Blood donation day" in digest.text and "Morning cleanup" in digest.text
    assert t["ru"]("{going} of {slots}", going=3, slots=3) in digest.text
    assert digest.button_texts() == ["1. Morning cleanup", "2. Blood donation day"]
    await at(bot, fake, local(2026, 3, 6, 9))
    assert len(got(coordinator, t["ru"]("Your tasks today and tomorrow"))) == 1

    # Friday 18:00: "Still coming?" for the blood donation, each in their language.
    await at(bot, fake, local(2026, 3, 6, 18))
    cards = {}
    for user, locale in ((kk, "kk"), (ru, "ru"), (en, "en")):
        cards[locale] = await user.wait_for_message(lambda m, locale=locale: still[locale] in (m.text or "")
                                                    and "Blood donation day" in (m.text or ""))
    assert "7 наурыз, 12:00 – 16:00" in cards["kk"].text
    assert "7 марта 2026" in cards["ru"].text and "12:00 – 16:00" in cards["ru"].text
    assert got(late, still["ru"]) == []  # waitlisted: no reminder
    await answer_of(fake, await kk.press("✅ " + t["kk"]("Yes, I'm coming"), message_id=cards["kk"].message_id))
    await ru.press("🙅 " + t["ru"]("I can't"), message_id=cards["ru"].message_id)
    sure = await wait_text(ru, t["ru"]("Free your place on “{title}”? It will be offered to the next person at once.",
                                       title="Blood donation day"))
    await answer_of(fake, await ru.press("✅ " + t["ru"]("Yes, free my place"), message_id=sure.message_id))
    await wait_text(ru, t["ru"]("Your place is freed. Thank you for letting us know!"))
    confirm = "✅ " + t["ru"]("Confirm my place")
    offer = await late.wait_for_message(lambda m: confirm in m.button_texts())
    await answer_of(fake, await late.press(confirm, message_id=offer.message_id))
    stale = await answer_of(fake, await ru.press_data(cards["ru"].buttons()[0]["callback_data"],
                                                      cards["ru"].message_id))
    assert stale["text"] == t["ru"]("You are not signed up for this task.")

    # Friday 21:00: the coordinator's lists (6 hours before falls in the quiet hours).
    await at(bot, fake, local(2026, 3, 6, 21))
    by_title = {}
    for title in ("Blood", "Morning"):
        by_title[title] = await coordinator.wait_for_message(
            lambda m, title=title: (m.text or "").startswith("👥") and title in m.text, after=0)
    assert len([m for m in coordinator.messages if (m.text or "").startswith("👥")]) == 2
    assert t["ru"]("Everyone signed up has confirmed: {count} of {slots}.", count=1, slots=2) \
        in by_title["Morning"].text
    blood_list = by_title["Blood"].text
    assert f"Person {EN}" in blood_list and f"Person {KK}" not in blood_list and f"Person {LATE}" not in blood_list
    assert by_title["Blood"].button_texts() == ["🔁 " + t["ru"]("Offer their places"),
                                                 "📣 " + t["ru"]("Send the task again")]
    await coordinator.press("🔁 " + t["ru"]("Offer their places"), message_id=by_title["Blood"].message_id)
    sure = await coordinator.wait_for_message(lambda m: "✅ " + t["ru"]("Yes, offer them") in m.button_texts())
    await coordinator.press("✅ " + t["ru"]("Yes, offer them"), message_id=sure.message_id)
    await wait_text(coordinator, t["ru"].n("{count} place was offered to the waitlist.",
                                           "{count} places were offered to the waitlist.", 1))
    await wait_text(en, "Your place on “Blood donation day” went to someone else")
    async with db.sessionmaker() as session:
        statuses = dict((await session.execute(select(Signup.volunteer_id, Signup.status)
                                               .where(Signup.task_id == blood.id))).all())
    assert sorted(statuses.values()) == ["cancelled", "cancelled", "going", "going"]

    # Saturday: the early task starts at 09:00 (state by time); its 2-hours reminder went
    # on Friday at 21:00 (07:00 is in the quiet hours).
    await en.wait_for_message(lambda m: (m.text or "").startswith("⏰") and "Morning cleanup" in m.text, after=0)
    two_hours = [m for m in got(en, "Morning cleanup") if m.text.startswith("⏰")]
    assert len(two_hours) == 1 and "Coordinator: Айгерим Сапарова" in two_hours[0].text
    await at(bot, fake, local(2026, 3, 7, 9))
    assert (await task_row(db, early.id)).status == TaskStatus.STARTED
    assert (await task_row(db, blood.id)).status == TaskStatus.OPEN

    # 10:00: two hours before the blood donation, to those going: the place, map, coordinator.
    await at(bot, fake, local(2026, 3, 7, 10))
    soon = await kk.wait_for_message(lambda m: (m.text or "").startswith("⏰"))
    assert "City hospital No. 7" in soon.text and "Айгерим Сапарова" in soon.text
    assert soon.button_texts() == ["✉️ " + t["kk"]("Write to the coordinator"), "🙅 " + t["kk"]("I can't")]
    pin = await kk.wait_for_message(lambda m: "venue" in m.content, after=soon.message_id)
    assert pin.content["venue"] == {"location": {"latitude": 43.2389, "longitude": 76.8897},
                                    "title": "Blood donation day", "address": "City hospital No. 7"}
    assert [m for m in en.messages if "venue" in m.content] == []  # the early task has no coordinates
    await kk.press("✉️ " + t["kk"]("Write to the coordinator"), message_id=soon.message_id)
    contact = await kk.wait_for_message(lambda m: f"tg://user?id={COORDINATOR}" in str(m.entities))
    assert "Айгерим Сапарова" in contact.text
    await late.wait_for_message(lambda m: (m.text or "").startswith("⏰"))
    assert [m for m in en.messages if (m.text or "").startswith("⏰") and "Blood" in m.text] == []

    # 11:00 the early task is done; 12:00 the blood donation starts; 16:00 done.
    await at(bot, fake, local(2026, 3, 7, 11))
    assert (await task_row(db, early.id)).status == TaskStatus.DONE
    await at(bot, fake, local(2026, 3, 7, 13))
    assert (await task_row(db, blood.id)).status == TaskStatus.STARTED
    mine = await kk.ask("/my", lambda m: "Blood donation day" in (m.text or ""))
    assert "▶️ " + t["kk"]("Under way") in mine.text
    late_press = await answer_of(fake, await kk.press_data(soon.buttons()[1]["callback_data"], soon.message_id))
    assert late_press["text"] == t["kk"]("The task has already started. If you cannot come, please tell the "
                                         "coordinator.")
    await at(bot, fake, local(2026, 3, 7, 16))
    assert (await task_row(db, blood.id)).status == TaskStatus.DONE
    assert hooks == [("started", early.id, "started"), ("ended", early.id, "done"),
                     ("started", blood.id, "started"), ("ended", blood.id, "done")]
    mine = await en.ask("/my", lambda m: "Morning cleanup" in (m.text or ""))
    assert "✔️ Finished" in mine.text and "Blood donation day" not in mine.text

    # Exactly once each, never in the quiet hours.
    assert len(got(kk, still["kk"])) == 1 and len(got(en, still["en"])) == 2 and len(got(late, still["ru"])) == 0
    assert len([m for m in kk.messages if (m.text or "").startswith("⏰")]) == 1
    async with db.sessionmaker() as session:
        assert (await session.get(Task, blood.id)).taken == 2  # type: ignore[union-attr]  # the task exists
        sent = list(await session.scalars(select(DeliveryMessage.sent_at)))
    assert sent and all(moment is not None and 8 <= moment.astimezone(ALMATY).hour < 22 for moment in sent)
    await everything_accepted(fake)
