"""Attendance and approved hours for the statistics, as SQL aggregates.

An attendance row belongs to the period in which its task starts and to the task's
region; call-out hours to the period in which the volunteer checked in and to the
call-out's region. Rows are kept (anonymous) after /delete_me."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.attendance import AttendanceOutcome
from storage.models import Attendance, Callout, CalloutHours, Task
from storage.repositories.stats_sql import Regions, in_regions


@dataclass(frozen=True, slots=True)
class AttendanceCounts:
    attended: int
    no_shows: int
    approved: int  # attendance and call-out rows with approved hours
    approved_hours: float


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class AttendanceStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def attendance(self, regions: Regions, start: datetime, end: datetime) -> AttendanceCounts:
        a = Attendance
        approved = a.approved_at.is_not(None)
        tasks = (await self.session.execute(
            select(_count(a.outcome == AttendanceOutcome.ATTENDED), _count(a.outcome == AttendanceOutcome.NO_SHOW),
                   _count(approved), func.coalesce(func.sum(case((approved, a.approved_hours), else_=0.0)), 0.0))
            .join(Task, Task.id == a.task_id)
            .where(Task.starts_at >= start, Task.starts_at < end, in_regions(Task.region, regions)))).one()
        callouts = (await self.session.execute(
            select(func.count(), func.coalesce(func.sum(CalloutHours.hours), 0.0))
            .join(Callout, Callout.id == CalloutHours.callout_id)
            .where(CalloutHours.approved_at.is_not(None), CalloutHours.checked_in_at >= start,
                   CalloutHours.checked_in_at < end, in_regions(Callout.region, regions)))).one()
        return AttendanceCounts(attended=int(tasks[0]), no_shows=int(tasks[1]),
                                approved=int(tasks[2]) + int(callouts[0]),
                                approved_hours=round(float(tasks[3]) + float(callouts[1]), 2))
