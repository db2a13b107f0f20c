"""The clock tests move by hand: time-dependent logic is tested by setting "now", never
by sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.infra.clock import Clock


class ManualClock(Clock):
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 6, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now
