"""The clock tests move by hand: time-dependent logic is tested by setting "now", never
by sleeping. Code that waits for a moment (`Clock.sleep_until`, e.g. the call-out
board's coalescing) wakes when the test moves the clock past it; `run_sleepers` moves
it to the earliest such moment as soon as someone waits."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from bot.infra.clock import Clock


class ManualClock(Clock):
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 6, 0, tzinfo=timezone.utc)
        self._sleepers: list[tuple[datetime, asyncio.Future[None]]] = []
        self._someone_sleeps = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
        self._wake()

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.set(self._now + (delta if delta is not None else timedelta(**kwargs)))
        return self._now

    async def sleep_until(self, moment: datetime) -> None:
        if moment <= self._now:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((moment, future))
        self._someone_sleeps.set()
        try:
            await future
        finally:
            self._forget_done(future)

    def next_wake(self) -> datetime | None:
        """The earliest moment someone is waiting for."""
        return min((moment for moment, future in self._sleepers if not future.done()), default=None)

    async def run_sleepers(self) -> datetime:
        """Wait until someone sleeps, then move the clock to the moment they wait for."""
        while (moment := self.next_wake()) is None:
            self._someone_sleeps.clear()
            await self._someone_sleeps.wait()
        self.set(max(moment, self._now))
        return moment

    def _wake(self) -> None:
        for moment, future in self._sleepers:
            if moment <= self._now and not future.done():
                future.set_result(None)

    def _forget_done(self, future: asyncio.Future[None]) -> None:
        self._sleepers = [(moment, other) for moment, other in self._sleepers if other is not future]
