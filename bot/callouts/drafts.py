"""A call-out being written (kept in the dialog's FSM data as plain values)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.callouts import (
    DEFAULT_WAVE_WAIT_MINUTES,
    MAX_PEOPLE,
    MAX_PLACE_LENGTH,
    MAX_TEXT_LENGTH,
    MIN_PEOPLE,
    MIN_TEXT_LENGTH,
)
from bot.domain.people import clean_text


@dataclass
class CalloutDraft:
    text: str | None = None
    template: str | None = None
    region: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    needed: int | None = None
    starts_at: str | None = None  # ISO, UTC; None: now
    required_skills: list[str] = field(default_factory=list)
    wave_wait_minutes: int = DEFAULT_WAVE_WAIT_MINUTES
    wake_at_night: bool = False

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> CalloutDraft:
        known = {name: value for name, value in (data or {}).items() if name in cls.__dataclass_fields__}
        return cls(**known)

    def start(self) -> datetime | None:
        return datetime.fromisoformat(self.starts_at) if self.starts_at else None


class CountError(ValueError):
    """code: people (not a number in range) | time (not HH:MM) | past (the time has passed today)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_COUNT = re.compile(r"^\s*(\d{1,9})\s*(?:[,;]?\s*(?:(?:в|at|сағ\.?)\s*)?(\d{1,2})[:.](\d{2}))?\s*$", re.I)


def parse_count(text: str, now: datetime, tz: ZoneInfo) -> tuple[int, datetime | None]:
    """`20` (from now) or `20 18:30` (from 18:30 today, local): (people, start or None)."""
    match = _COUNT.match(text or "")
    if match is None:
        raise CountError("time" if re.match(r"^\s*\d", text or "") else "people")
    people = int(match.group(1))
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise CountError("people")
    if match.group(2) is None:
        return people, None
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise CountError("time")
    local_now = now.astimezone(tz)
    start = datetime.combine(local_now.date(), time(hour, minute), tzinfo=tz)
    if start < local_now - timedelta(minutes=1):
        raise CountError("past")
    return people, start.astimezone(ZoneInfo("UTC"))


def parse_what(text: str) -> str | None:
    value = clean_text(text or "")
    return value if MIN_TEXT_LENGTH <= len(value) <= MAX_TEXT_LENGTH else None


def parse_place(text: str) -> str | None:
    value = clean_text(text or "")
    return value if 2 <= len(value) <= MAX_PLACE_LENGTH else None
