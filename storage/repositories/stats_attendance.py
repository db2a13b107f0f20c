"""Attendance and approved hours for the statistics, as SQL aggregates.

An attendance row belongs to the period (and the month) in which its task starts and
to the task's region; call-out hours to the period (and the month) in which the
volunteer checked in and to the call-out's region. Rows are kept (anonymous) after /delete_me."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.attendance import AttendanceOutcome
from storage.models import Attendance, Callout, CalloutHours, Task
from storage.repositories.stats_sql import Regions, bucket, in_regions


@dataclass(frozen=True, slots=True)
class HoursCount:
    """Approved hours of one time range: how many rows (attendance places and call-out
    check-ins) and their sum."""

    approved: int = 0
    hours: float = 0.0


@dataclass(frozen=True, slots=True)
class AttendanceCounts:
    attended: int
    no_shows: int
    by_bucket: dict[int, HoursCount]  # approved hours per range [bounds[i], bounds[i+1]), by i

    @property
    def approved(self) -> int:  # attendance and call-out rows with approved hours
        return sum(count.approved for count in self.by_bucket.values())

    @property
    def approved_hours(self) -> float:
        return round(sum(count.hours for count in self.by_bucket.values()), 2)


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class AttendanceStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def attendance(self, regions: Regions, bounds: Sequence[datetime]) -> AttendanceCounts:
        """Over [bounds[0], bounds[-1]): attended and no-shows, and the approved hours
        of each range between two bounds (one query per source, grouped by range)."""
        a = Attendance
        approved = a.approved_at.is_not(None)
        start, end = bounds[0], bounds[-1]
        task_bucket = bucket(Task.starts_at, bounds).label("i")
        tasks = await self.session.execute(
            select(task_bucket, _count(a.outcome == AttendanceOutcome.ATTENDED),
                   _count(a.outcome == AttendanceOutcome.NO_SHOW), _count(approved),
                   func.coalesce(func.sum(case((approved, a.approved_hours), else_=0.0)), 0.0))
            .join(Task, Task.id == a.task_id)
            .where(Task.starts_at >= start, Task.starts_at < end, in_regions(Task.region, regions))
            .group_by(task_bucket))
        attended = no_shows = 0
        approved_rows: Counter[int] = Counter()
        hours: dict[int, float] = {}
        for index, came, missed, rows, total in tasks:
            attended, no_shows = attended + int(came), no_shows + int(missed)
            approved_rows[int(index)] += int(rows)
            hours[int(index)] = hours.get(int(index), 0.0) + float(total)
        callout_bucket = bucket(CalloutHours.checked_in_at, bounds).label("i")
        callouts = await self.session.execute(
            select(callout_bucket, func.count(), func.coalesce(func.sum(CalloutHours.hours), 0.0))
            .join(Callout, Callout.id == CalloutHours.callout_id)
            .where(CalloutHours.approved_at.is_not(None), CalloutHours.checked_in_at >= start,
                   CalloutHours.checked_in_at < end, in_regions(Callout.region, regions))
            .group_by(callout_bucket))
        for index, rows, total in callouts:
            approved_rows[int(index)] += int(rows)
            hours[int(index)] = hours.get(int(index), 0.0) + float(total)
        return AttendanceCounts(attended=attended, no_shows=no_shows, by_bucket={
            index: HoursCount(approved_rows[index], round(hours[index], 2)) for index in approved_rows})
