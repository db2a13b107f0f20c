"""Attendance and hours: who came to the tasks that started in the period, the
attendance and no-show rates, and the hours approved (tasks and call-outs), in all and
by month. The monthly hours and the total come from the same rows (one query per
source, grouped by month), so the months always add up to the total."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.texts import N_
from bot.stats.figures import Breakdown, Chart, Figure, Kind, Labels, Row, SectionFigures, StatsQuery, register
from storage.repositories.stats_attendance import AttendanceStatsRepository, HoursCount


class AttendanceSection:
    key = "attendance"
    order = 30

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        counts = await AttendanceStatsRepository(session).attendance(query.regions, query.month_bounds())
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
        # A month's hours are hidden as the total is: when made of 1 to 4 approved rows.
        months = [counts.by_bucket.get(index, HoursCount()) for index in range(len(query.period.months()))]
        hours_by_month = Breakdown(
            "hours_by_month", N_("Hours approved by month"), N_("Month"), N_("Hours approved"),
            tuple(Row(f"{month:%Y-%m}", hours.hours, basis=hours.approved)
                  for month, hours in zip(query.period.months(), months, strict=True)),
            labels=Labels.MONTH, chart=Chart.COLUMNS, kind=Kind.HOURS)
        return SectionFigures(self.key, N_("Attendance and hours"), figures, (hours_by_month,))


register(AttendanceSection())
