"""Hand-marked attendance, no-shows and late cancellations, hours approval and
correction, the thank-you with a rating, /profile totals (kept anonymously after
/delete_me), and reliability in the matching order, over the fake Bot API with the
injected clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.attendance.callbacks import AttendanceCb, CheckinCb
from emulator import FakeTelegram
from storage.models import Attendance
from tests.support.attendance import rows, task_with_people, volunteer_row
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, make_task, register, wait_text
from tests.support.e2e import RunningBot


async def open_card(coordinator, ru: Texts, title: str) -> None:  # noqa: ANN001 - FakeUser
    await coordinator.send_text("/mytasks")
    await wait_text(coordinator, ru("My tasks"))
    await coordinator.press("1. " + title)
    await coordinator.wait_for_message(lambda m: "🧾 " + ru("Attendance") in m.button_texts())


async def test_marks_no_show_late_cancel_hours_rating_profile(bot: RunningBot, fake: FakeTelegram,
                                                               clock: ManualClock) -> None:
    ru = Texts(bot, "ru")
    coordinator, task, people = await task_with_people(bot, fake, ["ru", "kk", "en", "ru", "ru"],
                                                       starts_in=timedelta(days=2))
    (present, present_id), (absent, absent_id), (silent, silent_id), (late, late_id), (early, early_id) = people
    await bot.services.signups.cancel(task.id, early.id)  # two days ahead: not late
    await open_card(coordinator, ru, task.title)
    await coordinator.press("🧾 " + ru("Attendance"))
    roster = await wait_text(coordinator, ru("Checked in now: {count}", count=0))
    assert roster.text.count("⬜ " + ru("not checked in")) == 4
    press = await coordinator.press("✋ 1")  # too early: nothing changes
    alert = await answer_of(fake, press)
    assert alert.get("show_alert") and alert["text"].startswith(ru("Attendance can be marked from {time}.", time="")[:10])
    assert present_id not in await rows(bot, task.id)
    clock.set(task.starts_at - timedelta(hours=10))
    await bot.services.signups.cancel(task.id, late.id)  # 10 hours ahead: late
    clock.set(task.starts_at + timedelta(minutes=5))
    await coordinator.press("✋ 1")
    await wait_text(coordinator, "✋ " + ru("marked present"))
    await coordinator.press("❌ 2")
    await wait_text(coordinator, "❌ " + ru("marked absent"))
    # The end.
    clock.set(task.ends_at + timedelta(seconds=1))
    assert await bot.services.hours.close_due() == 1
    found = await rows(bot, task.id)
    assert found[present_id].outcome == "attended" and found[present_id].hours == 3.0  # the task's length
    assert found[absent_id].outcome == "no_show" and found[absent_id].hours == 0
    assert found[silent_id].outcome == "no_show"
    assert found[late_id].outcome == "cancelled_late"
    assert early_id not in found or found[early_id].outcome is None
    notice = await wait_text(coordinator, ru("The task is over; attendance is recorded."))
    assert ru("Did not come: {count}", count=2) in notice.text
    assert ru("Cancelled late: {count}", count=1) in notice.text
    # Hours: approve all in one tap; the volunteer is thanked in their language.
    await coordinator.press("🕒 " + ru("Hours"), message_id=notice.message_id)
    sheet = await wait_text(coordinator, ru("✅ approved · ⏳ waiting for approval"))
    assert ru("{hours} h", hours="3") + " ⏳" in sheet.text
    await coordinator.press("✅ " + ru("Approve all hours"))
    approved = await wait_text(coordinator, ru("{hours} h", hours="3") + " ✅")
    assert "✅ " + ru("Approve all hours") not in approved.button_texts()  # nothing left to approve
    thanks = await wait_text(present, Texts(bot, "ru")("Thank you for your help!"))
    assert Texts(bot, "ru")("Hours counted: {hours}", hours="3") in thanks.text
    assert (await volunteer_row(bot, present_id)).hours == 3.0
    # Correct one person's hours: typed, the total follows the difference.
    await coordinator.press("✏️ 1. " + "Ерікті 0 Тестов")
    await wait_text(coordinator, "2.5")
    await coordinator.send_text("сорок")  # not a number: asked again, nothing changes
    await wait_text(coordinator, ru("Please type a number of hours from 0 to {limit}, for example 2.5 or 2:30.",
                                    limit="3"))
    await coordinator.send_text("2,5")
    await wait_text(coordinator, ru("✅ Saved."))
    assert (await volunteer_row(bot, present_id)).hours == 2.5
    assert (await rows(bot, task.id))[present_id].approved_hours == 2.5
    # The rating: one tap, the coordinator sees the average.
    await present.press("4⭐", message_id=thanks.message_id)
    await wait_text(present, "⭐⭐⭐⭐")
    # Someone who did not attend cannot rate (a forged press).
    forged = await absent.press_data(CheckinCb(action="rate", task_id=task.id, stars=5).pack(), 1)
    assert (await answer_of(fake, forged)).get("show_alert")
    assert (await rows(bot, task.id))[absent_id].rating is None
    await coordinator.press_data(AttendanceCb(action="hours", task_id=task.id).pack(), notice.message_id)
    await wait_text(coordinator, ru("Volunteers' rating: {average} of 5 ({count})", average="4", count=1))
    # /profile: hours this year and tasks done.
    await present.send_text("/profile")
    card = await wait_text(present, Texts(bot, "ru")("Hours this year"))
    assert f"{Texts(bot, 'ru')('Hours this year')}: 2,5" in card.text
    assert f"{Texts(bot, 'ru')('Tasks and call-outs')}: 1" in card.text
    # The card shown again after a change (a pause) keeps the figures.
    await present.press("⏸ " + Texts(bot, "ru")("Pause notifications"))
    await present.wait_for_message(lambda m: Texts(bot, "ru")("1 week") in m.button_texts())
    await present.press(Texts(bot, "ru")("1 week"))
    again = await present.wait_for_message(
        lambda m: "▶️ " + Texts(bot, "ru")("Resume notifications") in m.button_texts())
    assert f"{Texts(bot, 'ru')('Hours this year')}: 2,5" in again.text
    # /delete_me: the figures stay, anonymous.
    assert await bot.services.volunteers.delete(present.id)
    gone = await volunteer_row(bot, present_id)
    assert gone.telegram_id is None and gone.full_name is None and gone.hours == 2.5
    async with bot.services.db.sessionmaker() as session:
        kept = (await session.scalars(select(Attendance).where(Attendance.volunteer_id == present_id))).one()
    assert kept.approved_hours == 2.5 and kept.rating == 4 and kept.outcome == "attended"
    assert [entry.action for entry in await audit(bot, "attendance.")] == [
        "attendance.mark", "attendance.mark", "attendance.approve", "attendance.correct"]
    await everything_accepted(fake)


async def test_reliability_orders_matching_by_attendance(bot: RunningBot, fake: FakeTelegram,
                                                         clock: ManualClock) -> None:
    coordinator, task, people = await task_with_people(bot, fake, ["ru", "ru", "ru"], starts_in=timedelta(hours=5))
    (came, came_id), (missed, missed_id), (_cancelled, cancelled_id) = people
    clock.set(task.starts_at - timedelta(hours=2))
    await bot.services.signups.cancel(task.id, _cancelled.id)  # late: counts half
    clock.set(task.starts_at)
    result = await bot.services.checkins.open_code(await bot.services.checkins.code_for(task.id), came.id)
    assert result.outcome == "checked_in"
    clock.set(task.ends_at)
    assert await bot.services.hours.close_due() == 1
    newcomer = await register(bot, 861_100, name="Жаңа Ерікті")
    later = await make_task(bot, coordinator.id, title="Ещё уборка", starts_in=timedelta(days=3))
    order = [c.volunteer_id for c in await bot.services.matching.candidates(later)]
    assert order.index(came_id) < order.index(newcomer) < order.index(cancelled_id)
    by_id = {c.volunteer_id: c for c in await bot.services.matching.candidates(later)}
    assert by_id[came_id].reliability == 1.0 and by_id[newcomer].reliability == 0.5
    assert by_id[missed_id].reliability == 0.0 and by_id[cancelled_id].reliability == 0.0
    await everything_accepted(fake)
