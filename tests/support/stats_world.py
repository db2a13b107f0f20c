"""A small known world for the statistics: volunteers, erasures, tasks, sign-ups and
broadcast messages over several months and two regions (Almaty KZ-75, Astana KZ-71),
with every figure it must give worked out by hand in tests/unit/test_stats_figures.py.

Times are written as Almaty local time (UTC+5) and stored in UTC. The report period is
the first half of 2026; "now" is 15 July 2026."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.domain.volunteers import VolunteerSource, VolunteerStatus
from bot.volunteers.service import VolunteerService
from storage.db import Database
from storage.models import DeliveryBroadcast, DeliveryMessage, Signup, Task, Volunteer
from tests.support.clock import ManualClock

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 7, 15, 6, 0, tzinfo=timezone.utc)


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY).astimezone(timezone.utc)


class World:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.telegram: dict[str, int] = {}


def _volunteer(name: str, region: str, created: datetime, birth_year: int | None, locale: str | None,
               directions: list[str], *, status: VolunteerStatus = VolunteerStatus.ACTIVE,
               source: VolunteerSource = VolunteerSource.BOT, telegram_id: int | None = None) -> Volunteer:
    return Volunteer(telegram_id=telegram_id, full_name=f"Volunteer {name}", phone=None, birth_year=birth_year,
                     region=region, locale=locale, status=status, source=source, hours=0.0, created_at=created,
                     updated_at=created, consent_at=created if source == VolunteerSource.BOT else None,
                     directions=directions)


async def build_world(db: Database, clock: ManualClock) -> World:
    world = World()
    people: dict[str, Volunteer] = {}
    telegram_id = 5000
    for i in range(1, 7):  # before the period, 18-29, kk, health
        people[f"D{i}"] = _volunteer(f"D{i}", "KZ-75", local(2025, 12, 10), 2000, "kk", ["health"])
    for i in range(1, 8):  # February, 30-54, ru, health + ecology
        people[f"F{i}"] = _volunteer(f"F{i}", "KZ-75", local(2026, 2, 15), 1990, "ru", ["health", "ecology"])
    # Just after midnight on 1 January local time (still 31 December in UTC): in the period.
    people["J1"] = _volunteer("J1", "KZ-75", local(2026, 1, 1, 0, 30), 2010, "en", ["ecology"],
                              status=VolunteerStatus.PAUSED)
    # Just before midnight on 30 June local time: in the period.
    people["E1"] = _volunteer("E1", "KZ-75", local(2026, 6, 30, 23, 30), 1960, "kk", ["elderly"])
    people["E2"] = _volunteer("E2", "KZ-75", local(2026, 6, 30, 23, 30), 1960, "kk", ["elderly"],
                              status=VolunteerStatus.UNREACHABLE)
    # Ten minutes into 1 July local time: after the period.
    people["L1"] = _volunteer("L1", "KZ-75", local(2026, 7, 1, 0, 10), 1990, "ru", ["health"])
    people["I1"] = _volunteer("I1", "KZ-75", local(2026, 3, 5), None, None, [], source=VolunteerSource.IMPORT)
    # Erased through /delete_me below: in the period, and after it.
    people["X1"] = _volunteer("X1", "KZ-75", local(2026, 3, 10), 1995, "ru", ["health"])
    people["X2"] = _volunteer("X2", "KZ-75", local(2026, 4, 10), 2001, "kk", ["ecology"])
    for i in range(1, 6):  # Astana, January, 30-54, ru, education
        people[f"A{i}"] = _volunteer(f"A{i}", "KZ-71", local(2026, 1, 20), 1985, "ru", ["education"])
    people["Z1"] = _volunteer("Z1", "KZ-71", local(2025, 1, 1), 1980, "ru", ["health"])  # erased in 2025
    for name, volunteer in people.items():
        telegram_id += 1
        volunteer.telegram_id = telegram_id
        world.telegram[name] = telegram_id
    async with db.session() as session:
        session.add_all(people.values())
        await session.flush()
        world.ids = {name: volunteer.id for name, volunteer in people.items()}

        def task(name: str, region: str, created: datetime, slots: int, *,
                 status: TaskStatus = TaskStatus.OPEN) -> Task:
            row = Task(title=f"Task {name}", description="", direction="health", region=region,
                       starts_at=created + timedelta(days=7), ends_at=created + timedelta(days=7, hours=3),
                       slots=slots, taken=0, required_skills=[], min_age=16, coordinator_telegram_id=1,
                       status=status, created_at=created, updated_at=created)
            session.add(row)
            return row

        tasks = {
            "T1": task("T1", "KZ-75", local(2026, 3, 1, 10), 2),
            "T2": task("T2", "KZ-75", local(2026, 3, 2, 10), 3, status=TaskStatus.DONE),
            "T3": task("T3", "KZ-75", local(2026, 3, 3, 10), 1, status=TaskStatus.DONE),
            "T4": task("T4", "KZ-75", local(2026, 6, 5, 10), 2),
            "T5": task("T5", "KZ-75", local(2026, 6, 10, 10), 1),
            "T6": task("T6", "KZ-75", local(2026, 6, 12, 10), 2),
            "T7": task("T7", "KZ-75", local(2026, 4, 1, 10), 5, status=TaskStatus.CANCELLED),
            "T8": task("T8", "KZ-75", local(2025, 12, 20, 10), 1),
            "T9": task("T9", "KZ-75", local(2026, 5, 1, 10), 3, status=TaskStatus.DRAFT),
            "T10": task("T10", "KZ-71", local(2026, 6, 15, 10), 1),
        }
        await session.flush()
        signups = [
            ("T1", "D1", 1.0, SignupStatus.GOING), ("T1", "D2", 3.0, SignupStatus.GOING),
            ("T2", "D1", 2.0, SignupStatus.ATTENDED), ("T2", "D3", 4.0, SignupStatus.ATTENDED),
            ("T2", "F1", 6.0, SignupStatus.ATTENDED),
            ("T3", "F2", 0.5, SignupStatus.NO_SHOW),
            ("T4", "F3", 1.0, SignupStatus.GOING), ("T4", "F4", 0.5, SignupStatus.CANCELLED),
            ("T5", "F5", 10.0, SignupStatus.GOING),
            ("T6", "F5", 1.0, SignupStatus.GOING), ("T6", "F6", 2.0, SignupStatus.CANCELLED),
            ("T6", "F7", 5.0, SignupStatus.GOING),
            ("T8", "D4", 1.0, SignupStatus.GOING),
            ("T10", "A1", 2.0, SignupStatus.GOING),
        ]
        for task_name, person, hours, status in signups:
            at = tasks[task_name].created_at + timedelta(hours=hours)
            session.add(Signup(task_id=tasks[task_name].id, volunteer_id=world.ids[person], status=status,
                               created_at=at, updated_at=at))
        for name, row in tasks.items():
            world.ids[name] = row.id

        await _broadcasts(session, world, local)
    clock.set(local(2026, 5, 1))
    await VolunteerService(db, clock).delete(world.telegram["X1"])
    clock.set(local(2026, 7, 10))
    await VolunteerService(db, clock).delete(world.telegram["X2"])
    clock.set(local(2025, 6, 1))
    await VolunteerService(db, clock).delete(world.telegram["Z1"])
    clock.set(NOW)
    return world


async def _broadcasts(session, world: World, at) -> None:  # type: ignore[no-untyped-def]  # a session and a clock moment, as the fixtures give them
    """B1 in March: Almaty D1-D5 sent, D6 failed, F1 unreachable; Astana A1-A5 sent.
    B0 in December 2025 (before the period): three sent. A single message (no broadcast)
    in March: not a broadcast."""
    plans = [
        (at(2026, 3, 20), [*((f"D{i}", DeliveryStatus.SENT) for i in range(1, 6)), ("D6", DeliveryStatus.FAILED),
                           ("F1", DeliveryStatus.UNREACHABLE), *((f"A{i}", DeliveryStatus.SENT) for i in range(1, 6))]),
        (at(2025, 12, 21), [(f"D{i}", DeliveryStatus.SENT) for i in range(1, 4)]),
    ]
    for created, outcomes in plans:
        row = DeliveryBroadcast(kind="task_offer", lane=DeliveryLane.ROUTINE, created_at=created, total=len(outcomes))
        session.add(row)
        await session.flush()
        for person, status in outcomes:
            session.add(DeliveryMessage(broadcast_id=row.id, lane=DeliveryLane.ROUTINE,
                                        chat_id=world.telegram[person], volunteer_id=world.ids[person],
                                        text="offer", status=status, next_attempt_at=created, created_at=created))
    single = at(2026, 3, 21)
    session.add(DeliveryMessage(lane=DeliveryLane.PERSONAL, chat_id=world.telegram["D1"], volunteer_id=world.ids["D1"],
                                text="reminder", status=DeliveryStatus.SENT, next_attempt_at=single, created_at=single))
