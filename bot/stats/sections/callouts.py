"""Call-outs: how many, how many got the people needed and how fast, the waves used."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.texts import N_
from bot.stats.figures import Breakdown, Figure, Kind, Row, SectionFigures, StatsQuery, register
from storage.repositories.stats_emergency import EmergencyStatsRepository

# Rows of "by waves used", by the number of waves sent (0 to LAST_WAVE in
# bot/domain/callouts.py; 0: none yet, a call-out for later).
WAVE_LABELS = {0: N_("No wave yet"), 1: N_("One wave"), 2: N_("Two waves"), 3: N_("Three waves")}


class CalloutsSection:
    key = "callouts"
    order = 40

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        counts = await EmergencyStatsRepository(session).callouts(query.regions, query.start, query.end)
        median = None if counts.median_fill_seconds is None else counts.median_fill_seconds / 60
        figures = (
            Figure("callouts", N_("Call-outs"), counts.callouts),
            Figure("filled", N_("Call-outs that got the people needed"), counts.filled),
            Figure("median_fill_minutes", N_("Median time to the people needed, minutes"), median, Kind.MINUTES,
                   basis=counts.filled),
            Figure("waves", N_("Waves sent"), sum(wave * count for wave, count in counts.by_waves.items())),
        )
        by_waves = Breakdown("by_waves", N_("Call-outs by waves used"), N_("Waves used"), N_("Call-outs"),
                             tuple(Row(str(wave), counts.by_waves.get(wave, 0), label)
                                   for wave, label in WAVE_LABELS.items()))
        return SectionFigures(self.key, N_("Call-outs"), figures, (by_waves,))


register(CalloutsSection())
