"""FSM records by key string. The aiogram adapter is `bot.fsm_storage.DatabaseStorage`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import read_cache
from storage.models import FsmRecord


class FsmRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> FsmRecord | None:
        """The record; in a unit of work's reads, a key read once (found or not) is not
        read again (aiogram asks for the state and the data several times an update)."""
        cache = read_cache(self.session)
        if cache is not None and ("fsm", key) in cache:
            cached: FsmRecord | None = cache[("fsm", key)]
            return cached
        record = await self.session.get(FsmRecord, key)
        if cache is not None:
            cache[("fsm", key)] = record
        return record

    async def set_state(self, key: str, state: str | None, now: datetime) -> None:
        record = await self.get(key)
        if record is None:
            if state is None:
                return
            self.session.add(FsmRecord(key=key, state=state, data={}, updated_at=now))
        else:
            record.state = state
            record.updated_at = now
            await self._drop_if_empty(record)

    async def set_data(self, key: str, data: dict[str, Any], now: datetime) -> None:
        record = await self.get(key)
        if record is None:
            if not data:
                return
            self.session.add(FsmRecord(key=key, state=None, data=dict(data), updated_at=now))
        else:
            record.data = dict(data)
            record.updated_at = now
            await self._drop_if_empty(record)

    async def delete_prefix(self, prefix: str) -> None:
        await self.session.execute(delete(FsmRecord).where(FsmRecord.key.startswith(prefix, autoescape=True)))

    async def _drop_if_empty(self, record: FsmRecord) -> None:
        if record.state is None and not record.data:
            await self.session.delete(record)
