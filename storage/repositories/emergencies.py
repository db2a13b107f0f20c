"""Emergencies: declared, active per region, closed; who took part in one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.callouts import TOOK_PART
from bot.domain.emergencies import EmergencyStatus
from storage.models import Callout, CalloutAnswer, Emergency, Volunteer
from storage.repositories.results import affected_rows


class EmergencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, emergency: Emergency) -> Emergency:
        self.session.add(emergency)
        await self.session.flush()
        return emergency

    async def get(self, emergency_id: int) -> Emergency | None:
        return await self.session.get(Emergency, emergency_id)

    async def active(self) -> list[Emergency]:
        return list(await self.session.scalars(
            select(Emergency).where(Emergency.status == EmergencyStatus.ACTIVE).order_by(Emergency.id)))

    async def active_in(self, regions: Iterable[str]) -> list[Emergency]:
        """Active emergencies affecting any of `regions` (few are active at once: the
        region lists are compared here, not in SQL)."""
        wanted = set(regions)
        return [e for e in await self.active() if wanted & set(e.regions or ())]

    async def active_or_closed_after(self, moment: datetime) -> list[Emergency]:
        """Emergencies still active, or closed after `moment` (retention waits for them)."""
        return list(await self.session.scalars(
            select(Emergency).where(or_(Emergency.status == EmergencyStatus.ACTIVE, Emergency.closed_at > moment))
            .order_by(Emergency.id)))

    async def home_region(self, telegram_id: int) -> str | None:
        """The region of the volunteer with this Telegram id, if any."""
        return await self.session.scalar(select(Volunteer.region).where(Volunteer.telegram_id == telegram_id))

    async def close(self, emergency_id: int, by: int, now: datetime) -> bool:
        """Active -> closed, once (a second close changes nothing)."""
        result = await self.session.execute(
            update(Emergency)
            .where(Emergency.id == emergency_id, Emergency.status == EmergencyStatus.ACTIVE)
            .values(status=EmergencyStatus.CLOSED, closed_by=by, closed_at=now)
        )
        return bool(affected_rows(result))

    async def participants(self, emergency_id: int) -> list[Any]:
        """(volunteer id, telegram id, locale) of everyone who said they were coming to
        one of its call-outs."""
        return list((await self.session.execute(
            select(Volunteer.id, Volunteer.telegram_id, Volunteer.locale)
            .join(CalloutAnswer, CalloutAnswer.volunteer_id == Volunteer.id)
            .join(Callout, Callout.id == CalloutAnswer.callout_id)
            .where(Callout.emergency_id == emergency_id, CalloutAnswer.status.in_(TOOK_PART),
                   Volunteer.telegram_id.is_not(None))
            .distinct()
        )).all())
