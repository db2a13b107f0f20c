"""Secondary suppression: one hidden row of a breakdown could be worked out from the
total, so the smallest other non-zero row is hidden with it."""

from __future__ import annotations

from bot.domain.statistics import SUPPRESSED, second_to_hide
from bot.stats.figures import Breakdown, Kind, Row
from bot.stats.format import row_cell, row_text


def counts(*values: int) -> Breakdown:
    return Breakdown("by_x", "By x", "X", "Volunteers", tuple(Row(str(i), value) for i, value in enumerate(values)))


def shown(breakdown: Breakdown) -> list[str]:
    return [row_text(row, "en", breakdown.kind) for row in breakdown.rows]


def test_the_rule() -> None:
    # One hidden: the smallest other non-zero value, the first of equals; 0 is never taken.
    assert second_to_hide([False, True, False, False], [9, 2, 0, 13]) == 0
    assert second_to_hide([False, False, True, False], [7, 7, 3, 7]) == 0
    assert second_to_hide([False, True, False], [0, 1, 0]) is None  # nothing else to hide
    assert second_to_hide([True, False, True], [1, 6, 2]) is None  # two hidden: enough
    assert second_to_hide([False, False], [5, 6]) is None
    assert second_to_hide([], []) is None


def test_one_hidden_row_takes_the_smallest_other_with_it() -> None:
    assert shown(counts(13, 9, 0, 2, 20).protected()) == ["13", SUPPRESSED, "0", SUPPRESSED, "20"]
    withheld = counts(13, 9, 0, 2, 20).protected().rows[1]
    assert withheld.value == 9 and withheld.withheld and withheld.hidden and row_cell(withheld) == SUPPRESSED


def test_two_hidden_rows_or_none_are_left_as_they_are() -> None:
    assert shown(counts(13, 1, 0, 2, 20).protected()) == ["13", SUPPRESSED, "0", SUPPRESSED, "20"]
    assert shown(counts(13, 9, 0, 5, 20).protected()) == ["13", "9", "0", "5", "20"]
    assert counts(13, 9).protected() == counts(13, 9)


def test_hours_are_hidden_by_their_rows_and_withheld_by_their_value() -> None:
    months = Breakdown("hours_by_month", "Hours", "Month", "Hours", (
        Row("2026-03", 14.5, basis=5), Row("2026-04", 8.0, basis=2), Row("2026-05", 0.0, basis=0),
        Row("2026-06", 11.5, basis=5)), kind=Kind.HOURS)
    assert shown(months.protected()) == ["14.5", SUPPRESSED, "0.0", SUPPRESSED]
