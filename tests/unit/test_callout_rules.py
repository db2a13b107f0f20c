"""The rules of emergencies and call-outs that need no I/O: the neighbours table, the
night window, the quick form, "how many and from when", and the hours at the close."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.callouts.drafts import CountError, parse_count
from bot.callouts.lifecycle import hours_between
from bot.domain.callouts import MAX_PEOPLE, BoardCounts, QuickForm, QuickFormError, parse_quick, wave_is_due
from bot.domain.catalog import REGIONS
from bot.domain.emergencies import NEIGHBOURS, is_night, neighbours_of

ALMATY = ZoneInfo("Asia/Almaty")


def test_every_region_has_neighbours_and_borders_are_mutual() -> None:
    codes = {region.code for region in REGIONS}
    assert set(NEIGHBOURS) == codes
    for region, others in NEIGHBOURS.items():
        assert others and region not in others and others <= codes
        assert all(region in NEIGHBOURS[other] for other in others)
    assert neighbours_of("KZ-75") == ["KZ-19"]  # Almaty city lies inside Almaty Region
    assert "KZ-75" in neighbours_of("KZ-19") and "KZ-33" in neighbours_of("KZ-19")


@pytest.mark.parametrize(("local", "night"), [
    ("22:59", False), ("23:00", True), ("03:00", True), ("06:59", True), ("07:00", False), ("12:00", False)])
def test_the_night_window_is_23_to_7_local(local: str, night: bool) -> None:
    hour, minute = map(int, local.split(":"))
    moment = datetime(2026, 3, 2, hour, minute, tzinfo=ALMATY).astimezone(timezone.utc)
    assert is_night(moment, ALMATY) is night


def test_quick_form() -> None:
    assert parse_quick("20 Sandbags needed at Sairan dam") == QuickForm(20, "Sandbags needed at Sairan dam")
    assert parse_quick("  5   Мешки\nс песком ") == QuickForm(5, "Мешки с песком")
    assert parse_quick(None) is QuickFormError.EMPTY
    assert parse_quick("   ") is QuickFormError.EMPTY
    assert parse_quick("Sandbags") is QuickFormError.NO_NUMBER
    assert parse_quick("0 Sandbags") is QuickFormError.PEOPLE
    assert parse_quick("100000 Sandbags") is QuickFormError.PEOPLE
    assert parse_quick(f"{MAX_PEOPLE} Sandbags") == QuickForm(MAX_PEOPLE, "Sandbags")
    assert parse_quick("20") is QuickFormError.TEXT
    assert parse_quick("20 " + "x" * 501) is QuickFormError.TEXT


def test_how_many_and_from_when() -> None:
    now = datetime(2026, 3, 2, 11, 0, tzinfo=ALMATY).astimezone(timezone.utc)
    assert parse_count("20", now, ALMATY) == (20, None)
    people, start = parse_count("20 18:30", now, ALMATY)
    assert people == 20 and start == datetime(2026, 3, 2, 18, 30, tzinfo=ALMATY)
    assert parse_count("7, 12.15", now, ALMATY)[1] == datetime(2026, 3, 2, 12, 15, tzinfo=ALMATY)
    for text, code in (("0", "people"), ("1001", "people"), ("twenty", "people"), ("20 25:00", "time"),
                       ("20 10:00", "past"), ("20 soon", "time")):
        with pytest.raises(CountError) as error:
            parse_count(text, now, ALMATY)
        assert error.value.code == code, text


def test_waves_and_counts() -> None:
    assert wave_is_due("open", False, 1, 2, 3)
    assert not wave_is_due("open", True, 1, 2, 3)  # stopped
    assert not wave_is_due("open", False, 3, 2, 3)  # no wave left
    assert not wave_is_due("open", False, 1, 3, 3)  # enough are coming
    assert not wave_is_due("filled", False, 1, 2, 3)
    counts = BoardCounts(invited=10, delivered=9, coming=3, arrived=1, declined=2, standby=1, cancelled=1)
    assert (counts.no_answer, counts.counted) == (2, 4)


def test_hours_from_check_in_to_close_in_quarters() -> None:
    start = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)
    assert hours_between(start, start + timedelta(hours=2)) == 2.0
    assert hours_between(start, start + timedelta(minutes=100)) == 1.75
    assert hours_between(start, start - timedelta(minutes=5)) == 0.0
