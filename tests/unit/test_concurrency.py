"""The outbox's guarantees when writers really run at once: on SQLite they queue at BEGIN
IMMEDIATE; on PostgreSQL (TEST_DATABASE_URL) they overlap, and unique keys, row locks and
conditional updates must keep them. (Fifty presses on ten places: tests/unit/test_signups.py;
a sender killed mid-broadcast: tests/e2e/test_delivery_engine.py.)"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.infra.i18n import make_i18n
from storage.db import Database
from storage.models import DeliveryBroadcast, DeliveryMessage
from storage.repositories.deliveries import DeliveryRepository
from tests.support.clock import ManualClock
from tests.support.databases import ON_POSTGRESQL, TestDatabases


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


@pytest.fixture
def delivery(db: Database, clock: ManualClock) -> DeliveryService:
    return DeliveryService(db, clock, make_i18n("kk"))


def offers(chats: range) -> list[OutgoingMessage]:
    return [OutgoingMessage(chat, f"Task for {chat}") for chat in chats]


async def test_simultaneous_repeated_confirms_make_one_broadcast_with_each_chat_once(
        db: Database, delivery: DeliveryService) -> None:
    ids = await asyncio.gather(*(
        delivery.enqueue_broadcast("task_offer", DeliveryLane.ROUTINE, 500, offers(range(100, 120 + n)),
                                   key="task:1:offer")
        for n in range(5)
    ))
    assert len(set(ids)) == 1
    async with db.sessionmaker() as session:
        broadcasts = await session.scalar(select(func.count()).select_from(DeliveryBroadcast))
        chats = list(await session.scalars(select(DeliveryMessage.chat_id).order_by(DeliveryMessage.chat_id)))
        total = await session.scalar(select(DeliveryBroadcast.total))
    assert broadcasts == 1
    assert chats == list(range(100, 124))  # the widest confirm's recipients, each once
    assert total == 24


async def test_claimers_running_at_once_claim_each_row_exactly_once(
        db: Database, delivery: DeliveryService, clock: ManualClock) -> None:
    await delivery.enqueue_broadcast("x", DeliveryLane.ROUTINE, None, offers(range(1000, 1200)))

    async def claimer() -> list[int]:
        mine: list[int] = []
        while True:
            async with db.session() as session:
                repo = DeliveryRepository(session)
                ready = [row_id for row_id, _chat in await repo.ready(clock.now(), 25)]
                claimed = await repo.claim_many(ready)
            if not ready:
                return mine
            mine.extend(row.id for row in claimed)

    claims = await asyncio.gather(*(claimer() for _ in range(6)))
    every = [row_id for mine in claims for row_id in mine]
    assert len(every) == len(set(every)) == 200
    async with db.sessionmaker() as session:
        statuses = dict((await session.execute(
            select(DeliveryMessage.status, func.count()).group_by(DeliveryMessage.status))).all())
    assert statuses == {DeliveryStatus.SENDING: 200}


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks: SQLite has none (its second writer waits at BEGIN)")
async def test_a_claim_skips_rows_another_claimer_holds_instead_of_waiting(
        db: Database, delivery: DeliveryService, clock: ManualClock) -> None:
    await delivery.enqueue_broadcast("x", DeliveryLane.ROUTINE, None, offers(range(1000, 1020)))
    async with db.sessionmaker() as session:
        ids = [row_id for row_id, _chat in await DeliveryRepository(session).ready(clock.now(), 20)]
    async with db.session() as first:
        held = await DeliveryRepository(first).claim_many(ids[:10])  # not committed yet
        async with db.session() as second:
            async with asyncio.timeout(5):  # waiting for `first` would never end: it waits for us
                taken = await DeliveryRepository(second).claim_many(ids)
    assert [row.id for row in held] == ids[:10]
    assert [row.id for row in taken] == ids[10:]
