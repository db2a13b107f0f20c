"""A volunteer's status, and when they get task offers.

Stored as these strings in `volunteers.status`; a pause that has ended counts as active
(the status is lifted lazily, when the profile is next read), so "may get offers" is
`is_active`, never a bare `status == ACTIVE`. The SQL form of the same rule is in
storage/repositories/matching.py (`_active`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class VolunteerStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # no offers until paused_until (or until resumed when it is None)
    UNREACHABLE = "unreachable"  # Telegram refused delivery for good; active again once they write
    DELETED = "deleted"  # personal data erased


class VolunteerSource(StrEnum):
    BOT = "bot"  # registered in the bot
    IMPORT = "import"  # came from a spreadsheet; still has to give consent in the bot


def pause_has_lapsed(status: str, paused_until: datetime | None, now: datetime) -> bool:
    """Paused with an end that has passed: the pause is over, whatever the stored status says."""
    return status == VolunteerStatus.PAUSED and paused_until is not None and paused_until <= now


def is_active(status: str, paused_until: datetime | None, now: datetime) -> bool:
    """Active, a lapsed pause included: may get task offers and freed places.
    Never unreachable or deleted."""
    return status == VolunteerStatus.ACTIVE or pause_has_lapsed(status, paused_until, now)
