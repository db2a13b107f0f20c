"""Emergencies: their statuses, which regions border which, and the night window.

No I/O. An emergency is declared for one or more regions by an admin or a coordinator of
those regions and is active until closed; while it is active, people in its regions see
the emergency actions (bot/access/commands.py, EMERGENCY_ACTIONS) and call-outs there
carry its safety notes.

`NEIGHBOURS` says which regions border which (ISO 3166-2:KZ, the 2022 regions): a call-out
whose own region has not answered widens to these in its last wave. The three cities of
republican significance border only the region around them. Built from a list of borders,
so it is symmetric by construction.
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo


class EmergencyStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


MAX_NAME_LENGTH = 120
MIN_NAME_LENGTH = 3
MAX_NOTES_LENGTH = 1000

# Night: nobody is woken for a call-out between 23:00 and 07:00 local, except volunteers
# who chose "any time for emergencies" (or when the coordinator widens the call-out).
NIGHT_START = time(23, 0)
NIGHT_END = time(7, 0)

_BORDERS: tuple[tuple[str, str], ...] = (
    ("KZ-71", "KZ-11"),  # Astana inside Akmola Region
    ("KZ-75", "KZ-19"),  # Almaty inside Almaty Region
    ("KZ-79", "KZ-61"),  # Shymkent inside Turkistan Region
    ("KZ-10", "KZ-63"), ("KZ-10", "KZ-55"), ("KZ-10", "KZ-35"), ("KZ-10", "KZ-33"),
    ("KZ-11", "KZ-59"), ("KZ-11", "KZ-55"), ("KZ-11", "KZ-35"), ("KZ-11", "KZ-39"),
    ("KZ-15", "KZ-27"), ("KZ-15", "KZ-23"), ("KZ-15", "KZ-47"), ("KZ-15", "KZ-43"), ("KZ-15", "KZ-39"),
    ("KZ-15", "KZ-62"),
    ("KZ-19", "KZ-33"), ("KZ-19", "KZ-31"), ("KZ-19", "KZ-35"),
    ("KZ-23", "KZ-27"), ("KZ-23", "KZ-47"),
    ("KZ-31", "KZ-35"), ("KZ-31", "KZ-61"),
    ("KZ-33", "KZ-35"),
    ("KZ-35", "KZ-55"), ("KZ-35", "KZ-62"),
    ("KZ-39", "KZ-59"), ("KZ-39", "KZ-62"),
    ("KZ-43", "KZ-62"), ("KZ-43", "KZ-61"),
    ("KZ-61", "KZ-62"),
)


def _neighbours() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for one, other in _BORDERS:
        table.setdefault(one, set()).add(other)
        table.setdefault(other, set()).add(one)
    return {region: frozenset(others) for region, others in table.items()}


NEIGHBOURS: dict[str, frozenset[str]] = _neighbours()


def neighbours_of(region: str) -> list[str]:
    """The regions bordering `region`, sorted."""
    return sorted(NEIGHBOURS.get(region, frozenset()))


def is_night(moment: datetime, tz: ZoneInfo) -> bool:
    """Is `moment` between 23:00 and 07:00 local?"""
    local = moment.astimezone(tz).time()
    return local >= NIGHT_START or local < NIGHT_END
