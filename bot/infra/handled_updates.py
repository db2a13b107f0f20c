"""Which updates were taken already: Telegram delivers a webhook update again when it
missed the answer, and every update id is handled once (README "Scaling out").

- With REDIS_URL: in Redis, shared by every web process (SET NX with a day's expiry).
- Without: in the database (table handled_updates, INSERT ... ON CONFLICT DO NOTHING),
  so a restarted process still knows what it took; the scheduler job
  "forget-handled-updates" deletes the ids older than a day.

An id is remembered when the update is taken (before it is handled), as Telegram gets
its answer then."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from bot.infra.clock import Clock
from storage.db import Database
from storage.repositories.updates import HandledUpdateRepository

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

UPDATE_MEMORY_SECONDS = 24 * 3600  # an update id is remembered this long (Telegram retries for less)
FORGET_EVERY_SECONDS = 3600  # the database ledger's clean-up


class UpdateLedger(Protocol):
    async def first_time(self, update_id: int) -> bool:
        """True the first time an update id is seen (then it is remembered for a day)."""
        ...


class RedisUpdateLedger:
    """Shared by every web process: SET NX with a day's expiry."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    async def first_time(self, update_id: int) -> bool:
        return bool(await self.redis.set(f"{self.prefix}:update:{update_id}", 1, nx=True, ex=UPDATE_MEMORY_SECONDS))


class DatabaseUpdateLedger:
    """One web process without Redis: the ids in the database, kept a day."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def first_time(self, update_id: int) -> bool:
        async with self.db.session() as session:
            return await HandledUpdateRepository(session).take(update_id, self.clock.now())

    async def forget_old(self) -> int:
        """The scheduler job: delete the ids taken more than a day ago."""
        async with self.db.session() as session:
            forgotten = await HandledUpdateRepository(session).forget_before(
                self.clock.now() - timedelta(seconds=UPDATE_MEMORY_SECONDS))
        if forgotten:
            log.info("forgot %s handled update ids older than a day", forgotten)
        return forgotten
