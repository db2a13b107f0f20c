"""Helpers for the levels and certificates tests: past approved hours written straight
into the database (earlier tasks), the delivery rows of level congratulations, certificates."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.domain.attendance import AttendanceOutcome
from storage.models import Attendance, Certificate, DeliveryMessage, Task, TaskClosing, Volunteer
from tests.support.coordinator import make_task
from tests.support.e2e import RunningBot


async def seed_hours(bot: RunningBot, coordinator_id: int, volunteer_ids: list[int], *, tasks: int, hours: float,
                     starts_in: timedelta = timedelta(days=-20), title: str = "Прошлая уборка") -> list[int]:
    """`tasks` earlier tasks, each attended by every volunteer with `hours` approved; returns the task ids."""
    now = bot.services.clock.now()
    task_ids = []
    for number in range(tasks):
        task = await make_task(bot, coordinator_id, title=f"{title} {number + 1}", starts_in=timedelta(days=3))
        task_ids.append(task.id)
        async with bot.services.db.sessionmaker() as session, session.begin():
            starts_at = now + starts_in - timedelta(days=number)
            await session.execute(update(Task).where(Task.id == task.id).values(
                starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), status="done"))
            session.add(TaskClosing(task_id=task.id, closed_at=now))  # its attendance is written
            for volunteer_id in volunteer_ids:
                session.add(Attendance(task_id=task.id, volunteer_id=volunteer_id, outcome=AttendanceOutcome.ATTENDED,
                                       hours=hours, approved_hours=hours, approved_at=now, approved_by=coordinator_id,
                                       created_at=now, updated_at=now))
                await session.execute(update(Volunteer).where(Volunteer.id == volunteer_id)
                                      .values(hours=Volunteer.hours + hours))
    return task_ids


async def level_messages(bot: RunningBot, volunteer_id: int) -> list[DeliveryMessage]:
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(select(DeliveryMessage).where(
            DeliveryMessage.key.startswith(f"level:{volunteer_id}:")).order_by(DeliveryMessage.id)))


async def certificates(bot: RunningBot, volunteer_id: int | None = None) -> list[Certificate]:
    async with bot.services.db.sessionmaker() as session:
        query = select(Certificate).order_by(Certificate.issued_at, Certificate.code)
        if volunteer_id is not None:
            query = query.where(Certificate.volunteer_id == volunteer_id)
        return list(await session.scalars(query))


async def certificate_count(bot: RunningBot) -> int:
    async with bot.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Certificate)) or 0)
