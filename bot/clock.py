"""The one clock of the application.

Everything that needs "now" takes a `Clock`, so tests can move time instead of sleeping.
All times are aware datetimes in UTC; showing them in local time is the job of `bot.i18n`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class Clock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock(Clock):
    """A clock that stands still until told to move (tests, the sandbox, benchmarks)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 6, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now
