"""The period picker's periods and the typed range, with bad input."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.stats.periods import Period, PeriodError, PeriodKind, from_code, parse_range, preset

TODAY = date(2026, 11, 30)
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.mark.parametrize(("kind", "first", "last"), [
    (PeriodKind.THIS_MONTH, date(2026, 11, 1), date(2026, 11, 30)),
    (PeriodKind.LAST_MONTH, date(2026, 10, 1), date(2026, 10, 31)),
    (PeriodKind.THIS_QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
    (PeriodKind.THIS_YEAR, date(2026, 1, 1), date(2026, 12, 31)),
])
def test_presets(kind: PeriodKind, first: date, last: date) -> None:
    assert preset(kind, TODAY) == Period(first, last, kind)
    assert from_code(kind.value, TODAY) == Period(first, last, kind)


def test_presets_at_the_turn_of_a_year() -> None:
    assert preset(PeriodKind.LAST_MONTH, date(2026, 1, 15)) == Period(date(2025, 12, 1), date(2025, 12, 31),
                                                                    PeriodKind.LAST_MONTH)
    assert preset(PeriodKind.THIS_QUARTER, date(2026, 2, 28)).last == date(2026, 3, 31)
    assert preset(PeriodKind.THIS_MONTH, date(2028, 2, 10)).last == date(2028, 2, 29)


@pytest.mark.parametrize("text", [
    "01.01.2026–30.06.2026", "01.01.2026-30.06.2026", "01.01.2026 — 30.06.2026", "1.1.2026 - 30.6.2026",
    " 01/01/2026 30/06/2026 ", "01.01.2026..30.06.2026", "01.01.2026 … 30.06.2026",
])
def test_a_typed_range(text: str) -> None:
    period = parse_range(text, TODAY)
    assert (period.first, period.last, period.kind) == (date(2026, 1, 1), date(2026, 6, 30), PeriodKind.CUSTOM)
    assert period.code == "c20260101-20260630"
    assert from_code(period.code, TODAY) == period


@pytest.mark.parametrize(("text", "reason"), [
    ("", PeriodError.FORMAT),
    ("last spring", PeriodError.FORMAT),
    ("01.01.2026", PeriodError.FORMAT),
    ("2026-01-01–2026-06-30", PeriodError.FORMAT),
    ("<b>01.01.2026</b>–30.06.2026", PeriodError.FORMAT),
    ("01.01.2026–30.06.2026" * 300, PeriodError.FORMAT),
    ("31.02.2026–30.06.2026", PeriodError.DATE),
    ("01.13.2026–30.06.2026", PeriodError.DATE),
    ("30.06.2026–01.01.2026", PeriodError.ORDER),
    ("01.12.2026–31.12.2026", PeriodError.FUTURE),
    ("01.01.2010–31.12.2026", PeriodError.TOO_LONG),
])
def test_bad_input_says_why(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_range(text, TODAY)
    assert caught.value.reason == reason


@pytest.mark.parametrize("code", ["", "x", "c2026-01", "c20260231-20260630", "c20260630-20260101", "c20270101-20270201",
                                  "m2"])
def test_a_forged_or_stale_code_is_no_period(code: str) -> None:
    assert from_code(code, TODAY) is None


def test_bounds_are_local_midnights_in_utc() -> None:
    start, end = Period(date(2026, 1, 1), date(2026, 6, 30)).bounds(ALMATY)
    assert start == datetime(2025, 12, 31, 19, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 6, 30, 19, 0, tzinfo=timezone.utc)
    # Almaty was UTC+6 until 1 March 2024: the zone database decides, not a fixed offset.
    assert Period(date(2024, 1, 1), date(2024, 1, 1)).bounds(ALMATY)[0] == datetime(2023, 12, 31, 18, 0,
                                                                                     tzinfo=timezone.utc)


def test_months_of_a_period() -> None:
    assert Period(date(2025, 11, 15), date(2026, 2, 1)).months() == [date(2025, 11, 1), date(2025, 12, 1),
                                                                      date(2026, 1, 1), date(2026, 2, 1)]
