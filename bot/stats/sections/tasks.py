"""Tasks and sign-ups: published, cancelled, filled, the fill rate, the median time to
fill; sign-ups made and the volunteers who made them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.texts import N_
from bot.stats.figures import Figure, Kind, SectionFigures, StatsQuery, register
from storage.repositories.stats_tasks import TaskStatsRepository


class TasksSection:
    key = "tasks"
    order = 20

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        repo = TaskStatsRepository(session)
        counts = await repo.tasks(query.regions, query.start, query.end)
        signups, signed_up = await repo.signups(query.regions, query.start, query.end)
        median = None if counts.median_fill_seconds is None else counts.median_fill_seconds / 3600
        figures = (
            Figure("published", N_("Tasks published"), counts.published),
            Figure("cancelled", N_("Tasks cancelled"), counts.cancelled),
            Figure("filled", N_("Tasks filled"), counts.filled),
            Figure("fill_rate", N_("Fill rate"), counts.filled / counts.published if counts.published else None,
                   Kind.PERCENT, basis=counts.published),
            Figure("median_fill_hours", N_("Median time to fill, hours"), median, Kind.HOURS, basis=counts.filled),
            Figure("signups", N_("Sign-ups"), signups),
            Figure("signed_up", N_("Volunteers who signed up"), signed_up),
        )
        return SectionFigures(self.key, N_("Tasks and sign-ups"), figures)


register(TasksSection())
