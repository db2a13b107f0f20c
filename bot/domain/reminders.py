"""When the messages of a task's life are due: reminders to volunteers, the coordinator's
"who has not confirmed" list and morning digest. No I/O; times in UTC, rules in local
time (`tz`, the TIMEZONE setting).

- "Still coming?" (DAY_BEFORE): 18:00 the day before the start; 18:00 two days before
  for a task starting before 10:00 (so the volunteer is not asked late in the evening
  about an early morning).
- TWO_HOURS: two hours before the start (the place, the pin, the coordinator).
- The coordinator's UNCONFIRMED list: six hours before the start.
- Nothing in the quiet hours 22:00-08:00: a moment that falls in them is moved back to
  21:00 the evening before (earlier is still useful; later would be too late).
- A reminder is planned only if it is due after the volunteer got their place (a late
  sign-up gets only the ones still ahead), and is sent only while still useful:
  before the task starts, and for DAY_BEFORE before the TWO_HOURS one is due (it would
  say the same thing twice). One found due in the quiet hours (a restart at night) is
  held until 08:00, if that is still useful; otherwise it is dropped.
- The digest: at 08:00 local (or at the first pass after it, until 22:00), once a day
  per coordinator with tasks today or tomorrow.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.quiet_hours import QUIET_END, QUIET_START, next_send_moment

DAY_BEFORE_AT = time(18, 0)
EARLY_START_BEFORE = time(10, 0)  # tasks starting before this are asked two days before
EVENING_FALLBACK = time(21, 0)  # where a moment in the quiet hours is moved back to
DIGEST_AT = QUIET_END  # 08:00
TWO_HOURS = timedelta(hours=2)
SIX_HOURS = timedelta(hours=6)
# How far ahead the lifecycle job plans reminders (the earliest is 18:00 two days before
# a task starting at 00:00: 54 hours).
PLAN_AHEAD = timedelta(days=3)


class ReminderKind(StrEnum):
    """A reminder to one volunteer about one sign-up (one row per sign-up and kind)."""

    DAY_BEFORE = "day_before"  # "Still coming?" with Yes / I can't
    TWO_HOURS = "two_hours"  # the place, the pin, the coordinator, I can't


class NoticeKind(StrEnum):
    """A message to a task's coordinator (one row per task and kind)."""

    UNCONFIRMED = "unconfirmed"  # 6 hours before: who has not confirmed


class ReminderState(StrEnum):
    PENDING = "pending"
    SENT = "sent"  # queued in the delivery engine (which sends it exactly once)
    SKIPPED = "skipped"  # was already past when the sign-up was made: never sent
    DROPPED = "dropped"  # no longer useful (task started, cancelled, sign-up cancelled)


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(timezone.utc)


def in_quiet_hours(moment: datetime, tz: ZoneInfo) -> bool:
    local = _local(moment, tz).time()
    return local >= QUIET_START or local < QUIET_END


def out_of_quiet_hours(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment`, or 21:00 the evening before when it falls in the quiet hours."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = _local(moment, tz)
    day = local.date() if local.time() >= QUIET_START else local.date() - timedelta(days=1)
    return _at(day, EVENING_FALLBACK, tz)


def reminder_due(kind: ReminderKind, starts_at: datetime, tz: ZoneInfo) -> datetime:
    local_start = _local(starts_at, tz)
    if kind == ReminderKind.DAY_BEFORE:
        days = 2 if local_start.time() < EARLY_START_BEFORE else 1
        return _at(local_start.date() - timedelta(days=days), DAY_BEFORE_AT, tz)
    return out_of_quiet_hours(starts_at - TWO_HOURS, tz)


def notice_due(kind: NoticeKind, starts_at: datetime, tz: ZoneInfo) -> datetime:
    return out_of_quiet_hours(starts_at - SIX_HOURS, tz)


def useful_until(kind: ReminderKind, starts_at: datetime, tz: ZoneInfo) -> datetime:
    """After this moment the reminder says nothing useful any more."""
    if kind == ReminderKind.DAY_BEFORE:
        return min(reminder_due(ReminderKind.TWO_HOURS, starts_at, tz), starts_at)
    return starts_at


def send_moment(due_until: datetime, now: datetime, tz: ZoneInfo) -> datetime | None:
    """When a due message goes out: now, or 08:00 if now is in the quiet hours; None
    when that is not before `due_until` (drop it)."""
    moment = next_send_moment(now, tz)
    return moment if moment < due_until else None


def digest_day(now: datetime, tz: ZoneInfo) -> date | None:
    """The local day whose digest is due now (08:00-22:00), else None."""
    local = _local(now, tz)
    if DIGEST_AT <= local.time() < QUIET_START:
        return local.date()
    return None


def digest_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Tasks starting in [start, end) are "today or tomorrow" for the digest of `day`."""
    return _at(day, time(0, 0), tz), _at(day + timedelta(days=2), time(0, 0), tz)
