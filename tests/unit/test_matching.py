"""Matching: each eligibility rule on its own (SQL path and the pure check agree), the
availability windows, the order of sending, and the region copy kept by triggers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.domain.attendance import AttendanceOutcome
from bot.domain.eligibility import Candidate, TaskFacts, ineligibility, is_available, rank, reliability
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.domain.volunteers import VolunteerStatus
from bot.tasks.matching import MatchingService
from bot.volunteers.service import VolunteerService
from storage.db import Database
from storage.models import Signup, TaskOffer, Volunteer, VolunteerDirection
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases
from tests.support.volunteer_tasks import SATURDAY_10, add_attendance, add_signup, add_task, add_volunteer, fresh_database

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)  # Monday 11:00 local


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def db(databases: TestDatabases) -> AsyncIterator[Database]:
    database = await fresh_database(databases)
    yield database
    await database.close()


@pytest.fixture
def matching(db: Database, clock: ManualClock) -> MatchingService:
    return MatchingService(db, clock, ALMATY)


# One change to an eligible volunteer, and the rule it must break (None: still eligible).
RULES: list[tuple[str, dict[str, Any], str | None]] = [
    ("baseline", {}, None),
    ("paused", {"status": VolunteerStatus.PAUSED, "paused_until": NOW + timedelta(days=2)}, "active"),
    ("paused until resumed", {"status": VolunteerStatus.PAUSED, "paused_until": None}, "active"),
    ("lapsed pause", {"status": VolunteerStatus.PAUSED, "paused_until": NOW - timedelta(hours=1)}, None),
    ("unreachable", {"status": VolunteerStatus.UNREACHABLE}, "active"),
    ("deleted", {"status": VolunteerStatus.DELETED}, "active"),
    ("no consent", {"consent_at": None}, "registered"),
    ("no telegram", {"telegram_id": None}, "registered"),
    ("other direction", {"directions": ["ecology"]}, "direction"),
    ("other region", {"region": "KZ-71"}, "region"),
    ("too young", {"birth_year": 2009}, "age"),  # 17 in 2026, the task wants 18
    ("exactly old enough", {"birth_year": 2008}, None),
    ("no birth year", {"birth_year": None}, "age"),
    ("missing skill", {"skills": ["driving"]}, "skills"),
    ("weekdays only", {"availability": ["weekdays"]}, "available"),
    ("emergency only", {"availability": ["emergency"]}, "available"),
    ("no availability", {"availability": []}, "available"),
]


@pytest.mark.parametrize(("name", "change", "rule"), RULES, ids=[r[0] for r in RULES])
async def test_each_rule_on_its_own(db: Database, clock: ManualClock, matching: MatchingService,
                                    name: str, change: dict[str, Any], rule: str | None) -> None:
    task = await add_task(db, clock)
    telegram_id = change.pop("telegram_id", 700_001)
    volunteer_id = await add_volunteer(db, clock, telegram_id, **change)
    found = [c.volunteer_id for c in await matching.candidates(task)]
    assert found == ([volunteer_id] if rule is None else [])
    assert await matching.is_eligible(task, volunteer_id) is (rule is None)
    assert await matching.count(task) == len(found)
    async with db.sessionmaker() as session:
        volunteer = await session.get(Volunteer, volunteer_id)
        assert ineligibility(TaskFacts.of(task), volunteer, now=clock.now(), tz=ALMATY) == rule


async def test_overlapping_and_own_signups(db: Database, clock: ManualClock, matching: MatchingService) -> None:
    task = await add_task(db, clock)
    overlapping = await add_task(db, clock, starts_at=SATURDAY_10 + timedelta(hours=3))
    later = await add_task(db, clock, starts_at=SATURDAY_10 + timedelta(hours=4))  # starts as ours ends
    cancelled = await add_task(db, clock, status=TaskStatus.CANCELLED)
    busy = await add_volunteer(db, clock, 700_001)
    await add_signup(db, clock, overlapping.id, busy, SignupStatus.GOING)
    offered = await add_volunteer(db, clock, 700_002)
    await add_signup(db, clock, overlapping.id, offered, SignupStatus.OFFERED)
    waitlisted_elsewhere = await add_volunteer(db, clock, 700_003)
    await add_signup(db, clock, overlapping.id, waitlisted_elsewhere, SignupStatus.WAITLISTED)
    back_to_back = await add_volunteer(db, clock, 700_004)
    await add_signup(db, clock, later.id, back_to_back, SignupStatus.GOING)
    on_cancelled = await add_volunteer(db, clock, 700_005)
    await add_signup(db, clock, cancelled.id, on_cancelled, SignupStatus.GOING)
    gave_up = await add_volunteer(db, clock, 700_006)
    await add_signup(db, clock, overlapping.id, gave_up, SignupStatus.CANCELLED)
    on_this_waitlist = await add_volunteer(db, clock, 700_007)
    await add_signup(db, clock, task.id, on_this_waitlist, SignupStatus.WAITLISTED)

    found = {c.volunteer_id for c in await matching.candidates(task)}
    assert found == {waitlisted_elsewhere, back_to_back, on_cancelled, gave_up}
    assert not await matching.is_eligible(task, busy)
    assert await matching.is_eligible(task, back_to_back)


def facts(start_local: datetime, direction: str = "health") -> TaskFacts:
    start = start_local.replace(tzinfo=ALMATY).astimezone(timezone.utc)
    return TaskFacts(1, direction, "KZ-75", start, start + timedelta(hours=2), 16, ())


AVAILABILITY_CASES = [
    # (local start, direction, slots, available?)
    (datetime(2026, 3, 3, 8, 0), "health", ["weekdays"], True),  # Tuesday 08:00
    (datetime(2026, 3, 3, 17, 59), "health", ["weekdays"], True),
    (datetime(2026, 3, 3, 7, 59), "health", ["weekdays"], False),
    (datetime(2026, 3, 3, 18, 0), "health", ["weekdays"], False),
    (datetime(2026, 3, 3, 18, 0), "health", ["evenings"], True),
    (datetime(2026, 3, 3, 22, 59), "health", ["evenings"], True),
    (datetime(2026, 3, 3, 23, 0), "health", ["evenings", "weekdays"], False),
    (datetime(2026, 3, 6, 19, 0), "health", ["weekends"], False),  # Friday evening is not the weekend
    (datetime(2026, 3, 7, 6, 0), "health", ["weekends"], True),  # Saturday, any time
    (datetime(2026, 3, 8, 23, 30), "health", ["weekends"], True),  # Sunday night
    (datetime(2026, 3, 7, 10, 0), "health", ["weekdays", "evenings"], False),
    (datetime(2026, 3, 3, 3, 0), "emergency", ["emergency"], True),  # any time, emergencies only
    (datetime(2026, 3, 3, 3, 0), "health", ["emergency"], False),
    (datetime(2026, 3, 3, 10, 0), "emergency", ["weekdays"], True),  # emergencies follow the usual slots too
]


@pytest.mark.parametrize(("start", "direction", "slots", "expected"), AVAILABILITY_CASES)
def test_availability_windows(start: datetime, direction: str, slots: list[str], expected: bool) -> None:
    assert is_available(slots, facts(start, direction), ALMATY) is expected


async def test_emergency_volunteer_gets_a_night_emergency_task(db: Database, clock: ManualClock,
                                                              matching: MatchingService) -> None:
    night = datetime(2026, 3, 3, 3, 0, tzinfo=ALMATY).astimezone(timezone.utc)
    task = await add_task(db, clock, direction="emergency", starts_at=night, required_skills=[])
    anytime = await add_volunteer(db, clock, 700_001, directions=["emergency"], availability=["emergency"])
    await add_volunteer(db, clock, 700_002, directions=["emergency"], availability=["weekdays", "weekends"])
    assert [c.volunteer_id for c in await matching.candidates(task)] == [anytime]


def candidate(volunteer_id: int, skill: int = 1, rel: float = 0.5, offers: int = 0, days_ago: int = 0) -> Candidate:
    return Candidate(volunteer_id, volunteer_id, "ru", skill, rel, offers, NOW - timedelta(days=days_ago))


def test_rank_keys_in_order() -> None:
    ordered = rank([
        candidate(1, skill=1, rel=1.0, offers=0, days_ago=0),
        candidate(2, skill=2, rel=0.0, offers=9, days_ago=300),  # more skills beats everything else
        candidate(3, skill=1, rel=1.0, offers=3, days_ago=0),  # more offers this week: later
        candidate(4, skill=1, rel=0.9, offers=0, days_ago=0),  # less reliable: later
        candidate(5, skill=1, rel=1.0, offers=0, days_ago=5),  # less recently active: later
        candidate(6, skill=1, rel=1.0, offers=0, days_ago=0),  # a full tie: by id
    ])
    assert [c.volunteer_id for c in ordered] == [2, 1, 6, 5, 3, 4]


def test_reliability_is_neutral_without_history() -> None:
    assert reliability(0, 0) == 0.5
    assert reliability(3, 1) == 0.75
    assert reliability(0, 2) == 0.0
    # A late cancellation counts as half a no-show.
    assert reliability(3, 0, 2) == 0.75
    assert reliability(0, 0, 1) == 0.0


async def test_order_of_sending_from_the_database(db: Database, clock: ManualClock,
                                                  matching: MatchingService) -> None:
    task = await add_task(db, clock)
    past = await add_task(db, clock, starts_at=NOW - timedelta(days=30), status=TaskStatus.DONE)
    past2 = await add_task(db, clock, starts_at=NOW - timedelta(days=20), status=TaskStatus.DONE)
    # Skills relevant to "health": first aid (required) and psychology (useful).
    skilled = await add_volunteer(db, clock, 700_001, skills=["medical", "psychology"],
                                  last_seen=NOW - timedelta(days=100))
    reliable = await add_volunteer(db, clock, 700_002, last_seen=NOW - timedelta(days=50))
    await add_attendance(db, clock, past.id, reliable, AttendanceOutcome.ATTENDED)
    unknown = await add_volunteer(db, clock, 700_003, last_seen=NOW - timedelta(days=40))
    flaky = await add_volunteer(db, clock, 700_004, last_seen=NOW)
    past3 = await add_task(db, clock, starts_at=NOW - timedelta(days=15), status=TaskStatus.DONE)
    await add_attendance(db, clock, past.id, flaky, AttendanceOutcome.ATTENDED)
    await add_attendance(db, clock, past2.id, flaky, AttendanceOutcome.NO_SHOW)
    await add_attendance(db, clock, past3.id, flaky, AttendanceOutcome.NO_SHOW)
    offered_a_lot = await add_volunteer(db, clock, 700_005, last_seen=NOW)
    recent = await add_volunteer(db, clock, 700_006, last_seen=NOW - timedelta(days=1))
    old_offer = await add_task(db, clock, starts_at=NOW - timedelta(days=10), status=TaskStatus.DONE)
    async with db.session() as session:
        session.add(TaskOffer(task_id=past2.id, volunteer_id=offered_a_lot, offered_at=NOW - timedelta(days=2)))
        # An offer older than a week does not count against fairness.
        session.add(TaskOffer(task_id=old_offer.id, volunteer_id=recent, offered_at=NOW - timedelta(days=8)))
    found = await matching.candidates(task)
    assert [c.volunteer_id for c in found] == [skilled, reliable, recent, unknown, offered_a_lot, flaky]
    by_id = {c.volunteer_id: c for c in found}
    assert by_id[skilled].skill_score == 2 and by_id[reliable].skill_score == 1
    assert by_id[flaky].reliability == pytest.approx(1 / 3) and by_id[reliable].reliability == 1.0
    assert by_id[unknown].reliability == 0.5
    assert by_id[offered_a_lot].offers_last_week == 1 and by_id[recent].offers_last_week == 0
    assert by_id[recent].last_active == NOW - timedelta(days=1)
    assert by_id[skilled].telegram_id == 700_001 and by_id[skilled].locale == "ru"


async def test_region_copy_follows_the_volunteer(db: Database, clock: ManualClock, matching: MatchingService) -> None:
    """volunteer_directions.region is kept by triggers (migration 0004) for every writer."""
    task = await add_task(db, clock)
    volunteer_id = await add_volunteer(db, clock, 700_001, region="KZ-71")
    assert await matching.candidates(task) == []
    await VolunteerService(db, clock).update(700_001, region="KZ-75")
    assert [c.volunteer_id for c in await matching.candidates(task)] == [volunteer_id]
    await VolunteerService(db, clock).update(700_001, directions=["ecology", "health"])
    async with db.sessionmaker() as session:
        regions = set(await session.scalars(
            select(VolunteerDirection.region).where(VolunteerDirection.volunteer_id == volunteer_id)))
    assert regions == {"KZ-75"}
    async with db.session() as session:  # plain SQL, as a script or the import would write
        await session.execute(update(Volunteer).where(Volunteer.id == volunteer_id).values(region="KZ-79"))
    assert await matching.candidates(task) == []


async def test_signup_history_does_not_count_other_statuses(db: Database, clock: ManualClock,
                                                             matching: MatchingService) -> None:
    task = await add_task(db, clock)
    past = await add_task(db, clock, starts_at=NOW - timedelta(days=30), status=TaskStatus.DONE)
    volunteer_id = await add_volunteer(db, clock, 700_001)
    await add_signup(db, clock, past.id, volunteer_id, SignupStatus.CANCELLED)
    [found] = await matching.candidates(task)
    assert found.reliability == 0.5
    async with db.sessionmaker() as session:
        assert len(list(await session.scalars(select(Signup)))) == 1
