"""aiogram FSM storage kept in the database, so a half-finished dialog survives a restart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey

from bot.infra.clock import Clock
from storage.db import Database
from storage.repositories.fsm import FsmRepository


class DatabaseStorage(BaseStorage):
    def __init__(self, db: Database, clock: Clock, key_builder: KeyBuilder | None = None) -> None:
        self.db = db
        self.clock = clock
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self.db.session() as session:
            await FsmRepository(session).set_state(self._key(key), value, self.clock.now())

    async def get_state(self, key: StorageKey) -> str | None:
        async with self.db.read() as session:
            record = await FsmRepository(session).get(self._key(key))
            return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self.db.session() as session:
            await FsmRepository(session).set_data(self._key(key), dict(data), self.clock.now())

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self.db.read() as session:
            record = await FsmRepository(session).get(self._key(key))
            return dict(record.data) if record else {}

    async def close(self) -> None:
        """The Database is closed by the application, which owns it."""
