"""The rules of check-in, attendance and hours (bot/domain/attendance.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.domain.attendance import (
    AttendanceOutcome,
    CheckinOutcome,
    HandMark,
    average,
    checkin_refusal,
    hours_for,
    is_late_cancel,
    outcome,
    parse_hours,
    task_has_ended,
)

START = datetime(2026, 3, 7, 5, 0, tzinfo=timezone.utc)
END = START + timedelta(hours=4)


def test_a_task_has_ended_after_its_end_unless_cancelled() -> None:
    assert not task_has_ended("open", END, END - timedelta(seconds=1))
    assert task_has_ended("open", END, END) and task_has_ended("full", END, END + timedelta(days=1))
    assert task_has_ended("done", END, END)
    assert not task_has_ended("cancelled", END, END + timedelta(days=1))


@pytest.mark.parametrize(("status", "now", "expected"), [
    ("open", START - timedelta(hours=1, seconds=1), CheckinOutcome.TOO_EARLY),
    ("open", START - timedelta(hours=1), None),
    ("full", START + timedelta(hours=3), None),
    ("open", END, CheckinOutcome.OVER),
    ("cancelled", START, CheckinOutcome.CANCELLED),
])
def test_the_checkin_window(status: str, now: datetime, expected: CheckinOutcome | None) -> None:
    assert checkin_refusal(status, START, END, now) == expected


def test_outcomes() -> None:
    def of(**kw: object) -> AttendanceOutcome | None:
        values = {"going": True, "checked_in": False, "mark": None, "cancelled_at": None, "starts_at": START}
        values.update(kw)
        return outcome(**values)  # type: ignore[arg-type]  # test values of mixed types

    assert of(checked_in=True) == AttendanceOutcome.ATTENDED
    assert of(mark=HandMark.PRESENT) == AttendanceOutcome.ATTENDED
    assert of(checked_in=True, mark=HandMark.ABSENT) == AttendanceOutcome.NO_SHOW  # the coordinator's word wins
    assert of() == AttendanceOutcome.NO_SHOW
    assert of(going=False, cancelled_at=START - timedelta(hours=23)) == AttendanceOutcome.CANCELLED_LATE
    assert of(going=False, cancelled_at=START - timedelta(hours=24)) is None  # exactly 24 h: in time
    assert of(going=False) is None  # waitlisted, or a promotion never confirmed
    assert is_late_cancel(START + timedelta(minutes=5), START)


def test_hours_are_clamped_to_the_task() -> None:
    def h(start: datetime | None, end: datetime | None, mark: str | None = None) -> float:
        return hours_for(starts_at=START, ends_at=END, checked_in_at=start, checked_out_at=end, mark=mark)

    assert h(START - timedelta(minutes=40), START + timedelta(hours=1, minutes=30)) == 1.5
    assert h(START + timedelta(minutes=20), None) == pytest.approx(3.67)  # out at the end
    assert h(START + timedelta(hours=1), END + timedelta(hours=2)) == 3.0
    assert h(None, None) == 0.0 and h(None, None, HandMark.PRESENT) == 4.0
    assert h(START, END, HandMark.ABSENT) == 0.0
    assert h(END + timedelta(minutes=1), END + timedelta(minutes=2)) == 0.0


@pytest.mark.parametrize(("text", "expected"), [
    ("3", 3.0), ("2.5", 2.5), ("2,5", 2.5), ("2:30", 2.5), ("0", 0.0), ("3,5 ч", 3.5), ("4 сағ", 4.0), ("1h", 1.0),
    ("4.01", None), ("-1", None), ("сорок", None), ("", None), ("2:75", None), ("1e3", None), ("<b>3</b>", None),
])
def test_typed_hours(text: str, expected: float | None) -> None:
    assert parse_hours(text, 4.0) == expected


def test_average_rating() -> None:
    assert average([]) is None and average([4, 5]) == 4.5 and average([5, 4, 4]) == 4.3
