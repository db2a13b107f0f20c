"""Periods of the statistics: the picker's presets and a typed range such as
`01.01.2026–30.06.2026`. A period is whole local days, first to last inclusive, in the
configured TIMEZONE; its bounds in UTC are [local midnight of the first day, local
midnight after the last day)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

# A typed range may span at most this many years (a chart has a column per month).
MAX_YEARS = 10


class PeriodKind(StrEnum):
    THIS_MONTH = "m"
    LAST_MONTH = "lm"
    THIS_QUARTER = "q"
    THIS_YEAR = "y"
    CUSTOM = "c"


PRESETS: tuple[PeriodKind, ...] = (PeriodKind.THIS_MONTH, PeriodKind.LAST_MONTH, PeriodKind.THIS_QUARTER,
                                   PeriodKind.THIS_YEAR)


class PeriodError(ValueError):
    """A typed range that cannot be used; `reason` says why."""

    FORMAT = "format"  # not two dates
    DATE = "date"  # a day or month that does not exist (31.02.2026)
    ORDER = "order"  # ends before it starts
    FUTURE = "future"  # starts after today
    TOO_LONG = "too_long"  # more than MAX_YEARS

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date  # inclusive
    kind: PeriodKind = PeriodKind.CUSTOM

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return local_midnight(self.first, tz), local_midnight(self.last + timedelta(days=1), tz)

    @property
    def code(self) -> str:
        """For callback data: the preset's code, or c<first>-<last> (yyyymmdd)."""
        if self.kind is PeriodKind.CUSTOM:
            return f"c{self.first:%Y%m%d}-{self.last:%Y%m%d}"
        return self.kind.value

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def preset(kind: PeriodKind, today: date) -> Period:
    """This month, last month, this quarter, this year: whole calendar units around today."""
    if kind is PeriodKind.THIS_MONTH:
        first = today.replace(day=1)
        return Period(first, next_month(first) - timedelta(days=1), kind)
    if kind is PeriodKind.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, kind)
    if kind is PeriodKind.THIS_QUARTER:
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        after = next_month(next_month(next_month(first)))
        return Period(first, after - timedelta(days=1), kind)
    if kind is PeriodKind.THIS_YEAR:
        return Period(date(today.year, 1, 1), date(today.year, 12, 31), kind)
    raise ValueError(f"{kind} is not a preset")


_DATE = r"(\d{1,2})[./](\d{1,2})[./](\d{4})"
_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:[-–—−]+|\.\.\.?|…)?\s*{_DATE}\s*$")


def parse_range(text: str, today: date) -> Period:
    """`01.01.2026–30.06.2026` (any dash, `..` or a space between; `/` for `.` too)."""
    match = _RANGE.match(text[:100])
    if match is None:
        raise PeriodError(PeriodError.FORMAT)
    numbers = [int(part) for part in match.groups()]
    try:
        first = date(numbers[2], numbers[1], numbers[0])
        last = date(numbers[5], numbers[4], numbers[3])
    except ValueError:
        raise PeriodError(PeriodError.DATE) from None
    return checked_range(first, last, today)


def from_code(code: str, today: date) -> Period | None:
    """The period a button stands for; None for a code that is not one (forged, stale)."""
    for kind in PRESETS:
        if code == kind.value:
            return preset(kind, today)
    match = re.fullmatch(r"c(\d{8})-(\d{8})", code)
    if match is None:
        return None
    try:
        first = datetime.strptime(match.group(1), "%Y%m%d").date()
        last = datetime.strptime(match.group(2), "%Y%m%d").date()
        return checked_range(first, last, today)
    except (ValueError, PeriodError):
        return None


def checked_range(first: date, last: date, today: date) -> Period:
    """A custom period from two dates, or PeriodError (ORDER, FUTURE, TOO_LONG)."""
    if last < first:
        raise PeriodError(PeriodError.ORDER)
    if first > today:
        raise PeriodError(PeriodError.FUTURE)
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_YEARS * 12:
        raise PeriodError(PeriodError.TOO_LONG)
    return Period(first, last)
