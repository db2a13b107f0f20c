"""The ids of updates taken by a web process without Redis, in the database
(bot/infra/handled_updates.py): taken once, also by a new process and by several at
once; forgotten after a day by the scheduler job."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.infra.handled_updates import DatabaseUpdateLedger
from storage.db import Database
from storage.models import HandledUpdate
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases


async def test_an_id_is_taken_once_also_after_a_restart(databases: TestDatabases, clock: ManualClock) -> None:
    url = await databases.url()
    db = Database(url)
    ledger = DatabaseUpdateLedger(db, clock)
    assert await ledger.first_time(501)
    assert not await ledger.first_time(501)
    assert await ledger.first_time(502)
    await db.close()
    restarted = Database(url)  # a new process: a new engine, nothing in memory
    try:
        ledger = DatabaseUpdateLedger(restarted, clock)
        assert not await ledger.first_time(501)
        assert not await ledger.first_time(502)
        assert await ledger.first_time(503)
    finally:
        await restarted.close()


async def test_one_id_taken_at_once_by_many_is_taken_by_one(databases: TestDatabases, clock: ManualClock) -> None:
    db = Database(await databases.url())
    try:
        ledgers = [DatabaseUpdateLedger(db, clock) for _ in range(6)]
        answers = await asyncio.gather(*(ledger.first_time(777) for ledger in ledgers))
        assert sorted(answers) == [False] * 5 + [True]
    finally:
        await db.close()


async def test_ids_older_than_a_day_are_forgotten(databases: TestDatabases, clock: ManualClock) -> None:
    db = Database(await databases.url())
    try:
        ledger = DatabaseUpdateLedger(db, clock)
        assert await ledger.first_time(1)
        clock.advance(timedelta(hours=20))
        assert await ledger.first_time(2)
        clock.advance(timedelta(hours=5))  # 1 is 25 hours old, 2 is 5
        assert await ledger.forget_old() == 1
        async with db.read() as session:
            assert list(await session.scalars(select(HandledUpdate.update_id))) == [2]
        assert not await ledger.first_time(2)
        assert await ledger.first_time(1)  # forgotten: a day later Telegram no longer retries it
    finally:
        await db.close()
