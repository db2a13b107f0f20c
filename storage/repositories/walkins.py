"""Walk-ins: scans of a task's check-in link by people without a confirmed place, and
the coordinator's decision (a conditional UPDATE, so two presses decide once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.attendance import WalkInStatus
from storage.models import Volunteer, WalkIn
from storage.repositories.results import affected_rows


@dataclass(frozen=True, slots=True)
class WalkInLine:
    """One walk-in in a task's attendance roster."""

    volunteer_id: int
    full_name: str | None
    scanned_at: datetime
    status: WalkInStatus


class WalkInRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, task_id: int, volunteer_id: int) -> WalkIn | None:
        return await self.session.scalar(
            select(WalkIn).where(WalkIn.task_id == task_id, WalkIn.volunteer_id == volunteer_id)
            .execution_options(populate_existing=True))

    async def record(self, task_id: int, volunteer_id: int, now: datetime) -> tuple[WalkIn, bool]:
        """The scan, recorded on the first one (a later one keeps the first time and the
        decision); True when it is new."""
        found = await self.get(task_id, volunteer_id)
        if found is not None:
            return found, False
        found = WalkIn(task_id=task_id, volunteer_id=volunteer_id, scanned_at=now, status=WalkInStatus.PENDING)
        self.session.add(found)
        await self.session.flush()
        return found, True

    async def decide(self, walk_in_id: int, status: WalkInStatus, actor_id: int, now: datetime) -> bool:
        """Pending -> accepted or dismissed; False when it was decided already."""
        result = await self.session.execute(
            update(WalkIn).where(WalkIn.id == walk_in_id, WalkIn.status == WalkInStatus.PENDING)
            .values(status=status, decided_at=now, decided_by=actor_id).execution_options(synchronize_session=False))
        return bool(affected_rows(result))

    async def lines(self, task_id: int) -> list[WalkInLine]:
        rows = await self.session.execute(
            select(WalkIn.volunteer_id, Volunteer.full_name, WalkIn.scanned_at, WalkIn.status)
            .join(Volunteer, Volunteer.id == WalkIn.volunteer_id)
            .where(WalkIn.task_id == task_id).order_by(WalkIn.scanned_at, WalkIn.id))
        return [WalkInLine(*row) for row in rows.all()]

    async def accepted_ids(self, task_id: int) -> set[int]:
        """The volunteers accepted as present on the task."""
        return set(await self.session.scalars(select(WalkIn.volunteer_id).where(
            WalkIn.task_id == task_id, WalkIn.status == WalkInStatus.ACCEPTED)))


__all__ = ["WalkInLine", "WalkInRepository"]
