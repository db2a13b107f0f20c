"""Check-in and attendance refuse bad input politely and change nothing: a forged,
over-long or cancelled task's code, too early, after the end, not signed up (waitlisted
or not registered: not checked in), a rating for a task not attended, the QR or hours asked by someone
without the rights (refusals audited), a QR for a cancelled task, hours before the end."""

from __future__ import annotations

from datetime import timedelta

from bot.attendance.callbacks import AttendanceCb, CheckinCb
from emulator import FakeTelegram
from tests.support.attendance import COORDINATOR, rows, task_with_people
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, make_task, register, sign_up, wait_text
from tests.support.e2e import RunningBot

OTHER_REGION = 862_001


async def test_bad_codes_and_people_change_nothing(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    coordinator, task, [(going, going_id)] = await task_with_people(bot, fake, ["ru"], starts_in=timedelta(days=1))
    code = "ci_" + await bot.services.checkins.code_for(task.id)
    ru, kk, en = Texts(bot, "ru"), Texts(bot, "kk"), Texts(bot, "en")
    # A forged code, and one far too long.
    await going.send_text("/start ci_AAAAAAAAAAAAAAAA")
    await wait_text(going, ru("This check-in link is not valid. Please scan the QR code at the place again."))
    await going.send_text("/start ci_" + "x" * 60)
    await wait_text(going, ru("This check-in link is not valid. Please scan the QR code at the place again."))
    # Too early: a day before.
    await going.send_text(f"/start {code}")
    opens = bot.services.local_time.datetime(task.starts_at - timedelta(hours=1), "ru", "long")
    await wait_text(going, ru("Check-in for this task opens at {time}.", time=opens))
    # Someone on the waitlist, someone not signed up (kk), someone not registered (en).
    clock.set(task.starts_at)
    waiting_id = await register(bot, 862_101, locale="ru")
    await sign_up(bot, task.id, waiting_id, "waitlisted")
    waiting = fake.user(862_101, language_code="ru")
    await waiting.send_text(f"/start {code}")
    walk_in = ("You are not signed up for this task, so I cannot check you in myself. Its coordinator sees that "
               "you are here and will decide; I will let you know.")
    await wait_text(waiting, ru(walk_in))  # not checked in: a walk-in for the coordinator (test_walk_ins.py)
    await register(bot, 862_102, locale="kk")
    stranger = fake.user(862_102, language_code="kk")
    await stranger.send_text(f"/start {code}")
    await wait_text(stranger, kk(walk_in))
    newcomer = fake.user(862_103, language_code="en")
    await newcomer.send_text(f"/start {code}")
    await wait_text(newcomer, en("You are not registered yet. Send /start to register as a volunteer."))
    # A forged "I'm leaving" before any check-in.
    press = await going.press_data(CheckinCb(action="leave", task_id=task.id).pack(), 1)
    assert (await answer_of(fake, press)).get("show_alert")
    assert await rows(bot, task.id) == {}
    # After the end.
    clock.set(task.ends_at + timedelta(minutes=1))
    await going.send_text(f"/start {code}")
    await wait_text(going, ru("This task is over, so check-in is closed."))
    # A rating for a task not attended (forged), and stars out of range.
    for stars in (5, 9):
        press = await going.press_data(CheckinCb(action="rate", task_id=task.id, stars=stars).pack(), 1)
        answer = await answer_of(fake, press)
        assert answer.get("show_alert") and answer["text"] == ru("You can rate only a task you took part in.")
    assert await rows(bot, task.id) == {}
    # A cancelled task's code.
    other = await make_task(bot, COORDINATOR, title="Отменённая", starts_in=timedelta(hours=1))
    other_code = "ci_" + await bot.services.checkins.code_for(other.id)
    await bot.services.tasks.cancel(other.id, COORDINATOR)
    await going.send_text(f"/start {other_code}")
    await wait_text(going, ru("This task has been cancelled, so there is no check-in."))
    await everything_accepted(fake)
    assert going_id and coordinator.id == COORDINATOR


async def test_rights_and_coordinator_refusals(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    coordinator, task, [(volunteer, _id)] = await task_with_people(bot, fake, ["ru"], starts_in=timedelta(days=1))
    ru = Texts(bot, "ru")
    # A volunteer forging the QR button: refused and audited.
    press = await volunteer.press_data(AttendanceCb(action="qr", task_id=task.id).pack(), 1)
    answer = await answer_of(fake, press)
    assert answer.get("show_alert") and answer["text"] == ru("Sorry, only coordinators can do this.")
    # A coordinator of another region: refused and audited.
    await bot.services.access.grant(OTHER_REGION, "coordinator", region="KZ-71")
    other = fake.user(OTHER_REGION, language_code="ru")
    for action in ("qr", "roster", "hours", "approve"):
        press = await other.press_data(AttendanceCb(action=action, task_id=task.id).pack(), 1)
        answer = await answer_of(fake, press)
        assert answer["text"] == ru("Sorry, this task belongs to another region's coordinators.")
    refused = [(entry.actor_telegram_id, entry.action) for entry in await audit(bot, "attendance.")
               if not entry.allowed]
    assert refused == [(volunteer.id, "attendance.qr"), (OTHER_REGION, "attendance.qr"),
                       (OTHER_REGION, "attendance.roster"), (OTHER_REGION, "attendance.hours"),
                       (OTHER_REGION, "attendance.approve")]
    assert not any(message.content.get("photo") for message in other.messages + volunteer.messages)
    # Hours before the end: nothing to approve yet.
    press = await coordinator.press_data(AttendanceCb(action="hours", task_id=task.id).pack(), 1)
    assert (await answer_of(fake, press))["text"] == ru("Hours can be approved once the task is over.")
    # The QR of a cancelled task, and of one that is over.
    await bot.services.tasks.cancel(task.id, COORDINATOR)
    press = await coordinator.press_data(AttendanceCb(action="qr", task_id=task.id).pack(), 1)
    assert (await answer_of(fake, press))["text"] == ru("This task has been cancelled, so there is no check-in.")
    ended = await make_task(bot, COORDINATOR, title="Прошедшая", starts_in=timedelta(hours=1))
    clock.set(ended.ends_at)
    press = await coordinator.press_data(AttendanceCb(action="qr", task_id=ended.id).pack(), 1)
    assert (await answer_of(fake, press))["text"] == ru("This task is over, so check-in is closed.")
    # The attendance of a cancelled task is never written.
    assert await bot.services.hours.close_due() == 1  # the ended one only
    assert await rows(bot, task.id) == {}
    await everything_accepted(fake)


async def test_correcting_hours_can_be_left_with_cancel(bot: RunningBot, fake: FakeTelegram,
                                                        clock: ManualClock) -> None:
    coordinator, task, [(volunteer, volunteer_id)] = await task_with_people(bot, fake, ["ru"])
    ru = Texts(bot, "ru")
    clock.set(task.starts_at)
    await bot.services.checkins.open_code(await bot.services.checkins.code_for(task.id), volunteer.id)
    clock.set(task.ends_at)
    await bot.services.hours.close_due()
    notice = await wait_text(coordinator, ru("The task is over; attendance is recorded."))
    await coordinator.press("🕒 " + ru("Hours"), message_id=notice.message_id)
    await wait_text(coordinator, ru("✅ approved · ⏳ waiting for approval"))
    await coordinator.press("✏️ 1. Ерікті 0 Тестов")
    await wait_text(coordinator, "2:30")
    await coordinator.send_sticker()
    await wait_text(coordinator, ru("Please type the number of hours, or send /cancel."))
    await coordinator.send_text("99")  # more than the task's length
    await wait_text(coordinator, ru("Please type a number of hours from 0 to {limit}, for example 2.5 or 2:30.",
                                    limit="3"))
    await coordinator.send_text("/cancel")
    await coordinator.wait_for_message()
    row = (await rows(bot, task.id))[volunteer_id]
    assert row.approved_at is None and row.hours == 3.0
    await coordinator.send_text("3")  # the dialog is closed: not taken as hours
    await coordinator.wait_for_message()
    assert (await rows(bot, task.id))[volunteer_id].approved_at is None
    await everything_accepted(fake)
