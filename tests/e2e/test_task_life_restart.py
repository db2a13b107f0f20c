"""Restarts, late sign-ups, cancellations and bad presses around reminders.

- A reminder that fell due while the bot was stopped goes out once at start (the first
  pass runs when the scheduler starts) if it is still useful; one whose task has started
  meanwhile is dropped with a log line. Restarting again sends nothing twice.
- A late sign-up gets only the reminders still ahead; a cancelled sign-up or task gets none.
- Stale and forged reminder buttons are answered politely and change nothing; a
  volunteer cannot use the coordinator's buttons (refusal audited)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, update

from bot.domain.volunteers import VolunteerStatus
from emulator import FakeTelegram
from storage.models import DeliveryMessage, Reminder, Signup, TaskNotice, Volunteer
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted
from tests.support.e2e import RunningBot
from tests.support.task_life import at, got, local, reminder_states
from tests.support.volunteer_tasks import COORDINATOR, add_task, add_volunteer

KK, RU, EN = 620_001, 620_002, 620_003


async def test_a_reminder_due_while_stopped_is_sent_once_at_start_or_dropped(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    db = bot.services.db
    fake.user(COORDINATOR)  # the chats exist: the digest and the reminders reach them
    kk, ru = fake.user(KK, language_code="kk"), fake.user(RU, language_code="ru")
    clock.set(local(2026, 3, 5, 12))
    for telegram_id, locale in ((KK, "kk"), (RU, "ru")):
        await add_volunteer(db, clock, telegram_id, locale=locale, availability=["weekends", "evenings"])
    saturday = await add_task(db, clock, title="Saturday task", starts_at=local(2026, 3, 7, 12),
                              ends_at=local(2026, 3, 7, 15))
    friday = await add_task(db, clock, title="Friday task", starts_at=local(2026, 3, 6, 19),
                            ends_at=local(2026, 3, 6, 21), direction="health")
    for task in (saturday, friday):
        assert (await bot.services.signups.go(task.id, KK)).outcome == "going"
    assert (await bot.services.signups.go(saturday.id, RU)).outcome == "going"
    await at(bot, fake, local(2026, 3, 5, 12, 1))  # planned

    # Stopped on Thursday at 17:00; started again on Friday at 20:00.
    await bot.stop()
    clock.set(local(2026, 3, 6, 20))
    caplog.set_level(logging.INFO, logger="bot.lifecycle")
    await bot.start()  # the first pass runs at once
    still = Texts(bot, "ru")("Are you still coming?")
    await ru.wait_for_message(lambda m: still in (m.text or "") and "Saturday task" in (m.text or ""))
    await kk.wait_for_message(lambda m: "Saturday task" in (m.text or ""))
    await fake.wait_idle()
    # The Friday task started at 19:00: its reminders were dropped, with a log line.
    assert got(kk, "Friday task") == []
    dropped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("reminder ")]
    assert len(dropped) == 2 and all("dropped: task is started" in line for line in dropped)

    # Another restart, another pass: nothing new.
    await bot.restart()
    await at(bot, fake, local(2026, 3, 6, 20, 5))
    assert len(got(ru, "Saturday task")) == 1 and len(got(kk, "Saturday task")) == 1
    async with db.sessionmaker() as session:
        keys = list(await session.scalars(select(DeliveryMessage.chat_id)))
    assert sorted(key for key in keys if key != COORDINATOR) == sorted([KK, RU])
    await fake.wait_idle()
    # (a restart may cost one getUpdates "conflict" while the old long poll ends)
    assert [(c.method, c.description, c.params) for c in fake.calls if not c.ok and c.method != "getUpdates"] == []


async def test_late_signups_and_cancellations(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    db = bot.services.db
    fake.user(COORDINATOR)
    kk, ru, en = (fake.user(i) for i in (KK, RU, EN))
    clock.set(local(2026, 3, 6, 19))  # Friday 19:00: the day-before moment has passed
    for telegram_id, locale in ((KK, "kk"), (RU, "ru"), (EN, "en")):
        await add_volunteer(db, clock, telegram_id, locale=locale)
    task = await add_task(db, clock, title="Late task", starts_at=local(2026, 3, 7, 12),
                          ends_at=local(2026, 3, 7, 15))
    gone = await add_task(db, clock, title="Cancelled task", starts_at=local(2026, 3, 7, 17),
                          ends_at=local(2026, 3, 7, 18))
    signups = bot.services.signups
    for telegram_id in (KK, RU, EN):
        assert (await signups.go(task.id, telegram_id)).outcome == "going"
    assert (await signups.go(gone.id, EN)).outcome == "going"
    async with db.session() as session:  # a paused volunteer still gets reminders for their tasks
        await session.execute(update(Volunteer).where(Volunteer.telegram_id == KK)
                              .values(status=VolunteerStatus.PAUSED, paused_until=local(2026, 3, 20, 12)))
    await at(bot, fake, local(2026, 3, 6, 19, 1))
    assert [state for _signup, kind, state in await reminder_states(bot) if kind == "day_before"] == ["skipped"] * 4
    assert (await signups.cancel(task.id, RU)).outcome == "cancelled"
    assert await bot.services.tasks.cancel(gone.id, COORDINATOR) is not None

    await at(bot, fake, local(2026, 3, 7, 10))  # two hours before
    await kk.wait_for_message(lambda m: (m.text or "").startswith("⏰"))
    await en.wait_for_message(lambda m: (m.text or "").startswith("⏰"))
    await at(bot, fake, local(2026, 3, 7, 15, 30))  # two hours before the cancelled task
    assert [m for m in ru.messages if (m.text or "").startswith(("⏰", "🔔"))] == []
    assert [m for m in en.messages if "Cancelled task" in (m.text or "") and (m.text or "").startswith("⏰")] == []
    assert len([m for m in kk.messages if (m.text or "").startswith(("⏰", "🔔"))]) == 1
    states = await reminder_states(bot)
    assert sorted(state for *_, state in states) == ["dropped", "dropped", "sent", "sent", "skipped", "skipped",
                                                     "skipped", "skipped"]
    await everything_accepted(fake)


async def test_stale_and_forged_reminder_buttons(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    db = bot.services.db
    fake.user(COORDINATOR)
    kk, ru = fake.user(KK), fake.user(RU, language_code="ru")
    clock.set(local(2026, 3, 6, 12))
    await add_volunteer(db, clock, KK, locale="kk")
    await add_volunteer(db, clock, RU, locale="ru")
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    task = await add_task(db, clock, title="Button task", starts_at=local(2026, 3, 7, 12),
                          ends_at=local(2026, 3, 7, 15))
    assert (await bot.services.signups.go(task.id, KK)).outcome == "going"
    await at(bot, fake, local(2026, 3, 6, 18))
    card = await kk.wait_for_message(lambda m: "Button task" in (m.text or ""))
    t = Texts(bot, "ru")
    await ru.send_text("/help")
    await ru.wait_for_message()
    mine = ru.last_message
    assert mine is not None
    # Someone else presses the same buttons (forged): polite, nothing changes.
    for data in (f"rmd:yes:{task.id}", f"rmd:cant:{task.id}", f"rmd:cant_yes:{task.id}", f"rmd:coord:{task.id}"):
        refused = await answer_of(fake, await ru.press_data(data, mine.message_id))
        assert refused["text"] == t("You are not signed up for this task."), data
    for data in ("rmd:yes:999999", "rmd:bogus:1", "rmd:x"):
        answered = await answer_of(fake, await ru.press_data(data, mine.message_id))
        assert answered["text"]
    # A volunteer pressing the coordinator's buttons is refused and audited.
    refused = await answer_of(fake, await ru.press_data(f"ntc:release_yes:{task.id}", mine.message_id))
    assert refused["show_alert"] and await audit(bot, "task.release")
    async with db.sessionmaker() as session:
        statuses = list(await session.scalars(select(Signup.status)))
    assert statuses == ["going"]
    # The owner's press twice: the second is "already".
    await answer_of(fake, await kk.press(card.buttons()[0]["callback_data"], message_id=card.message_id))
    again = await answer_of(fake, await kk.press_data(card.buttons()[0]["callback_data"], card.message_id))
    assert again["text"] == Texts(bot, "kk")("You have already confirmed. See you there!")
    await everything_accepted(fake)


async def test_a_changed_start_moves_the_reminders_and_a_short_notice_task_gets_no_list(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    db = bot.services.db
    fake.user(COORDINATOR)
    kk = fake.user(KK)
    clock.set(local(2026, 3, 5, 12))
    await add_volunteer(db, clock, KK, locale="kk", availability=["weekends", "weekdays", "evenings"])
    task = await add_task(db, clock, title="Moved task", starts_at=local(2026, 3, 7, 12),
                          ends_at=local(2026, 3, 7, 15))
    soon = await add_task(db, clock, title="Soon task", starts_at=local(2026, 3, 5, 16),
                          ends_at=local(2026, 3, 5, 17))
    assert (await bot.services.signups.go(task.id, KK)).outcome == "going"
    await at(bot, fake, local(2026, 3, 5, 12, 1))
    change = await bot.services.tasks.change_time(task.id, local(2026, 3, 8, 9), local(2026, 3, 8, 12), COORDINATOR)
    assert change is not None
    await at(bot, fake, local(2026, 3, 5, 12, 2))
    async with db.sessionmaker() as session:
        due = dict((await session.execute(select(Reminder.kind, Reminder.due_at))).all())
        notices = dict((await session.execute(select(TaskNotice.task_id, TaskNotice.state))).all())
    # Sunday 09:00 now: "Still coming?" on Friday at 18:00 (before 10:00: two days before),
    # 2 hours before falls at 07:00 (quiet): Saturday 21:00.
    assert due == {"day_before": local(2026, 3, 6, 18), "two_hours": local(2026, 3, 7, 21)}
    assert notices[soon.id] == "skipped"  # created 4 hours ahead: no 6-hours list
    await at(bot, fake, local(2026, 3, 6, 18))
    await kk.wait_for_message(lambda m: "Moved task" in (m.text or "") and "8" in (m.text or ""))
    await everything_accepted(fake)
