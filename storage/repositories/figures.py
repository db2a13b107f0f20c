"""A volunteer's approved figures — the one rule that levels, /profile and certificates
count (README "Levels and certificates"):

- hours: approved hours of tasks attended (the task starting in the period) plus approved
  call-out hours (the check-in in the period, as in the statistics);
- done: how many of those rows — each task attended and each call-out arrived at, with
  its hours approved.

Without bounds, all time. Unapproved hours, no-shows and late cancellations count nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.attendance import AttendanceOutcome
from bot.domain.levels import Figures, add_figures
from storage.models import Attendance, CalloutHours, Task


class FiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def approved(self, volunteer_id: int, since: datetime | None = None,
                       until: datetime | None = None) -> Figures:
        tasks = (select(func.coalesce(func.sum(Attendance.approved_hours), 0.0), func.count())
                 .select_from(Attendance).join(Task, Task.id == Attendance.task_id)
                 .where(Attendance.volunteer_id == volunteer_id, Attendance.approved_at.is_not(None),
                        Attendance.outcome == AttendanceOutcome.ATTENDED))
        callouts = (select(func.coalesce(func.sum(CalloutHours.hours), 0.0), func.count())
                    .select_from(CalloutHours)
                    .where(CalloutHours.volunteer_id == volunteer_id, CalloutHours.approved_at.is_not(None)))
        if since is not None and until is not None:
            tasks = tasks.where(Task.starts_at >= since, Task.starts_at < until)
            callouts = callouts.where(CalloutHours.checked_in_at >= since, CalloutHours.checked_in_at < until)
        parts = [(await self.session.execute(query)).one() for query in (tasks, callouts)]
        return add_figures(*(Figures(float(hours or 0.0), int(done or 0)) for hours, done in parts))


__all__ = ["FiguresRepository"]
