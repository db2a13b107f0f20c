"""When a volunteer's pause ends.

A pause is chosen in local days: "for a week" or "until 15.04.2026" means task offers
start again at local midnight starting that date. Stored as the UTC moment of that
midnight; a pause without an end ("until I resume") is stored as None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# The preset lengths offered as buttons: code -> (days, months).
PAUSE_PRESETS: dict[str, tuple[int, int]] = {
    "1w": (7, 0),
    "2w": (14, 0),
    "1m": (0, 1),
}
MAX_PAUSE_MONTHS = 12

_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (31.01 + 1 = 28/29.02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def preset_end(code: str, today: date) -> date:
    """The local date on which a preset pause ends; KeyError for an unknown code."""
    days, months = PAUSE_PRESETS[code]
    return add_months(today, months) + timedelta(days=days)


def latest_end(today: date) -> date:
    return add_months(today, MAX_PAUSE_MONTHS)


class BadDate(ValueError):
    """Why a typed date cannot end a pause: reason is "format", "past" or "too_far"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_end_date(text: str, today: date) -> date:
    """A typed dd.mm.yyyy date after today and at most a year ahead; raises BadDate."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise BadDate("format")
    day, month, year = (int(part) for part in match.groups())
    try:
        end = date(year, month, day)
    except ValueError:
        raise BadDate("format") from None
    if end <= today:
        raise BadDate("past")
    if end > latest_end(today):
        raise BadDate("too_far")
    return end


def end_moment(end: date, tz: ZoneInfo) -> datetime:
    """The UTC moment of local midnight starting `end`."""
    return datetime.combine(end, time(0, 0), tzinfo=tz).astimezone(timezone.utc)
