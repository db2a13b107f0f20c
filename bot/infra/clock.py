"""The one clock of the application.

Everything that needs "now" (or to wait until a moment) takes a `Clock`, so tests can
move time instead of sleeping (tests/support/clock.py).
All times are aware datetimes in UTC; showing them in local time is the job of `bot.infra.i18n`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone


class Clock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    async def sleep_until(self, moment: datetime) -> None:
        """Return at `moment` (at once if it has passed). Tests' clock returns when it is
        moved past it, so waiting code is tested without real seconds."""
        delay = (moment - self.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)

