"""Volunteers: how many are on record, new, active, paused, unreachable, and by
direction, region, age band, interface language and month of registration."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.catalog import DIRECTIONS, REGIONS, SPOKEN_LANGUAGES
from bot.domain.statistics import AgeBand
from bot.domain.texts import N_
from bot.domain.volunteers import VolunteerStatus
from bot.stats.periods import local_midnight
from bot.stats.figures import Breakdown, Chart, Figure, Labels, Row, SectionFigures, StatsQuery, register
from storage.repositories.stats_volunteers import VolunteerStatsRepository

ACTIVE_DAYS = 30
NOT_GIVEN = N_("Not given")
AGE_BAND_NAMES: dict[str, str] = {
    AgeBand.UNDER_18.value: N_("Under 18"),
    AgeBand.FROM_18_TO_29.value: N_("18–29"),
    AgeBand.FROM_30_TO_54.value: N_("30–54"),
    AgeBand.FROM_55.value: N_("55 and over"),
}
VOLUNTEERS = N_("Volunteers")


def _rows(counts: dict[str | None, int], names: list[tuple[str, str]], *, all_names: bool = True) -> tuple[Row, ...]:
    """A row per known code in catalog order (zeros too when all_names), then "Not given"
    when there is any (unknown codes count there as well)."""
    known = dict(names)
    rows = [Row(code, counts.get(code, 0), name) for code, name in names if all_names or counts.get(code)]
    other = sum(count for code, count in counts.items() if code not in known)
    if other:
        rows.append(Row("", other, NOT_GIVEN))
    return tuple(rows)


class VolunteersSection:
    key = "volunteers"
    order = 10

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures:
        repo = VolunteerStatsRepository(session)
        regions, at = query.regions, query.as_of
        statuses = await repo.by_status(regions, query.now)
        figures = (
            Figure("registered", N_("Volunteers registered"), await repo.registered(regions, at)),
            Figure("new", N_("New in the period"), await repo.new(regions, query.start, query.end)),
            Figure("active", N_("Active in the last 30 days"),
                   await repo.active(regions, at - timedelta(days=ACTIVE_DAYS), at)),
            Figure("paused", N_("Paused now"), statuses[VolunteerStatus.PAUSED]),
            Figure("unreachable", N_("Unreachable now"), statuses[VolunteerStatus.UNREACHABLE]),
        )
        year = (at - timedelta(microseconds=1)).astimezone(query.tz).year
        region_names = [(choice.code, choice.name) for choice in REGIONS
                        if regions is None or choice.code in regions]
        months = query.period.months()
        bounds = [*(query.start if index == 0 else local_midnight(month, query.tz) for index, month in enumerate(months)),
                  query.end]
        per_month = await repo.new_by_bucket(regions, bounds)
        breakdowns = (
            Breakdown("by_direction", N_("By direction"), N_("Direction"), VOLUNTEERS,
                      _rows(await repo.by_direction(regions, at), [(c.code, c.name) for c in DIRECTIONS]),
                      chart=Chart.BARS),
            Breakdown("by_region", N_("By region"), N_("Region"), VOLUNTEERS,
                      _rows(await repo.by_region(regions, at), region_names)),
            Breakdown("by_age", N_("By age"), N_("Age"), VOLUNTEERS,
                      _rows(await repo.by_age_band(regions, at, year), list(AGE_BAND_NAMES.items()))),
            Breakdown("by_language", N_("By language"), N_("Interface language"), VOLUNTEERS,
                      _rows(await repo.by_language(regions, at), [(c.code, c.name) for c in SPOKEN_LANGUAGES])),
            Breakdown("new_by_month", N_("New volunteers by month"), N_("Month"), N_("New volunteers"),
                      tuple(Row(f"{month:%Y-%m}", per_month.get(index, 0)) for index, month in enumerate(months)),
                      labels=Labels.MONTH, chart=Chart.COLUMNS),
        )
        return SectionFigures(self.key, VOLUNTEERS, figures, breakdowns)


register(VolunteersSection())
