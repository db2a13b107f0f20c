"""Attendance and hours: who came to the tasks that started in the period, the
attendance and no-show rates, and the hours approved (tasks and call-outs)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.texts import N_
from bot.stats.figures import Figure, Kind, SectionFigures, StatsQuery, register
from storage.repositories.stats_attendance import AttendanceStatsRepository


class AttendanceSection:
    key = "attendance"
    order = 30

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        counts = await AttendanceStatsRepository(session).attendance(query.regions, query.start, query.end)
        expected = counts.attended + counts.no_shows
        figures = (
            Figure("attended", N_("Attended"), counts.attended),
            Figure("no_shows", N_("No-shows"), counts.no_shows),
            Figure("attendance_rate", N_("Attendance rate"), counts.attended / expected if expected else None,
                   Kind.PERCENT, basis=expected),
            Figure("no_show_rate", N_("No-show rate"), counts.no_shows / expected if expected else None,
                   Kind.PERCENT, basis=expected),
            Figure("hours_approved", N_("Hours approved"), counts.approved_hours, Kind.HOURS,
                   basis=counts.approved),
        )
        return SectionFigures(self.key, N_("Attendance and hours"), figures)


register(AttendanceSection())
