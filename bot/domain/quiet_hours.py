"""Quiet hours, 22:00-08:00 local (settings.tz): routine task offers wait for the morning,
and a freed place offered at night gets its confirmation time counted from 08:00."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

QUIET_START = time(22, 0)
QUIET_END = time(8, 0)


def next_send_moment(now: datetime, tz: ZoneInfo, emergency: bool = False) -> datetime:
    """Now, or 08:00 local when now is in the quiet hours (never for emergencies)."""
    if emergency:
        return now
    local = now.astimezone(tz)
    if local.time() >= QUIET_START:
        morning = datetime.combine(local.date() + timedelta(days=1), QUIET_END, tzinfo=tz)
    elif local.time() < QUIET_END:
        morning = datetime.combine(local.date(), QUIET_END, tzinfo=tz)
    else:
        return now
    return morning.astimezone(timezone.utc)
