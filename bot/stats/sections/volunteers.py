"""Volunteers: how many are on record, new, active, paused, unreachable, and by
direction, region, age band, interface language and month of registration."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.catalog import DIRECTIONS, REGIONS, SPOKEN_LANGUAGES
from bot.domain.statistics import AgeBand
from bot.domain.texts import N_
from bot.stats.figures import Breakdown, Chart, Figure, Labels, Row, SectionFigures, StatsQuery, register
from storage.repositories.stats_volunteers import VolunteerGroup, VolunteerStatsRepository

ACTIVE_DAYS = 30
NOT_GIVEN = N_("Not given")
AGE_BAND_NAMES: dict[str, str] = {
    AgeBand.UNDER_18.value: N_("Under 18"),
    AgeBand.FROM_18_TO_29.value: N_("18–29"),
    AgeBand.FROM_30_TO_54.value: N_("30–54"),
    AgeBand.FROM_55.value: N_("55 and over"),
}
VOLUNTEERS = N_("Volunteers")


def _registered_by(groups: list[VolunteerGroup], attribute: str) -> dict[str | None, int]:
    """Those on record, added up by one attribute of the groups (a few hundred at most)."""
    counts: dict[str | None, int] = {}
    for group in groups:
        key = getattr(group, attribute)
        counts[key] = counts.get(key, 0) + group.registered
    return counts


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
        year = (at - timedelta(microseconds=1)).astimezone(query.tz).year
        groups = await repo.groups(regions, start=query.start, end=query.end, at=at, now=query.now, year=year)
        figures = (
            Figure("registered", N_("Volunteers registered"), sum(group.registered for group in groups)),
            Figure("new", N_("New in the period"), sum(group.new for group in groups)),
            Figure("active", N_("Active in the last 30 days"),
                   await repo.active(regions, at - timedelta(days=ACTIVE_DAYS), at)),
            Figure("paused", N_("Paused now"), sum(group.paused for group in groups)),
            Figure("unreachable", N_("Unreachable now"), sum(group.unreachable for group in groups)),
        )
        region_names = [(choice.code, choice.name) for choice in REGIONS
                        if regions is None or choice.code in regions]
        months = query.period.months()
        per_month = await repo.new_by_bucket(regions, query.month_bounds())
        breakdowns = (
            Breakdown("by_direction", N_("By direction"), N_("Direction"), VOLUNTEERS,
                      _rows(await repo.by_direction(regions, at), [(c.code, c.name) for c in DIRECTIONS]),
                      chart=Chart.BARS),
            Breakdown("by_region", N_("By region"), N_("Region"), VOLUNTEERS,
                      _rows(_registered_by(groups, "region"), region_names)),
            Breakdown("by_age", N_("By age"), N_("Age"), VOLUNTEERS,
                      _rows(_registered_by(groups, "age_band"), list(AGE_BAND_NAMES.items()))),
            Breakdown("by_language", N_("By language"), N_("Interface language"), VOLUNTEERS,
                      _rows(_registered_by(groups, "locale"), [(c.code, c.name) for c in SPOKEN_LANGUAGES])),
            Breakdown("new_by_month", N_("New volunteers by month"), N_("Month"), N_("New volunteers"),
                      tuple(Row(f"{month:%Y-%m}", per_month.get(index, 0)) for index, month in enumerate(months)),
                      labels=Labels.MONTH, chart=Chart.COLUMNS),
        )
        return SectionFigures(self.key, VOLUNTEERS, figures, breakdowns)


register(VolunteersSection())
