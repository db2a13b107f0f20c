"""What coordinators see: counts per status and the cases that need help; no phones."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.reconnection import RequestStatus
from storage.db import Database
from storage.models import ReconnectionRequest
from storage.repositories.reconnection import ReconnectionRepository


class Overview:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def of(self, regions: Sequence[str] | None) -> tuple[dict[RequestStatus, int], list[ReconnectionRequest]]:
        """`regions` None: every region (admins)."""
        async with self.db.read() as session:
            repo = ReconnectionRepository(session)
            return await repo.counts(regions), await repo.needing_help(regions)
