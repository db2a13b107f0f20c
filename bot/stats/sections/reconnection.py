"""Family reconnection: requests to check on someone, how many people were reached or
could not be, and how soon a caller first took a request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.texts import N_
from bot.stats.figures import Figure, Kind, SectionFigures, StatsQuery, register
from storage.repositories.stats_emergency import EmergencyStatsRepository


class ReconnectionSection:
    key = "reconnection"
    order = 50

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        counts = await EmergencyStatsRepository(session).reconnection(query.regions, query.start, query.end)
        seconds = counts.median_first_call_seconds
        figures = (
            Figure("requests", N_("Reconnection requests"), counts.requests),
            Figure("reached", N_("People reached"), counts.reached),
            Figure("not_reached", N_("People who could not be reached"), counts.not_reached),
            Figure("median_first_call_minutes", N_("Median time to the first call, minutes"),
                   None if seconds is None else seconds / 60, Kind.MINUTES, basis=counts.called),
        )
        return SectionFigures(self.key, N_("Family reconnection"), figures)


register(ReconnectionSection())
