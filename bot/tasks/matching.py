"""Choosing a task's recipients from the database: the rules of bot/domain/eligibility.py
run in SQL (storage/repositories/matching.py) from one index range of volunteer_directions
(code, region, volunteer_id) - its `region` is a trigger-kept copy of the volunteer's
(migration 0004) - with the ordering keys as correlated subqueries answered from indexes;
overlaps ("free") and the ordering are done in Python on that list."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.domain.eligibility import (
    FAIRNESS_WINDOW,
    USEFUL_SKILLS,
    Candidate,
    TaskFacts,
    availability_codes_for,
    ineligibility,
    max_birth_year,
    rank,
    reliability,
)
from bot.domain.signups import HOLDS_SLOT
from bot.infra.clock import Clock
from storage.db import Database
from storage.models import Task, Volunteer
from storage.repositories.matching import MatchingRepository, MatchQuery

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _moment(value: object) -> datetime:
    if value is None:
        return _EPOCH
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


class MatchingService:
    def __init__(self, db: Database, clock: Clock, tz: ZoneInfo) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    def _match(self, task: TaskFacts) -> MatchQuery:
        return MatchQuery(
            task_id=task.id, direction=task.direction, region=task.region, starts_at=task.starts_at,
            ends_at=task.ends_at, max_birth_year=max_birth_year(task, self.tz),
            slot_codes=availability_codes_for(task, self.tz), required_skills=task.required_skills,
            relevant_skills=sorted(set(task.required_skills) | USEFUL_SKILLS.get(task.direction, frozenset())),
        )

    # -- the API ---------------------------------------------------------------------------

    async def candidates(self, task: Task | TaskFacts) -> list[Candidate]:
        """Every eligible volunteer, in the order of sending."""
        facts = task if isinstance(task, TaskFacts) else TaskFacts.of(task)
        now = self.clock.now()
        match = self._match(facts)
        async with self.db.read() as session:
            repo = MatchingRepository(session)
            rows = await repo.eligible_ranked(match, now, now - FAIRNESS_WINDOW)
            busy = await repo.busy(match)
        found = [
            Candidate(
                volunteer_id=row.id, telegram_id=row.telegram_id, locale=row.locale, skill_score=row.skill_score,
                reliability=reliability(row.attended, row.no_show, row.cancelled_late), offers_last_week=row.offers,
                last_active=_moment(row.last_active),
            )
            for row in rows
            if row.id not in busy
        ]
        return rank(found)

    async def count(self, task: Task | TaskFacts) -> int:
        return len(await self.candidates(task))

    async def is_eligible(self, task: Task | TaskFacts, volunteer_id: int) -> bool:
        """The same rules for one person (a press from /tasks, a waitlist promotion)."""
        facts = task if isinstance(task, TaskFacts) else TaskFacts.of(task)
        now = self.clock.now()
        match = self._match(facts)
        async with self.db.read() as session:
            repo = MatchingRepository(session)
            if not await repo.is_eligible(match, now, volunteer_id):
                return False
            return volunteer_id not in await repo.busy(match)

    async def open_tasks_for(self, volunteer: Volunteer, *, limit: int = 200) -> list[Task]:
        """Open tasks (not started yet) this volunteer is eligible for, soonest first."""
        now = self.clock.now()
        directions = volunteer.directions
        if not directions or volunteer.region is None:
            return []
        async with self.db.read() as session:
            repo = MatchingRepository(session)
            tasks = await repo.open_tasks(volunteer.region, directions, now, limit)
            if not tasks:
                return []
            holds = await repo.places_of(volunteer.id)
        result = []
        for task in tasks:
            facts = TaskFacts.of(task)
            busy = any(
                hold.id == task.id
                or (hold.status in HOLDS_SLOT and _as_utc(hold.starts_at) < facts.ends_at
                    and _as_utc(hold.ends_at) > facts.starts_at)
                for hold in holds
            )
            if ineligibility(facts, volunteer, now=now, tz=self.tz, busy=busy) is None:
                result.append(task)
        return result
