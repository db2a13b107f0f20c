"""Volunteer counts for the statistics, as SQL aggregates.

Two sources are added together everywhere: volunteer rows that are not erased, and the
anonymous records of erased volunteers (erased_volunteers), which count as registered
from their registration until their erasure. Erased volunteer rows themselves are never
counted (they would count twice). `regions` None means the whole country."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.statistics import AGE_BAND_FLOORS
from bot.domain.volunteers import VolunteerStatus
from storage.models import ErasedVolunteer, ErasedVolunteerDirection, Signup, Volunteer, VolunteerDirection
from storage.repositories.stats_sql import Regions, bucket, in_regions

V = Volunteer
E = ErasedVolunteer


def _live(regions: Regions) -> ColumnElement[bool]:
    return and_(V.status != VolunteerStatus.DELETED, in_regions(V.region, regions))


def _registered_live(regions: Regions, at: datetime) -> ColumnElement[bool]:
    return and_(_live(regions), V.created_at < at)


def _registered_erased(regions: Regions, at: datetime) -> ColumnElement[bool]:
    return and_(in_regions(E.region, regions), E.registered_at < at, E.erased_at >= at)


def _add(*counts: Sequence[tuple[object, int]]) -> dict[str | None, int]:
    total: Counter[str | None] = Counter()
    for rows in counts:
        for key, count in rows:
            total[None if key is None else str(key)] += int(count)
    return dict(total)


class VolunteerStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def registered(self, regions: Regions, at: datetime) -> int:
        """Volunteers on record at the moment `at` (registered before it, not erased by then)."""
        live = await self.session.scalar(select(func.count()).select_from(V).where(_registered_live(regions, at)))
        erased = await self.session.scalar(select(func.count()).select_from(E).where(_registered_erased(regions, at)))
        return int(live or 0) + int(erased or 0)

    async def new(self, regions: Regions, start: datetime, end: datetime) -> int:
        """Registrations in [start, end), erased since or not."""
        live = await self.session.scalar(select(func.count()).select_from(V).where(
            _live(regions), V.created_at >= start, V.created_at < end))
        erased = await self.session.scalar(select(func.count()).select_from(E).where(
            in_regions(E.region, regions), E.registered_at >= start, E.registered_at < end))
        return int(live or 0) + int(erased or 0)

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
        return int(await self.session.scalar(
            select(func.count(distinct(Signup.volunteer_id))).join(V, V.id == Signup.volunteer_id).where(
                in_regions(V.region, regions), Signup.created_at >= start, Signup.created_at < end)) or 0)

    async def by_status(self, regions: Regions, now: datetime) -> dict[str, int]:
        """Volunteers paused (a pause that has not ended) and unreachable, at `now`."""
        paused = and_(V.status == VolunteerStatus.PAUSED, or_(V.paused_until.is_(None), V.paused_until > now))
        row = (await self.session.execute(select(
            func.coalesce(func.sum(case((paused, 1), else_=0)), 0),
            func.coalesce(func.sum(case((V.status == VolunteerStatus.UNREACHABLE, 1), else_=0)), 0),
        ).where(_live(regions)))).one()
        return {VolunteerStatus.PAUSED.value: int(row[0]), VolunteerStatus.UNREACHABLE.value: int(row[1])}

    async def by_region(self, regions: Regions, at: datetime) -> dict[str | None, int]:
        live = await self.session.execute(
            select(V.region, func.count()).where(_registered_live(regions, at)).group_by(V.region))
        erased = await self.session.execute(
            select(E.region, func.count()).where(_registered_erased(regions, at)).group_by(E.region))
        return _add(live.all(), erased.all())

    async def by_direction(self, regions: Regions, at: datetime) -> dict[str | None, int]:
        d, ed = VolunteerDirection, ErasedVolunteerDirection
        live = await self.session.execute(
            select(d.code, func.count()).join(V, V.id == d.volunteer_id).where(_registered_live(regions, at))
            .group_by(d.code))
        erased = await self.session.execute(
            select(ed.code, func.count()).join(E, E.id == ed.record_id).where(_registered_erased(regions, at))
            .group_by(ed.code))
        return _add(live.all(), erased.all())

    async def by_language(self, regions: Regions, at: datetime) -> dict[str | None, int]:
        """By interface language (volunteers.locale); None: not chosen (imported)."""
        live = await self.session.execute(
            select(V.locale, func.count()).where(_registered_live(regions, at)).group_by(V.locale))
        erased = await self.session.execute(
            select(E.locale, func.count()).where(_registered_erased(regions, at)).group_by(E.locale))
        return _add(live.all(), erased.all())

    async def by_age_band(self, regions: Regions, at: datetime, year: int) -> dict[str | None, int]:
        """By the age band reached in `year` (bot/domain/statistics.py); None: no birth year.
        Erased volunteers count in the band they were in when erased."""
        # Born after year - floor: younger than floor. Oldest band first, so the first match wins.
        whens = [(V.birth_year <= year - floor, band.value) for band, floor in reversed(AGE_BAND_FLOORS)]
        band = case((V.birth_year.is_(None), None), *whens, else_=AGE_BAND_FLOORS[0][0].value).label("band")
        live = await self.session.execute(select(band, func.count()).where(_registered_live(regions, at)).group_by(band))
        erased = await self.session.execute(
            select(E.age_band, func.count()).where(_registered_erased(regions, at)).group_by(E.age_band))
        return _add(live.all(), erased.all())
