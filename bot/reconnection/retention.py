"""Retention: phones and messages of requests and "I'm safe" reports are erased
`retention_days` after the request closed (reports: after they were made). Names,
regions and statuses stay, for counts. Emergency mode may call `erase_closed_before`
with the moment an emergency closed minus nothing (its own rule)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.infra.clock import Clock
from bot.reconnection.requests import SAFE
from storage.db import Database
from storage.repositories.reconnection import ReconnectionRepository


class RetentionService:
    def __init__(self, db: Database, clock: Clock, retention_days: int = 30) -> None:
        self.db = db
        self.clock = clock
        self.retention = timedelta(days=retention_days)

    async def erase_due(self) -> int:
        """The scheduler's job: everything older than the retention period."""
        return await self.erase_closed_before(self.clock.now() - self.retention)

    async def erase_closed_before(self, moment: datetime) -> int:
        now = self.clock.now()
        erased = 0
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            while ids := await repo.closed_before(moment):
                await repo.erase_requests(ids, now)
                erased += len(ids)
            while reports := await repo.reports_before(moment):
                await repo.erase_reports(reports, now)
                await repo.drop_name_keys(SAFE, reports)
                erased += len(reports)
        return erased
