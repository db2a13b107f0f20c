"""The one clock of the application.

Everything that needs "now" takes a `Clock`, so tests can move time instead of sleeping
(tests/support/clock.py).
All times are aware datetimes in UTC; showing them in local time is the job of `bot.infra.i18n`.
"""

from __future__ import annotations

from datetime import datetime, timezone


class Clock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

