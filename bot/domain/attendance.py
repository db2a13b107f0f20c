"""Check-in, attendance and hours: the rules, with no I/O.

- **Has the task ended?** `task_has_ended` is the one place that says so (the end time
  has passed and it was not cancelled); everything after a task - attendance, hours,
  thanks - asks it. `task_is_cancelled` says the other way a task stops.
- **Check-in window:** a task's code checks people in from `CHECKIN_OPENS_BEFORE` (1 h)
  before the start until the end (`checkin_refusal`).
- **Outcome** (written once the task has ended): a place held and confirmed ("going")
  with a check-in or a hand mark "present" is *attended*; a hand mark "absent", or no
  check-in and no mark, is a *no-show*; a held place given up less than
  `LATE_CANCEL_WINDOW` (24 h) before the start is *cancelled late*.
- **Hours:** check-in to check-out clamped to the task's time; marked present by hand,
  the task's length; otherwise 0. Rounded to hundredths.
- **Reliability** (matching order): attended / (attended + no-shows + ½ × late
  cancellations); without any of these the neutral 0.5 (`bot.domain.eligibility.reliability`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.tasks import TaskStatus

CHECKIN_OPENS_BEFORE = timedelta(hours=1)
LATE_CANCEL_WINDOW = timedelta(hours=24)
CODE_PREFIX = "ci_"
RATINGS = (1, 2, 3, 4, 5)


class AttendanceOutcome(StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED_LATE = "cancelled_late"


class HandMark(StrEnum):
    """What the coordinator marked in the roster."""

    PRESENT = "present"
    ABSENT = "absent"


class CheckinOutcome(StrEnum):
    """What opening a check-in link (or "I'm leaving") came to."""

    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    ALREADY_OUT = "already_out"  # a second check-out: nothing changes
    NOT_SIGNED_UP = "not_signed_up"  # no confirmed place on this task
    NOT_REGISTERED = "not_registered"
    UNKNOWN = "unknown"  # no such code (forged or mistyped)
    CANCELLED = "cancelled"  # the task was cancelled
    TOO_EARLY = "too_early"  # before the window opens
    OVER = "over"  # the task has ended
    WALK_IN = "walk_in"  # registered, no confirmed place: the scan is recorded for the coordinator
    WALK_IN_ACCEPTED = "walk_in_accepted"  # such a scan, already accepted by the coordinator


class WalkInStatus(StrEnum):
    """A scan by someone without a confirmed place, and the coordinator's decision."""

    PENDING = "pending"
    ACCEPTED = "accepted"  # present: attended, hours as for a hand mark "present"
    DISMISSED = "dismissed"


class MarkOutcome(StrEnum):
    """What a coordinator's hand mark (or a correction of hours) came to."""

    DONE = "done"
    TOO_EARLY = "too_early"
    CANCELLED = "cancelled"
    NOT_SIGNED_UP = "not_signed_up"
    NOT_ENDED = "not_ended"  # hours exist only once the task has ended
    NOT_ATTENDED = "not_attended"
    APPROVED = "approved"  # the person's hours are approved already
    DECIDED = "decided"  # a walk-in already decided, or no such scan (a stale or forged press)


def task_is_cancelled(status: str) -> bool:
    return status == TaskStatus.CANCELLED


def task_has_ended(status: str, ends_at: datetime, now: datetime) -> bool:
    """The task took place and is over: done (its coordinator may close it early), or its
    end time has passed and it was not cancelled."""
    return status == TaskStatus.DONE or (not task_is_cancelled(status) and ends_at <= now)


def checkin_opens(starts_at: datetime) -> datetime:
    return starts_at - CHECKIN_OPENS_BEFORE


def checkin_refusal(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> CheckinOutcome | None:
    """None when a code of this task checks people in (or out) right now."""
    if task_is_cancelled(status):
        return CheckinOutcome.CANCELLED
    if task_has_ended(status, ends_at, now):
        return CheckinOutcome.OVER
    if now < checkin_opens(starts_at):
        return CheckinOutcome.TOO_EARLY
    return None


def is_late_cancel(cancelled_at: datetime | None, starts_at: datetime) -> bool:
    """A held place given up less than 24 h before the start (or after it)."""
    return cancelled_at is not None and cancelled_at > starts_at - LATE_CANCEL_WINDOW


def outcome(*, going: bool, checked_in: bool, mark: str | None, cancelled_at: datetime | None,
            starts_at: datetime) -> AttendanceOutcome | None:
    """What is written for a sign-up once the task has ended; None: nothing (waitlisted,
    cancelled in time, a promotion never confirmed)."""
    if going:
        if mark == HandMark.ABSENT:
            return AttendanceOutcome.NO_SHOW
        if mark == HandMark.PRESENT or checked_in:
            return AttendanceOutcome.ATTENDED
        return AttendanceOutcome.NO_SHOW
    if is_late_cancel(cancelled_at, starts_at):
        return AttendanceOutcome.CANCELLED_LATE
    return None


def task_hours(starts_at: datetime, ends_at: datetime) -> float:
    return round(max((ends_at - starts_at).total_seconds(), 0) / 3600, 2)


def hours_for(*, starts_at: datetime, ends_at: datetime, checked_in_at: datetime | None,
              checked_out_at: datetime | None, mark: str | None) -> float:
    """Hours to approve for one person (0 for anyone who did not attend)."""
    if mark == HandMark.ABSENT:
        return 0.0
    if mark == HandMark.PRESENT:
        return task_hours(starts_at, ends_at)
    if checked_in_at is None:
        return 0.0
    start = max(checked_in_at, starts_at)
    end = min(checked_out_at or ends_at, ends_at)
    if end <= start:
        return 0.0
    return round((end - start).total_seconds() / 3600, 2)


_HOURS_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_NUMBER = re.compile(r"^\d{1,2}(?:[.,]\d{1,2})?$")


def parse_hours(text: str, limit: float) -> float | None:
    """Typed hours: `3`, `3.5`, `3,5` or `3:30`; None unless 0 <= hours <= limit."""
    value = text.strip().lower()
    for suffix in (" ч", "ч", " сағ", "сағ", " h", "h"):
        if value.endswith(suffix):
            value = value[: -len(suffix)].strip()
            break
    hours: float | None = None
    matched = _HOURS_MINUTES.match(value)
    if matched:
        hours = int(matched.group(1)) + int(matched.group(2)) / 60
    elif _NUMBER.match(value):
        hours = float(value.replace(",", "."))
    if hours is None or hours < 0 or hours > limit + 1e-9:
        return None
    return round(hours, 2)


def average(ratings: list[int]) -> float | None:
    return round(sum(ratings) / len(ratings), 1) if ratings else None
