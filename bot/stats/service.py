"""Computes every registered section for some regions and a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import bot.stats.sections  # noqa: F401 - registers the sections
from bot.infra.clock import Clock
from bot.stats.figures import REGISTRY, Breakdown, Registry, SectionFigures, StatsQuery
from bot.stats.periods import Period
from storage.db import Database
from storage.readonly import ReadSessions


@dataclass(frozen=True, slots=True)
class StatsResult:
    query: StatsQuery
    sections: tuple[SectionFigures, ...]

    def section(self, key: str) -> SectionFigures:
        return next(section for section in self.sections if section.key == key)

    def breakdowns(self) -> list[Breakdown]:
        return [breakdown for section in self.sections for breakdown in section.breakdowns]


class StatsService:
    def __init__(self, db: Database, clock: Clock, tz: ZoneInfo, registry: Registry = REGISTRY) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.registry = registry

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    async def compute(self, regions: frozenset[str] | None, period: Period) -> StatsResult:
        """Every section's figures, read in one transaction (one consistent snapshot)
        that never holds up the bot's writes."""
        query = StatsQuery(regions=regions, period=period, tz=self.tz, now=self.clock.now())
        reads = ReadSessions(self.db)
        try:
            async with reads.sessionmaker() as session, session.begin():
                # Secondary suppression is applied here, once, so the chat, the charts and the
                # files all show the same hidden rows.
                sections = [(await section.compute(session, query)).protected() for section in self.registry.ordered()]
        finally:
            await reads.close()
        return StatsResult(query, tuple(sections))
