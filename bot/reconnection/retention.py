"""Retention: phones and messages of requests and "I'm safe" reports are erased
`retention_days` after the emergency that was active in their region closed; with no
emergency, `retention_days` after the request closed (reports: after they were made).
A request is held by an emergency of its region that was active at some moment while
the request was open (a report: active when it was made); it is erased only when the
last such emergency closed `retention_days` ago, and never before the request itself
closed that long ago. Names, regions and statuses stay, for counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.infra.clock import Clock
from bot.reconnection.matching import SAFE
from storage.db import Database
from storage.repositories.emergencies import EmergencyRepository
from storage.repositories.reconnection import Hold, ReconnectionRepository


class RetentionService:
    def __init__(self, db: Database, clock: Clock, retention_days: int = 30) -> None:
        self.db = db
        self.clock = clock
        self.retention = timedelta(days=retention_days)

    async def erase_due(self) -> int:
        """The scheduler's job: everything whose retention period is over, counted from
        the close of the emergency that held it, else from its own close."""
        cutoff = self.clock.now() - self.retention
        async with self.db.read() as session:
            emergencies = await EmergencyRepository(session).active_or_closed_after(cutoff)
            holds: list[Hold] = [(list(e.regions or ()), e.declared_at, e.closed_at) for e in emergencies]
        return await self.erase_closed_before(cutoff, holds)

    async def erase_closed_before(self, moment: datetime, holds: Sequence[Hold] = ()) -> int:
        """Erase what closed (reports: was made) by `moment`, except what `holds` keep."""
        now = self.clock.now()
        erased = 0
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            while ids := await repo.closed_before(moment, holds):
                await repo.erase_requests(ids, now)
                erased += len(ids)
            while reports := await repo.reports_before(moment, holds):
                await repo.erase_reports(reports, now)
                await repo.drop_names(SAFE, reports)
                erased += len(reports)
        return erased
