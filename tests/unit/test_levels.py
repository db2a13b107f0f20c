"""Levels (bot/domain/levels.py), the approved figures they count (tasks and call-outs,
storage/repositories/figures.py) and certificate codes and periods (bot/domain/certificates.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.attendance import AttendanceOutcome
from bot.domain.certificates import (
    ALPHABET,
    PeriodChoice,
    code_from_deep_link,
    new_code,
    normalize_code,
    period_for,
)
from bot.domain.levels import LEVELS, Figures, add_figures, level_for, progress, raised
from storage.db import Database
from storage.models import Callout, CalloutHours
from storage.repositories.figures import FiguresRepository
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases
from tests.support.volunteer_tasks import SATURDAY_10, add_attendance, add_task, add_volunteer, fresh_database


@pytest.mark.parametrize(("hours", "tasks", "code"), [
    (0, 0, "newcomer"),
    (9.99, 50, "newcomer"),  # both thresholds are needed
    (10, 2, "newcomer"),
    (10, 3, "active"),
    (49.5, 40, "active"),
    (50, 10, "experienced"),
    (149.999, 30, "mentor"),  # stored hours are rounded to 2 decimals: 150
    (149.99, 30, "experienced"),
    (150, 29, "experienced"),
    (150, 30, "mentor"),
    (10_000, 1_000, "mentor"),
])
def test_level_needs_hours_and_tasks(hours: float, tasks: int, code: str) -> None:
    assert level_for(hours, tasks).code == code


def test_levels_rise_in_both_thresholds() -> None:
    assert [level.rank for level in LEVELS] == list(range(len(LEVELS)))
    for lower, higher in zip(LEVELS, LEVELS[1:], strict=False):
        assert lower.min_hours < higher.min_hours and lower.min_tasks < higher.min_tasks


def test_progress_says_what_is_left() -> None:
    ahead = progress(38, 8)
    assert ahead.level.code == "active" and ahead.next is not None and ahead.next.code == "experienced"
    assert (ahead.hours_left, ahead.tasks_left) == (12, 2)
    only_tasks = progress(60, 4)
    assert only_tasks.next is not None and (only_tasks.hours_left, only_tasks.tasks_left) == (0, 6)
    top = progress(200, 40)
    assert top.level.code == "mentor" and top.next is None
    assert raised(LEVELS[0], LEVELS[1]) and not raised(LEVELS[2], LEVELS[1]) and not raised(LEVELS[1], LEVELS[1])


def test_codes_are_random_readable_and_read_loosely() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert code.startswith("C-") and len(code) == 16 and code.count("-") == 3
    assert all(ch in ALPHABET for ch in code[2:].replace("-", ""))
    assert normalize_code(code.lower()) == code
    assert normalize_code(" " + code.replace("-", " ") + " ") == code
    assert normalize_code("c-1o1o-2345-6789") == "C-1010-2345-6789"  # O for 0
    assert normalize_code("C-ilIL-2345-6789") == "C-1111-2345-6789"  # I and L for 1
    for bad in ("", "C-7KQ4-9WXM", "C-7KQ4-9WXM-3PRTX", "D-7KQ4-9WXM-3PRT", "C-7KQ4-9WXM-3PRU", "<b>",
                "C-" + "7" * 5000):
        assert normalize_code(bad) is None
    assert code_from_deep_link("cert_" + code) == code
    assert code_from_deep_link("ci_" + code) is None


def test_periods_are_local_years() -> None:
    now = datetime(2026, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    this = period_for(PeriodChoice.THIS_YEAR, now)
    assert this.key == "2026" and this.since == now.replace(minute=0) and this.until is not None
    assert this.until.year == 2027
    last = period_for(PeriodChoice.LAST_YEAR, now)
    assert last.key == "2025" and last.since is not None and last.since.year == 2025 and last.until == this.since
    assert period_for(PeriodChoice.ALL_TIME, now).key == "all"


def test_org_name_setting(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001 - pytest's Path
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("ORG_NAME", raising=False)
    assert load_settings().org_name == "Birge"
    monkeypatch.setenv("ORG_NAME", "  «Қамқор»   қоғамдық қоры ")
    assert load_settings().org_name == "«Қамқор» қоғамдық қоры"
    for bad in ("   ", "x" * 101, "Birge\x07"):
        monkeypatch.setenv("ORG_NAME", bad)
        with pytest.raises(ConfigError, match="ORG_NAME"):
            load_settings()


def test_figures_add_tasks_and_callouts() -> None:
    assert add_figures(Figures(8.1, 2), Figures(2.25, 1)) == Figures(10.35, 3)
    assert add_figures(Figures(0.1, 1), Figures(0.2, 1)) == Figures(0.3, 2)  # rounded like stored hours
    assert add_figures() == Figures(0, 0)
    together = add_figures(Figures(8, 2), Figures(2.25, 1))
    assert level_for(together.hours, together.done).code == "active"  # neither part alone is


async def _callout_hours(db: Database, volunteer_id: int, checked_in: datetime, hours: float, *,
                         approved: bool) -> None:
    async with db.session() as session:
        callout = Callout(region="KZ-75", text="Sandbags", needed=2, starts_at=checked_in, coordinator_telegram_id=1,
                          coordinator_locale="en", created_at=checked_in)
        session.add(callout)
        await session.flush()
        session.add(CalloutHours(callout_id=callout.id, volunteer_id=volunteer_id, checked_in_at=checked_in,
                                 checked_out_at=checked_in + timedelta(hours=hours), hours=hours,
                                 approved_by=1 if approved else None, approved_at=checked_in if approved else None))


async def test_approved_figures_count_tasks_and_callouts_once(databases: TestDatabases) -> None:
    """The one rule of levels, /profile and certificates: approved hours of tasks attended
    (by the task's start) and of call-outs (by the check-in); done = those rows."""
    clock = ManualClock(SATURDAY_10)
    db = await fresh_database(databases)
    try:
        person = await add_volunteer(db, clock, 700_001)
        other = await add_volunteer(db, clock, 700_002)
        last_year = SATURDAY_10 - timedelta(days=365)
        for starts_at, outcome, hours, approved in [
            (SATURDAY_10, AttendanceOutcome.ATTENDED, 4.5, True),  # counts
            (last_year, AttendanceOutcome.ATTENDED, 3.0, True),  # counts, outside 2026
            (SATURDAY_10, AttendanceOutcome.ATTENDED, 6.0, False),  # not approved yet
            (SATURDAY_10, AttendanceOutcome.NO_SHOW, 2.0, True),  # not attended
        ]:
            task = await add_task(db, clock, starts_at=starts_at)
            await add_attendance(db, clock, task.id, person, outcome, hours=hours,
                                 approved_hours=hours if approved else None,
                                 approved_at=starts_at if approved else None)
            await add_attendance(db, clock, task.id, other, AttendanceOutcome.ATTENDED, hours=1.0,
                                 approved_hours=1.0, approved_at=starts_at)  # someone else's
        await _callout_hours(db, person, SATURDAY_10 + timedelta(days=1), 2.25, approved=True)  # counts
        await _callout_hours(db, person, last_year, 1.5, approved=True)  # counts, outside 2026
        await _callout_hours(db, person, SATURDAY_10, 5.0, approved=False)  # not approved yet
        await _callout_hours(db, other, SATURDAY_10, 7.0, approved=True)  # someone else's
        year = ZoneInfo("Asia/Almaty")
        since, until = datetime(2026, 1, 1, tzinfo=year), datetime(2027, 1, 1, tzinfo=year)
        async with db.read() as session:
            figures = FiguresRepository(session)
            assert await figures.approved(person) == Figures(11.25, 4)
            assert await figures.approved(person, since, until) == Figures(6.75, 2)
            assert await figures.approved(other) == Figures(11.0, 5)
            assert await figures.approved(other, until, until.replace(year=2028)) == Figures(0, 0)
    finally:
        await db.close()
