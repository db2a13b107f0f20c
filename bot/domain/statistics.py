"""Rules of the statistics that need no I/O: the small-number rule and age bands.

* A count from 1 to 4 could point at a person, so it is shown as "< 5" (SMALL_COUNT);
  0 identifies nobody and is shown. A rate or a median computed from fewer than 5 rows
  is not shown either (it would tell the small count back).
* Secondary suppression: when exactly one row of a breakdown is hidden, it could be worked
  out by subtraction from the breakdown's total, so the smallest other non-zero row (the
  first of equals) is hidden too (`second_to_hide`).
* Age bands follow the front offices' annual reports: under 18, 18-29, 30-54, 55 and
  over. The age is the one reached in a calendar year (year - birth year)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

SMALL_COUNT = 5
SUPPRESSED = "< 5"


def is_suppressed(count: int | None) -> bool:
    """A count that must not be shown as it is (1 to 4)."""
    return count is not None and 0 < count < SMALL_COUNT


def basis_too_small(basis: int | None) -> bool:
    """A rate or median computed from fewer than SMALL_COUNT rows (0 included: nothing to show)."""
    return basis is not None and basis < SMALL_COUNT


def second_to_hide(hidden: Sequence[bool], values: Sequence[float]) -> int | None:
    """The index of the row to hide as well when exactly one row is hidden: the smallest
    other non-zero value, the first of equals; None when none must be (or can be)."""
    if sum(hidden) != 1:
        return None
    others = [(value, index) for index, (value, shut) in enumerate(zip(values, hidden, strict=True))
              if not shut and value]
    return min(others)[1] if others else None


class AgeBand(StrEnum):
    UNDER_18 = "under_18"
    FROM_18_TO_29 = "18_29"
    FROM_30_TO_54 = "30_54"
    FROM_55 = "55_plus"


# (band, youngest age in it), oldest band last.
AGE_BAND_FLOORS: tuple[tuple[AgeBand, int], ...] = (
    (AgeBand.UNDER_18, 0),
    (AgeBand.FROM_18_TO_29, 18),
    (AgeBand.FROM_30_TO_54, 30),
    (AgeBand.FROM_55, 55),
)


def age_band(birth_year: int | None, year: int) -> AgeBand | None:
    """The band of someone born in `birth_year`, in the calendar year `year`."""
    if birth_year is None:
        return None
    age = year - birth_year
    band = AGE_BAND_FLOORS[0][0]
    for candidate, floor in AGE_BAND_FLOORS:
        if age >= floor:
            band = candidate
    return band
