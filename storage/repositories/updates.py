"""Handled update ids (webhook without Redis): taken once, forgotten after a day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HandledUpdate
from storage.repositories.results import affected_rows


class HandledUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take(self, update_id: int, now: datetime) -> bool:
        """Remember the id if it is not there yet, in one statement (INSERT ... ON CONFLICT
        DO NOTHING): True if this call remembered it, False if it was there already
        (two processes taking one id at once: exactly one gets True)."""
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (dialect.insert(HandledUpdate).values(update_id=update_id, seen_at=now)
                     .on_conflict_do_nothing(index_elements=[HandledUpdate.update_id]))
        result = await self.session.execute(statement)
        return affected_rows(result) == 1

    async def forget_before(self, moment: datetime) -> int:
        """Delete the ids taken before `moment` (ix_handled_updates_seen_at); how many."""
        result = await self.session.execute(delete(HandledUpdate).where(HandledUpdate.seen_at < moment))
        return affected_rows(result)
