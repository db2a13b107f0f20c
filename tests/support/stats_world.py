"""A small known world for the statistics: volunteers, erasures, tasks, sign-ups,
attendance and hours, call-outs with their answers, reconnection requests and
broadcast messages over several months and two regions (Almaty KZ-75, Astana KZ-71),
with every figure it must give worked out by hand in tests/unit/test_stats_figures.py.

Times are written as Almaty local time (UTC+5) and stored in UTC. The report period is
the first half of 2026; "now" is 15 July 2026."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.domain.attendance import AttendanceOutcome
from bot.domain.callouts import AnswerStatus, CalloutStatus
from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.domain.reconnection import RequestStatus, SafeSource
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.domain.volunteers import VolunteerSource, VolunteerStatus
from bot.volunteers.service import VolunteerService
from storage.db import Database
from storage.models import (
    Attendance,
    Callout,
    CalloutAnswer,
    CalloutHours,
    DeliveryBroadcast,
    DeliveryMessage,
    ReconnectionRequest,
    Signup,
    Task,
    Volunteer,
)
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
        _attendance(session, world, tasks)
        await _callouts(session, world)
        _reconnection(session)
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


def _attendance(session, world: World, tasks: dict[str, Task]) -> None:  # type: ignore[no-untyped-def]  # a session, as the fixtures give it
    """Outcomes and approved hours (None: not approved yet) by task, the tasks starting a
    week after they were published. T8 starts in December 2025 (before the period)."""
    rows = [
        ("T1", "D1", AttendanceOutcome.ATTENDED, 3.0), ("T1", "D2", AttendanceOutcome.ATTENDED, 3.0),
        ("T2", "D1", AttendanceOutcome.ATTENDED, 2.5), ("T2", "D3", AttendanceOutcome.ATTENDED, 3.0),
        ("T2", "F1", AttendanceOutcome.ATTENDED, 3.0), ("T3", "F2", AttendanceOutcome.NO_SHOW, None),
        ("T4", "F3", AttendanceOutcome.NO_SHOW, None), ("T4", "F4", AttendanceOutcome.CANCELLED_LATE, None),
        ("T5", "F5", AttendanceOutcome.ATTENDED, 2.0), ("T6", "F5", AttendanceOutcome.ATTENDED, None),
        ("T6", "F7", AttendanceOutcome.NO_SHOW, None), ("T8", "D4", AttendanceOutcome.ATTENDED, 3.0),
        ("T10", "A1", AttendanceOutcome.ATTENDED, 2.5),
    ]
    for task_name, person, outcome, approved in rows:
        task = tasks[task_name]
        at = task.ends_at
        hours = 3.0 if outcome == AttendanceOutcome.ATTENDED else None
        session.add(Attendance(task_id=task.id, volunteer_id=world.ids[person], outcome=outcome, hours=hours,
                               approved_hours=approved, approved_at=at if approved is not None else None,
                               approved_by=1 if approved is not None else None, created_at=at, updated_at=at))


async def _callouts(session, world: World) -> None:  # type: ignore[no-untyped-def]  # a session, as the fixtures give it
    """Call-outs (name: region, created, people needed, waves sent, answers as (person,
    status, minutes after the call-out or None), approved hours as (person, hours,
    approved)). C0 is before the period; C8 (for later, no wave yet) just inside it."""
    coming, arrived = AnswerStatus.COMING, AnswerStatus.ARRIVED
    plans = {
        "C0": ("KZ-75", local(2025, 12, 28), 1, 1, [("D1", coming, 5)], [("D1", 2.0, True)]),
        "C6": ("KZ-75", local(2026, 2, 10), 1, 1, [("F4", coming, 8)], []),
        "C1": ("KZ-75", local(2026, 4, 5), 2, 1,
               [("D5", coming, 10), ("D6", arrived, 20), ("F1", AnswerStatus.DECLINED, 5)],
               [("D5", 4.0, True), ("D6", 4.0, True), ("F1", 3.5, False)]),
        "C2": ("KZ-75", local(2026, 5, 3), 3, 3,
               [("D1", coming, 6), ("D2", coming, 30), ("D3", AnswerStatus.CANCELLED, 8), ("D4", coming, 45)], []),
        "C4": ("KZ-75", local(2026, 6, 1), 1, 1, [("D3", arrived, 12)], [("D3", 2.0, True)]),
        "C3": ("KZ-75", local(2026, 6, 20), 5, 2, [("D1", coming, 3), ("D2", AnswerStatus.INVITED, None)],
               [("D1", 1.5, True)]),
        "C5": ("KZ-75", local(2026, 6, 25), 2, 2, [("F2", coming, 15), ("F3", arrived, 25)],
               [("F2", 3.0, True), ("F3", 3.0, True)]),
        "C8": ("KZ-75", local(2026, 6, 30, 23, 0), 4, 0, [], []),
        "C7": ("KZ-71", local(2026, 6, 2), 1, 1, [("A2", arrived, 30)], [("A2", 1.5, True)]),
    }
    for name, (region, created, needed, waves, answers, hours) in plans.items():
        callout = Callout(region=region, text=f"Call-out {name}", needed=needed, starts_at=created, required_skills=[],
                          status=CalloutStatus.CLOSED, wave=waves, coordinator_telegram_id=1,
                          coordinator_locale="en", created_at=created)
        session.add(callout)
        await session.flush()
        world.ids[name] = callout.id
        for person, status, minutes in answers:
            session.add(CalloutAnswer(callout_id=callout.id, volunteer_id=world.ids[person], wave=1, status=status,
                                      invited_at=created,
                                      answered_at=None if minutes is None else created + timedelta(minutes=minutes)))
        for person, amount, approved in hours:
            session.add(CalloutHours(callout_id=callout.id, volunteer_id=world.ids[person],
                                     checked_in_at=created + timedelta(hours=1),
                                     checked_out_at=created + timedelta(hours=1 + amount), hours=amount,
                                     approved_by=1 if approved else None,
                                     approved_at=created + timedelta(hours=6) if approved else None))


def _reconnection(session) -> None:  # type: ignore[no-untyped-def]  # a session, as the fixtures give it
    """Requests (region, created, status, minutes to the first call or None). The first
    is before the period, the tenth after it."""
    plans = [
        ("KZ-75", local(2025, 11, 20), RequestStatus.SAFE, 5),
        ("KZ-75", local(2026, 2, 5), RequestStatus.SAFE, 30),
        ("KZ-75", local(2026, 3, 5), RequestStatus.NEEDS_HELP, 90),
        ("KZ-75", local(2026, 3, 12), RequestStatus.NOT_REACHED, 10),
        ("KZ-75", local(2026, 4, 2), RequestStatus.WRONG_NUMBER, 60),
        ("KZ-75", local(2026, 5, 8), RequestStatus.SAFE, None),  # reported safe themselves
        ("KZ-75", local(2026, 6, 3), RequestStatus.OPEN, None),
        ("KZ-75", local(2026, 6, 10), RequestStatus.SAFE, 20),
        ("KZ-75", local(2026, 6, 14), RequestStatus.SAFE, 45),
        ("KZ-75", local(2026, 7, 2), RequestStatus.SAFE, 5),
        ("KZ-71", local(2026, 3, 20), RequestStatus.NOT_REACHED, 15),
    ]
    for number, (region, created, status, minutes) in enumerate(plans, start=1):
        session.add(ReconnectionRequest(
            full_name=f"Person {number}", phone=f"+7701000{number:04d}", region=region, language="kk",
            status=status, attempts=0 if minutes is None else 1, next_call_at=created,
            first_claimed_at=None if minutes is None else created + timedelta(minutes=minutes),
            safe_source=(SafeSource.SELF_REPORT if minutes is None else SafeSource.CALLER)
            if status == RequestStatus.SAFE else None,
            created_at=created, updated_at=created))
