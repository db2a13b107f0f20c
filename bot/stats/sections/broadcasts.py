"""Broadcasts: how many, and how their messages ended (sent, failed, unreachable)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.texts import N_
from bot.stats.figures import Figure, SectionFigures, StatsQuery, register
from storage.repositories.stats_tasks import TaskStatsRepository


class BroadcastsSection:
    key = "broadcasts"
    order = 90

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        counts = await TaskStatsRepository(session).messages(query.regions, query.start, query.end)
        figures = (
            Figure("broadcasts", N_("Broadcasts"), counts.broadcasts),
            Figure("sent", N_("Messages sent"), counts.sent),
            Figure("failed", N_("Messages failed"), counts.failed),
            Figure("unreachable", N_("Recipients unreachable"), counts.unreachable),
        )
        return SectionFigures(self.key, N_("Broadcasts"), figures)


register(BroadcastsSection())
