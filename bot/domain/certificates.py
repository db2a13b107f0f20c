"""Certificates of hours: the periods one may ask for, and the readable random code.

A code looks like `C-7KQ4-9WXM-3PRT`: 12 characters of Crockford's base32 (no I, L, O,
U), 60 random bits from `secrets`, so codes cannot be guessed or enumerated. What
people type is read loosely: any case, spaces or dashes anywhere, O for 0, I or L for 1."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 3
GROUP_LENGTH = 4
PREFIX = "C"
DEEP_LINK_PREFIX = "cert_"
MAX_TYPED_LENGTH = 40
_LOOSE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class PeriodChoice(StrEnum):
    THIS_YEAR = "this"
    LAST_YEAR = "last"
    ALL_TIME = "all"


ALL_TIME = "all"  # the stored period for all time; a year is stored as "2026"


@dataclass(frozen=True, slots=True)
class Period:
    key: str  # "2026" or "all"
    since: datetime | None  # local, naive-free: the bounds come from the caller's time zone
    until: datetime | None

    @property
    def year(self) -> int | None:
        return int(self.key) if self.key.isdigit() else None


def period_for(choice: PeriodChoice, local_now: datetime) -> Period:
    """The stored period for a choice, with its bounds (tasks starting in [since, until))."""
    if choice is PeriodChoice.ALL_TIME:
        return Period(ALL_TIME, None, None)
    year = local_now.year - (1 if choice is PeriodChoice.LAST_YEAR else 0)
    since = local_now.replace(year=year, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return Period(str(year), since, since.replace(year=year + 1))


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join([PREFIX, *(body[i:i + GROUP_LENGTH] for i in range(0, len(body), GROUP_LENGTH))])


def normalize_code(typed: str) -> str | None:
    """The code as stored, or None when the text cannot be one."""
    if len(typed) > MAX_TYPED_LENGTH:
        return None
    raw = "".join(ch for ch in typed.upper() if ch not in " -_\u2010\u2011\u2013\u2014")
    if not raw.startswith(PREFIX):
        return None
    body = raw[len(PREFIX):].translate(_LOOSE)
    if len(body) != GROUPS * GROUP_LENGTH or any(ch not in ALPHABET for ch in body):
        return None
    return "-".join([PREFIX, *(body[i:i + GROUP_LENGTH] for i in range(0, len(body), GROUP_LENGTH))])


def code_from_deep_link(payload: str) -> str | None:
    """`cert_C-7KQ4-9WXM-3PRT` (the start parameter) -> the code, or None."""
    if not payload.startswith(DEEP_LINK_PREFIX):
        return None
    return normalize_code(payload[len(DEEP_LINK_PREFIX):])
