"""Every figure of the statistics on a small known world (tests/support/stats_world.py),
worked out by hand; regions see only themselves; figures survive /delete_me."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.domain.statistics import SUPPRESSED
from bot.stats.figures import Breakdown, SectionFigures
from bot.stats.format import figure_text, row_text
from bot.stats.periods import Period
from bot.stats.service import StatsResult, StatsService
from bot.volunteers.service import VolunteerService
from storage.db import Database
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases
from tests.support.stats_world import ALMATY, NOW, World, build_world

H1 = Period(date(2026, 1, 1), date(2026, 6, 30))
DIRECTIONS = ["health", "ecology", "heritage", "emergency", "mentoring", "elderly", "education", "social"]


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open("stats")  # closed with the test's databases


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db, ManualClock(NOW))


@pytest.fixture
def stats(db: Database) -> StatsService:
    return StatsService(db, ManualClock(NOW), ALMATY)


def values(section: SectionFigures) -> dict[str, object]:
    return {figure.key: figure.value for figure in section.figures}


def rows(breakdown: Breakdown) -> dict[str, int]:
    return {row.key: row.value for row in breakdown.rows}


def direction_rows(**counts: int) -> dict[str, int]:
    return {code: counts.get(code, 0) for code in DIRECTIONS}


async def test_almaty_first_half_of_2026(world: World, stats: StatsService) -> None:
    result = await stats.compute(frozenset({"KZ-75"}), H1)
    volunteers = result.section("volunteers")
    # On record at the end of 30 June: D1-D6, F1-F7, J1, E1, E2, I1 (17 rows) and X2,
    # erased on 10 July (its anonymous record). Not L1 (1 July), not X1 (erased in May).
    assert values(volunteers) == {"registered": 18, "new": 13, "active": 5, "paused": 1, "unreachable": 1}
    assert rows(volunteers.breakdown("by_direction")) == direction_rows(health=13, ecology=9, elderly=2)
    assert rows(volunteers.breakdown("by_region")) == {"KZ-75": 18}
    assert rows(volunteers.breakdown("by_age")) == {"under_18": 1, "18_29": 7, "30_54": 7, "55_plus": 2, "": 1}
    assert rows(volunteers.breakdown("by_language")) == {"kk": 9, "ru": 7, "en": 1, "": 1}
    assert rows(volunteers.breakdown("new_by_month")) == {"2026-01": 1, "2026-02": 7, "2026-03": 2, "2026-04": 1,
                                                          "2026-05": 0, "2026-06": 2}
    tasks = result.section("tasks")
    assert values(tasks) == {"published": 7, "cancelled": 1, "filled": 5, "fill_rate": 5 / 7,
                             "median_fill_hours": pytest.approx(5.0), "signups": 12, "signed_up": 10}
    assert values(result.section("broadcasts")) == {"broadcasts": 1, "sent": 5, "failed": 1, "unreachable": 1}
    # Tasks starting in the period: T1, T2, T5, T6 attended (7), T3, T4, T6 no-shows (3);
    # T4's late cancellation is neither; T8 started in December. Approved hours: 16.5 on
    # six task places, 8.0 of two people in call-out C1 (F1's 3.5 not approved yet), 9.5
    # of four people in C3, C4, C5.
    assert values(result.section("attendance")) == {"attended": 7, "no_shows": 3, "attendance_rate": 0.7,
                                                    "no_show_rate": 0.3, "hours_approved": 34.0}
    assert result.section("attendance").figure("hours_approved").basis == 12
    # By the month the task starts in (T1, T2: 8 and 9 March; T5: 17 June) or the
    # volunteer checked in at the call-out (C1: April; C3, C4, C5: June); hidden as the
    # total is, below 5 approved rows (April's two); June, the smallest other month, is
    # hidden with April so that April cannot be worked out from the total.
    hours = result.section("attendance").breakdown("hours_by_month")
    assert [(row.key, row.value, row.basis, row.hidden) for row in hours.rows] == [
        ("2026-01", 0.0, 0, False), ("2026-02", 0.0, 0, False), ("2026-03", 14.5, 5, False),
        ("2026-04", 8.0, 2, True), ("2026-05", 0.0, 0, False), ("2026-06", 11.5, 5, True)]
    assert [row_text(row, locale, hours.kind) for row in hours.rows for locale in ("ru", "en")] == [
        "0,0", "0.0", "0,0", "0.0", "14,5", "14.5", SUPPRESSED, SUPPRESSED, "0,0", "0.0", SUPPRESSED, SUPPRESSED]
    # C1 20 min (the 2nd "coming" or arrived), C2 45 (a cancellation does not count),
    # C4 12, C5 25, C6 8; C3 short of people; C8 no wave yet; C0 before the period.
    callouts = result.section("callouts")
    assert values(callouts) == {"callouts": 7, "filled": 5, "median_fill_minutes": pytest.approx(20.0),
                                "waves": 10}
    assert rows(callouts.breakdown("by_waves")) == {"0": 1, "1": 3, "2": 2, "3": 1}
    # Reached: safe (by a call or their own report) or needs help; not reached: no answer
    # or a wrong number. First calls after 10, 20, 30, 45, 60, 90 minutes.
    assert values(result.section("reconnection")) == {"requests": 8, "reached": 5, "not_reached": 2,
                                                      "median_first_call_minutes": pytest.approx(37.5)}


async def test_the_whole_country(world: World, stats: StatsService) -> None:
    result = await stats.compute(None, H1)
    volunteers = result.section("volunteers")
    assert values(volunteers) == {"registered": 23, "new": 18, "active": 6, "paused": 1, "unreachable": 1}
    assert rows(volunteers.breakdown("by_direction")) == direction_rows(health=13, ecology=9, elderly=2, education=5)
    by_region = rows(volunteers.breakdown("by_region"))
    assert len(by_region) == 20 and by_region["KZ-75"] == 18 and by_region["KZ-71"] == 5
    assert sum(by_region.values()) == 23
    assert rows(volunteers.breakdown("by_age")) == {"under_18": 1, "18_29": 7, "30_54": 12, "55_plus": 2, "": 1}
    assert rows(volunteers.breakdown("by_language")) == {"kk": 9, "ru": 12, "en": 1, "": 1}
    assert rows(volunteers.breakdown("new_by_month"))["2026-01"] == 6
    tasks = result.section("tasks")
    assert values(tasks) == {"published": 8, "cancelled": 1, "filled": 6, "fill_rate": 6 / 8,
                             "median_fill_hours": pytest.approx(4.0), "signups": 13, "signed_up": 11}
    assert values(result.section("broadcasts")) == {"broadcasts": 1, "sent": 10, "failed": 1, "unreachable": 1}
    assert values(result.section("attendance")) == {"attended": 8, "no_shows": 3, "attendance_rate": 8 / 11,
                                                    "no_show_rate": 3 / 11, "hours_approved": 38.0}
    assert rows(result.section("attendance").breakdown("hours_by_month"))["2026-06"] == 15.5  # Astana's 4.0 too
    callouts = result.section("callouts")
    assert values(callouts) == {"callouts": 8, "filled": 6, "median_fill_minutes": pytest.approx(22.5),
                                "waves": 11}
    assert rows(callouts.breakdown("by_waves")) == {"0": 1, "1": 4, "2": 2, "3": 1}
    assert values(result.section("reconnection")) == {"requests": 9, "reached": 5, "not_reached": 3,
                                                      "median_first_call_minutes": pytest.approx(30.0)}


async def test_a_region_sees_nothing_of_the_others(world: World, stats: StatsService) -> None:
    result = await stats.compute(frozenset({"KZ-71"}), H1)
    volunteers = result.section("volunteers")
    assert values(volunteers) == {"registered": 5, "new": 5, "active": 1, "paused": 0, "unreachable": 0}
    assert rows(volunteers.breakdown("by_direction")) == direction_rows(education=5)
    assert rows(volunteers.breakdown("by_region")) == {"KZ-71": 5}
    assert rows(volunteers.breakdown("by_age")) == {"under_18": 0, "18_29": 0, "30_54": 5, "55_plus": 0}
    assert rows(volunteers.breakdown("by_language")) == {"kk": 0, "ru": 5, "en": 0}
    assert rows(volunteers.breakdown("new_by_month")) == {"2026-01": 5, "2026-02": 0, "2026-03": 0, "2026-04": 0,
                                                          "2026-05": 0, "2026-06": 0}
    assert values(result.section("tasks")) == {"published": 1, "cancelled": 0, "filled": 1, "fill_rate": 1.0,
                                               "median_fill_hours": pytest.approx(2.0), "signups": 1, "signed_up": 1}
    assert values(result.section("broadcasts")) == {"broadcasts": 1, "sent": 5, "failed": 0, "unreachable": 0}
    assert values(result.section("attendance")) == {"attended": 1, "no_shows": 0, "attendance_rate": 1.0,
                                                    "no_show_rate": 0.0, "hours_approved": 4.0}
    hours = result.section("attendance").breakdown("hours_by_month").rows
    assert [(row.key, row.value, row.basis) for row in hours][-2:] == [("2026-05", 0.0, 0), ("2026-06", 4.0, 2)]
    assert values(result.section("callouts")) == {"callouts": 1, "filled": 1,
                                                  "median_fill_minutes": pytest.approx(30.0), "waves": 1}
    assert rows(result.section("callouts").breakdown("by_waves")) == {"0": 0, "1": 1, "2": 0, "3": 0}
    assert values(result.section("reconnection")) == {"requests": 1, "reached": 0, "not_reached": 1,
                                                      "median_first_call_minutes": pytest.approx(15.0)}


async def test_small_numbers_are_shown_as_fewer_than_five(world: World, stats: StatsService) -> None:
    result = await stats.compute(frozenset({"KZ-71"}), H1)
    shown = {section.key: {figure.key: figure_text(figure, "en") for figure in section.figures}
             for section in result.sections}
    # 0 identifies nobody; 1-4 could; a rate or median of fewer than 5 tasks is hidden too.
    assert shown == {
        "volunteers": {"registered": "5", "new": "5", "active": SUPPRESSED, "paused": "0", "unreachable": "0"},
        "tasks": {"published": SUPPRESSED, "cancelled": "0", "filled": SUPPRESSED, "fill_rate": SUPPRESSED,
                  "median_fill_hours": SUPPRESSED, "signups": SUPPRESSED, "signed_up": SUPPRESSED},
        "attendance": {"attended": SUPPRESSED, "no_shows": "0", "attendance_rate": SUPPRESSED,
                       "no_show_rate": SUPPRESSED, "hours_approved": SUPPRESSED},
        "callouts": {"callouts": SUPPRESSED, "filled": SUPPRESSED, "median_fill_minutes": SUPPRESSED,
                     "waves": SUPPRESSED},
        "reconnection": {"requests": SUPPRESSED, "reached": "0", "not_reached": SUPPRESSED,
                         "median_first_call_minutes": SUPPRESSED},
        "broadcasts": {"broadcasts": SUPPRESSED, "sent": "5", "failed": "0", "unreachable": "0"},
    }
    almaty = await stats.compute(frozenset({"KZ-75"}), H1)
    ages = {row.key: row_text(row, "en") for row in almaty.section("volunteers").breakdown("by_age").rows}
    assert ages == {"under_18": SUPPRESSED, "18_29": "7", "30_54": "7", "55_plus": SUPPRESSED, "": SUPPRESSED}
    tasks = {figure.key: figure_text(figure, "ru") for figure in almaty.section("tasks").figures}
    assert tasks["fill_rate"] == "71,4\xa0%" or tasks["fill_rate"] == "71,4 %"
    assert tasks["median_fill_hours"] == "5,0"
    shown_ru = {section: {figure.key: figure_text(figure, "ru") for figure in almaty.section(section).figures}
                for section in ("attendance", "callouts", "reconnection")}
    assert shown_ru == {
        "attendance": {"attended": "7", "no_shows": SUPPRESSED, "attendance_rate": "70,0 %",
                       "no_show_rate": "30,0 %", "hours_approved": "34,0"},
        "callouts": {"callouts": "7", "filled": "5", "median_fill_minutes": "20,0", "waves": "10"},
        "reconnection": {"requests": "8", "reached": "5", "not_reached": SUPPRESSED,
                         "median_first_call_minutes": "37,5"},
    }
    waves = {row.key: row_text(row, "en") for row in almaty.section("callouts").breakdown("by_waves").rows}
    assert waves == {"0": SUPPRESSED, "1": SUPPRESSED, "2": SUPPRESSED, "3": SUPPRESSED}


async def test_a_period_with_nothing_in_it(world: World, stats: StatsService) -> None:
    result = await stats.compute(None, Period(date(2024, 1, 1), date(2024, 1, 31)))
    assert values(result.section("tasks"))["fill_rate"] is None
    assert figure_text(result.section("tasks").figure("fill_rate"), "en") == "—"
    assert values(result.section("volunteers"))["registered"] == 0
    for key in ("attendance_rate", "no_show_rate"):
        assert figure_text(result.section("attendance").figure(key), "en") == "—"
    assert values(result.section("attendance"))["hours_approved"] == 0.0
    assert figure_text(result.section("callouts").figure("median_fill_minutes"), "en") == "—"
    assert figure_text(result.section("reconnection").figure("median_first_call_minutes"), "en") == "—"


async def test_figures_survive_delete_me(db: Database, world: World, stats: StatsService) -> None:
    before = await stats.compute(None, H1)
    after_clock = ManualClock(NOW)
    for name in ("D1", "F1", "J1", "E2"):
        assert await VolunteerService(db, after_clock).delete(world.telegram[name])
    after = await stats.compute(None, H1)
    # Past figures are unchanged; only "now" figures (paused, unreachable) follow the erasures.
    now_keys = {"paused", "unreachable"}

    def past(result: StatsResult) -> list[SectionFigures]:
        return [replace(section, figures=tuple(f for f in section.figures if f.key not in now_keys))
                if section.key == "volunteers" else section for section in result.sections]

    assert past(after) == past(before)
    assert values(after.section("volunteers"))["paused"] == 0
    assert values(after.section("volunteers"))["unreachable"] == 0


async def test_the_registry_orders_sections_and_refuses_a_key_twice() -> None:
    from bot.stats.figures import REGISTRY, Registry

    assert [section.key for section in REGISTRY.ordered()] == ["volunteers", "tasks", "attendance", "callouts", "reconnection",
                                                              "broadcasts"]
    registry = Registry()
    section = REGISTRY.sections["tasks"]
    registry.register(section)
    with pytest.raises(ValueError):
        registry.register(section)




async def test_directions_counted_either_way_agree(world: World, stats: StatsService) -> None:
    # At the end of January most Almaty rows were not registered yet: the directions are
    # counted by joining the few counted volunteers, not by subtracting the many left out.
    january = await stats.compute(frozenset({"KZ-75"}), Period(date(2026, 1, 1), date(2026, 1, 31)))
    assert values(january.section("volunteers"))["registered"] == 7  # D1-D6, J1
    assert rows(january.section("volunteers").breakdown("by_direction")) == direction_rows(health=6, ecology=1)
