"""The rules of a task's life (bot/domain/reminders.py, bot/domain/tasks.py): when each
reminder is due, never in the quiet hours, what is still useful, the digest's day,
and the states time brings."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.domain.reminders import (
    NoticeKind,
    ReminderKind,
    digest_day,
    in_quiet_hours,
    notice_due,
    reminder_due,
    send_moment,
    useful_until,
)
from bot.domain.tasks import TaskStatus, Timeline, due_status, timeline
from bot.lifecycle.texts import RemindCb, remind_data

TZ = ZoneInfo("Asia/Almaty")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ).astimezone(timezone.utc)


def shown(moment: datetime) -> tuple[int, int, int]:
    value = moment.astimezone(TZ)
    return value.day, value.hour, value.minute


@pytest.mark.parametrize(("start", "expected"), [
    (local(7, 12), (6, 18, 0)),  # 18:00 the day before
    (local(7, 10), (6, 18, 0)),
    (local(7, 9, 59), (5, 18, 0)),  # before 10:00: 18:00 two days before
    (local(7, 6), (5, 18, 0)),
    (local(7, 0, 30), (5, 18, 0)),
    (local(7, 23), (6, 18, 0)),
])
def test_still_coming_is_asked_at_18_the_day_before_or_two_days_before_an_early_task(
    start: datetime, expected: tuple[int, int, int]
) -> None:
    assert shown(reminder_due(ReminderKind.DAY_BEFORE, start, TZ)) == expected


@pytest.mark.parametrize(("start", "two_hours", "six_hours"), [
    (local(7, 14), (7, 12, 0), (7, 8, 0)),
    (local(7, 12), (7, 10, 0), (6, 21, 0)),  # 06:00 is quiet: 21:00 the evening before
    (local(7, 9), (6, 21, 0), (6, 21, 0)),  # 07:00 and 03:00 are quiet
    (local(7, 10), (7, 8, 0), (6, 21, 0)),
    (local(7, 23, 30), (7, 21, 30), (7, 17, 30)),
    (local(8, 0, 30), (7, 21, 0), (7, 18, 30)),  # 22:30 is quiet
])
def test_two_and_six_hours_before_move_out_of_the_quiet_hours(
    start: datetime, two_hours: tuple[int, int, int], six_hours: tuple[int, int, int]
) -> None:
    assert shown(reminder_due(ReminderKind.TWO_HOURS, start, TZ)) == two_hours
    assert shown(notice_due(NoticeKind.UNCONFIRMED, start, TZ)) == six_hours


def test_nothing_is_ever_due_in_the_quiet_hours() -> None:
    start = local(7, 0)
    for step in range(0, 48 * 4):
        moment = start + timedelta(minutes=15 * step)
        for kind in ReminderKind:
            due = reminder_due(kind, moment, TZ)
            assert not in_quiet_hours(due, TZ) and due < moment
        assert not in_quiet_hours(notice_due(NoticeKind.UNCONFIRMED, moment, TZ), TZ)


def test_what_is_still_useful() -> None:
    start = local(7, 12)
    # "Still coming?" is useful until the 2-hours reminder is due; that one until the start.
    assert useful_until(ReminderKind.DAY_BEFORE, start, TZ) == local(7, 10)
    assert useful_until(ReminderKind.TWO_HOURS, start, TZ) == start
    assert send_moment(start, local(7, 11), TZ) == local(7, 11)
    assert send_moment(start, local(7, 12), TZ) is None
    # Found due at night (a restart): held until 08:00 if still useful, else dropped.
    assert send_moment(start, local(6, 23), TZ) == local(7, 8)
    assert send_moment(local(7, 7), local(6, 23), TZ) is None


def test_the_digest_day() -> None:
    assert digest_day(local(7, 7, 59), TZ) is None
    assert digest_day(local(7, 8), TZ) == date(2026, 3, 7)
    assert digest_day(local(7, 21, 59), TZ) == date(2026, 3, 7)
    assert digest_day(local(7, 22), TZ) is None


def test_states_time_brings() -> None:
    start, end = local(7, 10), local(7, 12)
    assert due_status(TaskStatus.OPEN, start, end, local(7, 9)) is None
    assert due_status(TaskStatus.FULL, start, end, local(7, 10)) == TaskStatus.STARTED
    assert due_status(TaskStatus.STARTED, start, end, local(7, 11)) is None
    assert due_status(TaskStatus.STARTED, start, end, local(7, 12)) == TaskStatus.DONE
    assert due_status(TaskStatus.OPEN, start, end, local(7, 13)) == TaskStatus.DONE
    assert due_status(TaskStatus.CANCELLED, start, end, local(7, 13)) is None
    assert due_status(TaskStatus.DRAFT, start, end, local(7, 13)) is None
    assert not TaskStatus.STARTED.accepts_signups and TaskStatus.STARTED.is_live
    assert TaskStatus.STARTED.may_become(TaskStatus.DONE) and not TaskStatus.STARTED.may_become(TaskStatus.OPEN)
    assert timeline(TaskStatus.OPEN, start, end, local(7, 9)) == Timeline.UPCOMING
    assert timeline(TaskStatus.OPEN, start, end, local(7, 10, 30)) == Timeline.RUNNING
    assert timeline(TaskStatus.STARTED, start, end, local(7, 13)) == Timeline.FINISHED
    assert timeline(TaskStatus.CANCELLED, start, end, local(7, 9)) is None


def test_reminder_buttons_are_packed_as_their_callback_data() -> None:
    for action in ("yes", "cant", "coord"):
        assert remind_data(action, 4321) == RemindCb(action=action, task_id=4321).pack()
        assert RemindCb.unpack(remind_data(action, 7)) == RemindCb(action=action, task_id=7)
