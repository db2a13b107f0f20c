"""A task being written by a coordinator, and the rules of its typed fields (pure: no
database, no Telegram, no translations; the handlers turn the error codes into hints).

Times are typed in local time (settings.tz) and stored in UTC:

* the start as ``dd.mm.yyyy hh:mm`` or ``dd.mm hh:mm`` (this year, or next year when that
  moment has already passed this year); it must be in the future;
* the end as ``hh:mm`` (the same local day as the start) or a full date and time; it must
  be after the start and at most MAX_DURATION later.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.catalog import DIRECTIONS, REGION_BY_CODE, SKILLS, keep_known
from bot.domain.people import clean_text

MIN_TITLE = 3
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MIN_PLACE = 2
MAX_PLACE = 300
MIN_SLOTS = 1
MAX_SLOTS = 500
MIN_TASK_AGE = 7
MAX_TASK_AGE = 100
DEFAULT_MIN_AGE = 16
MAX_ORGANISATION = 200
MAX_DURATION = timedelta(days=14)
MAX_AHEAD_DAYS = 400  # a start further ahead is almost certainly a typo
MIN_MESSAGE = 1
MAX_MESSAGE = 3000

DIRECTION_CODES = frozenset(choice.code for choice in DIRECTIONS)

_DATE_TIME = re.compile(
    r"^(?P<day>\d{1,2})[./-](?P<month>\d{1,2})(?:[./-](?P<year>\d{4}|\d{2}))?"
    r"(?:\s+|\s*,\s*|T)(?P<hour>\d{1,2})[:.](?P<minute>\d{2})$"
)
_TIME = re.compile(r"^(?P<hour>\d{1,2})[:.](?P<minute>\d{2})$")


class TimeError(ValueError):  # noqa: A001 - local name, never shadows a builtin import
    """Why a typed time was refused: `code` is one of FORMAT, NO_SUCH_DATE, PAST,
    TOO_FAR, BEFORE_START, TOO_LONG."""

    FORMAT = "format"
    NO_SUCH_DATE = "no_such_date"
    PAST = "past"
    TOO_FAR = "too_far"
    BEFORE_START = "before_start"
    TOO_LONG = "too_long"

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(slots=True)
class TaskDraft:
    """What the /newtask dialog collects (kept in FSM data as `to_data()` until Confirm)."""

    region: str | None = None
    title: str | None = None
    description: str = ""
    direction: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    slots: int | None = None
    required_skills: list[str] = field(default_factory=list)
    min_age: int = DEFAULT_MIN_AGE
    organisation: str | None = None

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("starts_at", "ends_at"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> TaskDraft:
        data = dict(data or {})
        known = {name for name in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        for key in ("starts_at", "ends_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        values["required_skills"] = keep_known(list(values.get("required_skills") or []), SKILLS)
        return cls(**values)

    def missing(self) -> list[str]:
        """Required fields not filled yet (in dialog order)."""
        needed = {
            "region": self.region in REGION_BY_CODE,
            "title": bool(self.title),
            "direction": self.direction in DIRECTION_CODES,
            "place": bool(self.place) or self.latitude is not None,
            "starts_at": self.starts_at is not None,
            "ends_at": self.ends_at is not None and self.starts_at is not None and self.ends_at > self.starts_at,
            "slots": self.slots is not None and MIN_SLOTS <= self.slots <= MAX_SLOTS,
        }
        return [name for name, ok in needed.items() if not ok]

    @property
    def complete(self) -> bool:
        return not self.missing()


# --- typed fields --------------------------------------------------------------------


def parse_title(text: str) -> str | None:
    title = clean_text(text)
    if not (MIN_TITLE <= len(title) <= MAX_TITLE) or not any(ch.isalnum() for ch in title):
        return None
    return title


def parse_description(text: str) -> str | None:
    """Up to MAX_DESCRIPTION characters; line breaks are kept (control characters dropped)."""
    lines = [clean_text(line) for line in text.strip().splitlines()]
    description = "\n".join(lines).strip()
    while "\n\n\n" in description:
        description = description.replace("\n\n\n", "\n\n")
    if not (1 <= len(description) <= MAX_DESCRIPTION):
        return None
    return description


def parse_place(text: str) -> str | None:
    place = clean_text(text)
    if not (MIN_PLACE <= len(place) <= MAX_PLACE) or not any(ch.isalnum() for ch in place):
        return None
    return place


def parse_slots(text: str) -> int | None:
    value = clean_text(text)
    if not re.fullmatch(r"\d{1,6}", value):
        return None
    slots = int(value)
    return slots if MIN_SLOTS <= slots <= MAX_SLOTS else None


def parse_min_age(text: str) -> int | None:
    value = clean_text(text)
    if not re.fullmatch(r"\d{1,3}", value):
        return None
    age = int(value)
    return age if MIN_TASK_AGE <= age <= MAX_TASK_AGE else None


def parse_organisation(text: str) -> str | None:
    name = clean_text(text)
    if not (2 <= len(name) <= MAX_ORGANISATION) or not any(ch.isalpha() for ch in name):
        return None
    return name


def parse_message(text: str) -> str | None:
    """A coordinator's message to the people signed up: 1..MAX_MESSAGE characters (the
    caller escapes it for HTML)."""
    stripped = text.strip()
    # Telegram counts UTF-16 code units: an emoji is two of them.
    if not (MIN_MESSAGE <= len(stripped.encode("utf-16-le")) // 2 <= MAX_MESSAGE):
        return None
    return stripped


# --- times ---------------------------------------------------------------------------


def _local(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise TimeError(TimeError.NO_SUCH_DATE)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise TimeError(TimeError.NO_SUCH_DATE) from None


def _full_year(year_text: str) -> int:
    year = int(year_text)
    return 2000 + year if len(year_text) == 2 else year


def parse_start(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """The start moment in UTC, or TimeError. Without a year: this year, or next year
    if that moment has already passed."""
    match = _DATE_TIME.match(clean_text(text))
    if match is None:
        raise TimeError(TimeError.FORMAT)
    day, month = int(match["day"]), int(match["month"])
    hour, minute = int(match["hour"]), int(match["minute"])
    local_now = now.astimezone(tz)
    if match["year"]:
        moment = _local(_date(_full_year(match["year"]), month, day), hour, minute, tz)
    else:
        try:
            moment = _local(_date(local_now.year, month, day), hour, minute, tz)
        except TimeError:
            if (month, day) != (2, 29):
                raise
            moment = None  # 29 February of a year that has none: try the next leap year
        if moment is None or moment <= local_now:
            moment = _local(_date(local_now.year + 1, month, day), hour, minute, tz)
    assert moment is not None  # set by one of the branches above
    utc = moment.astimezone(timezone.utc)
    if utc <= now:
        raise TimeError(TimeError.PAST)
    if utc - now > timedelta(days=MAX_AHEAD_DAYS):
        raise TimeError(TimeError.TOO_FAR)
    return utc


def parse_end(text: str, start: datetime, tz: ZoneInfo) -> datetime:
    """The end moment in UTC: "hh:mm" on the start's local day, or a date and time
    (without a year: the start's year, or the next one if that is before the start)."""
    value = clean_text(text)
    local_start = start.astimezone(tz)
    if (match := _TIME.match(value)) is not None:
        moment = _local(local_start.date(), int(match["hour"]), int(match["minute"]), tz)
    elif (match := _DATE_TIME.match(value)) is not None:
        day, month = int(match["day"]), int(match["month"])
        hour, minute = int(match["hour"]), int(match["minute"])
        if match["year"]:
            moment = _local(_date(_full_year(match["year"]), month, day), hour, minute, tz)
        else:
            moment = _local(_date(local_start.year, month, day), hour, minute, tz)
            if moment < local_start - timedelta(days=1):
                moment = _local(_date(local_start.year + 1, month, day), hour, minute, tz)
    else:
        raise TimeError(TimeError.FORMAT)
    utc = moment.astimezone(timezone.utc)
    if utc <= start:
        raise TimeError(TimeError.BEFORE_START)
    if utc - start > MAX_DURATION:
        raise TimeError(TimeError.TOO_LONG)
    return utc


def format_input(moment: datetime, tz: ZoneInfo) -> str:
    """A moment as the coordinator would type it (dd.mm.yyyy hh:mm), for hints."""
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")


__all__ = [
    "DEFAULT_MIN_AGE",
    "MAX_DESCRIPTION",
    "MAX_MESSAGE",
    "MAX_PLACE",
    "MAX_SLOTS",
    "MAX_TITLE",
    "MIN_SLOTS",
    "TaskDraft",
    "TimeError",
    "format_input",
    "parse_description",
    "parse_end",
    "parse_message",
    "parse_min_age",
    "parse_organisation",
    "parse_place",
    "parse_slots",
    "parse_start",
    "parse_title",
]
