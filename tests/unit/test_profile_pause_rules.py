"""When a pause ends: presets, typed dates and the local midnight they stand for."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.domain.pause import BadDate, add_months, end_moment, latest_end, local_today, parse_end_date, preset_end

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 2), 1, date(2026, 4, 2)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 2), 12, date(2027, 3, 2)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("code", "expected"), [("1w", date(2026, 3, 9)), ("2w", date(2026, 3, 16)), ("1m", date(2026, 4, 2))])
def test_presets(code: str, expected: date) -> None:
    assert preset_end(code, date(2026, 3, 2)) == expected


def test_today_is_local() -> None:
    # 20:30 UTC on 1 March is already 2 March in Almaty (UTC+5).
    assert local_today(datetime(2026, 3, 1, 20, 30, tzinfo=timezone.utc), ALMATY) == date(2026, 3, 2)


def test_a_pause_ends_at_local_midnight() -> None:
    assert end_moment(date(2026, 3, 9), ALMATY) == datetime(2026, 3, 8, 19, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15.04.2026", date(2026, 4, 15)), (" 3.3.2026 ", date(2026, 3, 3)), ("02-03-2027", date(2027, 3, 2))],
)
def test_good_dates(text: str, expected: date) -> None:
    assert parse_end_date(text, date(2026, 3, 2)) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tomorrow", "format"),
        ("31.02.2026", "format"),
        ("15.04.26", "format"),
        ("", "format"),
        ("02.03.2026", "past"),
        ("01.03.2026", "past"),
        ("03.03.2027", "too_far"),
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_end_date(text, date(2026, 3, 2))
    assert caught.value.reason == reason


def test_latest_end_is_a_year_ahead() -> None:
    assert latest_end(date(2026, 3, 2)) == date(2027, 3, 2)
