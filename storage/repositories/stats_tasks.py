"""Task, sign-up and broadcast counts for the statistics, as SQL aggregates.

A task belongs to the period in which it was published (created, not a draft) and to
its region. A sign-up belongs to the period in which it was made and to its task's
region. A broadcast message belongs to the period in which it was queued and to the
region of the volunteer it was for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.delivery import DeliveryStatus
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from storage.models import DeliveryMessage, Signup, Task, Volunteer
from storage.repositories.stats_sql import Regions, in_regions, median, seconds_between

# Sign-ups that took one of a task's places and kept it (the volunteer went or was
# expected); cancelled, expired and waitlisted ones never count towards filling it.
PLACED: tuple[SignupStatus, ...] = (SignupStatus.GOING, SignupStatus.OFFERED, SignupStatus.ATTENDED,
                                    SignupStatus.NO_SHOW)


@dataclass(frozen=True, slots=True)
class TaskCounts:
    published: int
    cancelled: int
    filled: int
    median_fill_seconds: float | None


@dataclass(frozen=True, slots=True)
class MessageCounts:
    broadcasts: int
    sent: int
    failed: int
    unreachable: int


class TaskStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _published(self, regions: Regions, start: datetime, end: datetime) -> ColumnElement[bool]:
        return and_(Task.status != TaskStatus.DRAFT, in_regions(Task.region, regions),
                    Task.created_at >= start, Task.created_at < end)

    async def tasks(self, regions: Regions, start: datetime, end: datetime) -> TaskCounts:
        where = self._published(regions, start, end)
        published, cancelled = (await self.session.execute(select(
            func.count(), func.coalesce(func.sum(case((Task.status == TaskStatus.CANCELLED, 1), else_=0)), 0),
        ).where(where))).one()
        # The sign-up that completed a task: the n-th placed one by the time it was made,
        # n being the places needed. Its delay after publication is the time to fill.
        placed = (
            select(Signup.task_id, Task.slots, Task.created_at.label("published_at"), Signup.created_at,
                   func.row_number().over(partition_by=Signup.task_id,
                                          order_by=(Signup.created_at, Signup.id)).label("n"))
            .join(Task, Task.id == Signup.task_id)
            # No sign-up is older than its task: the bound lets the database skip the
            # sign-ups made before the period instead of joining them all.
            .where(where, Signup.status.in_(PLACED), Signup.created_at >= start)
            .subquery()
        )
        delays = select(seconds_between(placed.c.published_at, placed.c.created_at)).where(
            placed.c.n == placed.c.slots)
        filled, median_seconds = await median(self.session, delays)
        return TaskCounts(published=int(published), cancelled=int(cancelled), filled=filled,
                          median_fill_seconds=median_seconds)

    async def signups(self, regions: Regions, start: datetime, end: datetime) -> tuple[int, int]:
        """(sign-ups made, distinct volunteers who made them) in [start, end)."""
        query = select(func.count(), func.count(distinct(Signup.volunteer_id))).where(
            Signup.created_at >= start, Signup.created_at < end)
        if regions is not None:
            query = query.join(Task, Task.id == Signup.task_id).where(in_regions(Task.region, regions))
        row = (await self.session.execute(query)).one()
        return int(row[0]), int(row[1])

    async def messages(self, regions: Regions, start: datetime, end: datetime) -> MessageCounts:
        """Messages of broadcasts queued in [start, end), by how they ended."""
        m = DeliveryMessage

        def of(status: DeliveryStatus) -> ColumnElement[Any]:
            return func.coalesce(func.sum(case((m.status == status, 1), else_=0)), 0)

        query = select(func.count(distinct(m.broadcast_id)), of(DeliveryStatus.SENT), of(DeliveryStatus.FAILED),
                       of(DeliveryStatus.UNREACHABLE)).where(
            m.broadcast_id.is_not(None), m.created_at >= start, m.created_at < end)
        if regions is not None:
            query = query.join(Volunteer, Volunteer.id == m.volunteer_id).where(in_regions(Volunteer.region, regions))
        row = (await self.session.execute(query)).one()
        return MessageCounts(broadcasts=int(row[0]), sent=int(row[1]), failed=int(row[2]), unreachable=int(row[3]))
