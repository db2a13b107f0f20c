"""Volunteer counts for the statistics, as SQL aggregates.

Two sources are added together everywhere: volunteer rows that are not erased, and the
anonymous records of erased volunteers (erased_volunteers), which count as registered
from their registration until their erasure. Erased volunteer rows themselves are never
counted (they would count twice). `regions` None means the whole country.

Most figures come from one pass over each source, grouped by (region, interface
language, age band): at most a few hundred groups, which the statistics add up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.statistics import age_band
from bot.domain.volunteers import VolunteerStatus
from storage.models import ErasedVolunteer, ErasedVolunteerDirection, Signup, Volunteer, VolunteerDirection
from storage.repositories.stats_sql import Regions, bucket, in_regions

V = Volunteer
E = ErasedVolunteer


@dataclass(frozen=True, slots=True)
class VolunteerGroup:
    """Volunteers of one region, interface language and age band (None: not known)."""

    region: str | None
    locale: str | None
    age_band: str | None
    registered: int  # on record at the moment asked about
    new: int  # registered in the period
    paused: int  # paused now (live rows only)
    unreachable: int  # unreachable now (live rows only)


def _live(regions: Regions) -> ColumnElement[bool]:
    return and_(V.status != VolunteerStatus.DELETED, in_regions(V.region, regions))


def _registered_live(regions: Regions, at: datetime) -> ColumnElement[bool]:
    return and_(_live(regions), V.created_at < at)


def _registered_erased(regions: Regions, at: datetime) -> ColumnElement[bool]:
    return and_(in_regions(E.region, regions), E.registered_at < at, E.erased_at >= at)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _add(*counts: Sequence[tuple[object, int]]) -> dict[str | None, int]:
    total: Counter[str | None] = Counter()
    for rows in counts:
        for key, count in rows:
            total[None if key is None else str(key)] += int(count)
    return dict(total)


class VolunteerStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def groups(self, regions: Regions, *, start: datetime, end: datetime, at: datetime, now: datetime,
                     year: int) -> list[VolunteerGroup]:
        """One pass over the volunteers and one over the erased records: per (region,
        interface language, age band in `year`), how many were on record at `at`, new in
        [start, end), paused and unreachable at `now`."""
        paused = and_(V.status == VolunteerStatus.PAUSED, or_(V.paused_until.is_(None), V.paused_until > now))
        # Grouped by the birth year itself, in the order of ix_volunteers_stats (no sort);
        # the bands are added up from the (a few thousand) groups.
        live = await self.session.execute(
            select(V.region, V.locale, V.birth_year, _count_if(V.created_at < at),
                   _count_if(and_(V.created_at >= start, V.created_at < end)), _count_if(paused),
                   _count_if(V.status == VolunteerStatus.UNREACHABLE))
            .where(_live(regions)).group_by(V.region, V.locale, V.birth_year))
        erased = await self.session.execute(
            select(E.region, E.locale, E.age_band, _count_if(and_(E.registered_at < at, E.erased_at >= at)),
                   _count_if(and_(E.registered_at >= start, E.registered_at < end)), literal(0), literal(0))
            .where(in_regions(E.region, regions))
            .group_by(E.region, E.locale, E.age_band))
        groups = [VolunteerGroup(region, locale, None if birth is None else str(age_band(birth, year)), *counts)
                  for region, locale, birth, *counts in live]
        groups += [VolunteerGroup(region, locale, None if band is None else str(band), *counts)
                   for region, locale, band, *counts in erased]
        return groups

    async def new_by_bucket(self, regions: Regions, bounds: Sequence[datetime]) -> dict[int, int]:
        """Registrations per range [bounds[i], bounds[i+1]), by i."""
        counts: Counter[int] = Counter()
        for column, where in ((V.created_at, _live(regions)), (E.registered_at, in_regions(E.region, regions))):
            index = bucket(column, bounds).label("i")
            rows = await self.session.execute(
                select(index, func.count()).where(where, column >= bounds[0], column < bounds[-1]).group_by(index))
            for i, count in rows:
                counts[int(i)] += int(count)
        return dict(counts)

    async def active(self, regions: Regions, start: datetime, end: datetime) -> int:
        """Volunteers (of these regions) who signed up for something in [start, end)."""
        query = select(func.count(distinct(Signup.volunteer_id))).where(Signup.created_at >= start,
                                                                         Signup.created_at < end)
        if regions is not None:
            query = query.join(V, V.id == Signup.volunteer_id).where(in_regions(V.region, regions))
        return int(await self.session.scalar(query) or 0)

    async def by_direction(self, regions: Regions, at: datetime) -> dict[str | None, int]:
        """Directions of those on record at `at`. Volunteer rows have 1-3 directions, so
        joining them all to their volunteer is the slow road: when fewer volunteers are
        left out than counted (erased, or registered after `at`: the usual case for a
        recent period) all directions are counted from their index, minus those of the
        left-out volunteers."""
        d, ed = VolunteerDirection, ErasedVolunteerDirection
        left_out = or_(V.status == VolunteerStatus.DELETED, V.created_at >= at)
        counted_n, left_out_n = (await self.session.execute(select(
            _count_if(and_(V.status != VolunteerStatus.DELETED, V.created_at < at)), _count_if(left_out),
        ).where(in_regions(V.region, regions)))).one()
        if int(left_out_n) <= int(counted_n):
            # volunteer_directions.region is kept equal to the volunteer's by triggers (0004).
            every = await self.session.execute(
                select(d.code, func.count()).where(in_regions(d.region, regions)).group_by(d.code))
            ids = select(V.id).where(in_regions(V.region, regions), left_out)
            minus = await self.session.execute(
                select(d.code, func.count()).where(d.volunteer_id.in_(ids)).group_by(d.code))
            live = _add(every.all(), [(code, -count) for code, count in minus])
        else:
            live = _add((await self.session.execute(
                select(d.code, func.count()).join(V, V.id == d.volunteer_id).where(_registered_live(regions, at))
                .group_by(d.code))).all())
        erased = await self.session.execute(
            select(ed.code, func.count()).join(E, E.id == ed.record_id).where(_registered_erased(regions, at))
            .group_by(ed.code))
        return _add(list(live.items()), erased.all())
