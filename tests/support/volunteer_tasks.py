"""Helpers for the volunteer-side task tests: volunteers and tasks written straight into
the database (so these tests depend only on matching, offers and sign-ups)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from bot.domain.tasks import TaskStatus
from bot.domain.volunteers import VolunteerStatus
from bot.infra.clock import Clock
from storage.db import Database
from storage.models import Attendance, Signup, Task, TelegramUser, Volunteer
from tests.support.databases import TestDatabases

# Saturday 7 March 2026, 10:00 in Almaty (UTC+5).
SATURDAY_10 = datetime(2026, 3, 7, 5, 0, tzinfo=timezone.utc)
COORDINATOR = 500_001


async def add_volunteer(db: Database, clock: Clock, telegram_id: int | None, **fields: Any) -> int:
    """A registered, active volunteer in Almaty (health, first aid, weekends, born 1990);
    `fields` override any of that (directions, skills as lists)."""
    now = clock.now()
    values: dict[str, Any] = {
        "telegram_id": telegram_id,
        "full_name": f"Volunteer {telegram_id}",
        "phone": f"+7701{(telegram_id or 0) % 10_000_000:07d}" if telegram_id else None,
        "birth_year": 1990,
        "region": "KZ-75",
        "availability": ["weekends"],
        "languages": ["kk", "ru"],
        "locale": "ru",
        "consent_at": now,
        "status": VolunteerStatus.ACTIVE,
        "source": "bot",
        "hours": 0.0,
        "created_at": now,
        "updated_at": now,
    }
    directions = fields.pop("directions", ["health"])
    skills = fields.pop("skills", ["medical"])
    last_seen = fields.pop("last_seen", None)
    if last_seen is not None:  # last active = the later of last seen and updated_at
        values["updated_at"] = min(last_seen, now)
    values.update(fields)
    async with db.session() as session:
        volunteer = Volunteer(**values)
        volunteer.directions = directions
        volunteer.skills = skills
        session.add(volunteer)
        if telegram_id is not None:
            session.add(TelegramUser(telegram_id=telegram_id, locale=values["locale"], created_at=now,
                                     last_seen_at=last_seen or now))
        await session.flush()
        return volunteer.id


async def add_task(db: Database, clock: Clock, **fields: Any) -> Task:
    """An open task in Almaty: "health", Saturday 10:00-14:00 local, 5 slots, first aid, 18+."""
    now = clock.now()
    starts = fields.pop("starts_at", SATURDAY_10)
    values: dict[str, Any] = {
        "title": "Blood donation day",
        "description": "Help at the registration desk.",
        "direction": "health",
        "region": "KZ-75",
        "place": "City hospital No. 7",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=4),
        "slots": 5,
        "taken": 0,
        "required_skills": ["medical"],
        "min_age": 18,
        "organisation": "Red Crescent",
        "coordinator_telegram_id": COORDINATOR,
        "status": TaskStatus.OPEN,
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    async with db.session() as session:
        task = Task(**values)
        session.add(task)
        await session.flush()
        return task


async def add_signup(db: Database, clock: Clock, task_id: int, volunteer_id: int, status: str) -> None:
    async with db.session() as session:
        session.add(Signup(task_id=task_id, volunteer_id=volunteer_id, status=status,
                           created_at=clock.now(), updated_at=clock.now()))


async def add_attendance(db: Database, clock: Clock, task_id: int, volunteer_id: int, outcome: str,
                         **fields: Any) -> None:
    """An attendance row as the end of a task writes it (reliability reads these)."""
    async with db.session() as session:
        session.add(Attendance(task_id=task_id, volunteer_id=volunteer_id, outcome=outcome, created_at=clock.now(),
                               updated_at=clock.now(), **fields))


async def signups_of(db: Database, task_id: int) -> dict[int, str]:
    async with db.sessionmaker() as session:
        rows = await session.execute(select(Signup.volunteer_id, Signup.status).where(Signup.task_id == task_id))
        return dict(rows.all())


async def task_row(db: Database, task_id: int) -> Task:
    async with db.sessionmaker() as session:
        task = await session.get(Task, task_id)
        assert task is not None
        return task


async def fresh_database(databases: TestDatabases, name: str = "birge") -> Database:
    """A migrated database of this test (tests/support/databases.py: a copy of a template
    migrated once per session), closed after the test."""
    return await databases.open(name)


class Stack:
    """The task services over one database, without a running bot (the outbox rows are
    written, nobody sends them)."""

    def __init__(self, db: Database, clock: Clock, *, daily_cap: int = 5, confirm_minutes: int = 120) -> None:
        from zoneinfo import ZoneInfo

        from bot.infra.delivery import DeliveryService
        from bot.infra.i18n import LocalTime, make_i18n
        from bot.tasks.cards import CardRenderer
        from bot.tasks.matching import MatchingService
        from bot.tasks.offers import OfferService
        from bot.tasks.signups import SignupService

        tz = ZoneInfo("Asia/Almaty")
        self.db = db
        self.clock = clock
        self.i18n = make_i18n("kk")
        self.local_time = LocalTime(tz)
        self.delivery = DeliveryService(db, clock, self.i18n)
        self.matching = MatchingService(db, clock, tz)
        self.cards = CardRenderer(self.i18n, self.local_time)
        self.offers = OfferService(db, clock, self.i18n, self.delivery, self.matching, self.cards, tz,
                                   daily_cap=daily_cap)
        self.signups = SignupService(db, clock, self.i18n, self.local_time, self.delivery, self.matching,
                                     self.cards, confirm_minutes=confirm_minutes)

    async def deliveries(self) -> list[Any]:
        from storage.models import DeliveryMessage

        async with self.db.sessionmaker() as session:
            return list(await session.scalars(select(DeliveryMessage).order_by(DeliveryMessage.id)))
