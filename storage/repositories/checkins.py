""""Are you safe?" check-ins: one row per volunteer asked in a round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reconnection import CheckinAnswer
from bot.domain.volunteers import VolunteerStatus
from storage.models import SafetyCheckin, Volunteer
from storage.repositories.results import affected_rows


class CheckinRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_round(self) -> int:
        return int(await self.session.scalar(select(func.max(SafetyCheckin.round_id))) or 0) + 1

    async def volunteers_in(self, regions: Sequence[str]) -> list[Volunteer]:
        """Registered volunteers of these regions we can write to (active or paused)."""
        rows = await self.session.scalars(
            select(Volunteer).where(Volunteer.region.in_(list(regions)), Volunteer.telegram_id.is_not(None),
                                    Volunteer.consent_at.is_not(None),
                                    Volunteer.status.in_([VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED]))
            .order_by(Volunteer.id)
        )
        return list(rows)

    async def add(self, round_id: int, volunteers: Sequence[Volunteer], now: datetime) -> dict[int, int]:
        """Rows for who was not asked in this round yet; returns volunteer id -> check-in id."""
        asked = set(await self.session.scalars(select(SafetyCheckin.volunteer_id).where(
            SafetyCheckin.round_id == round_id)))
        fresh = [v for v in volunteers if v.id not in asked]
        if fresh:
            await self.session.execute(insert(SafetyCheckin), [
                {"round_id": round_id, "volunteer_id": v.id, "region": v.region or "", "asked_at": now}
                for v in fresh])
        rows = await self.session.execute(select(SafetyCheckin.volunteer_id, SafetyCheckin.id).where(
            SafetyCheckin.round_id == round_id, SafetyCheckin.volunteer_id.in_([v.id for v in fresh])))
        return {volunteer_id: checkin_id for volunteer_id, checkin_id in rows.all()}

    async def answer(self, checkin_id: int, telegram_id: int, answer: CheckinAnswer, now: datetime) -> bool:
        owner = select(Volunteer.id).where(Volunteer.telegram_id == telegram_id).scalar_subquery()
        result = await self.session.execute(
            update(SafetyCheckin).where(SafetyCheckin.id == checkin_id, SafetyCheckin.volunteer_id == owner)
            .values(answer=answer, answered_at=now).execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    async def summary(self, round_id: int) -> dict[str, dict[str | None, int]]:
        rows = await self.session.execute(
            select(SafetyCheckin.region, SafetyCheckin.answer, func.count(SafetyCheckin.id))
            .where(SafetyCheckin.round_id == round_id).group_by(SafetyCheckin.region, SafetyCheckin.answer)
        )
        result: dict[str, dict[str | None, int]] = {}
        for region, answer, count in rows.all():
            result.setdefault(region, {})[answer.value if answer else None] = int(count)
        return result
