"""Birge as several real processes behind one token: three `birge web` behind the fake Bot
API, which posts updates to them in turn (as a reverse proxy would spread them), and
`birge worker` processes of which exactly one sends. They share one SQLite file (WAL) and
Redis (database 7; skipped with one line where no Redis answers)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.domain.delivery import DeliveryLane
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.infra.i18n import make_i18n
from emulator import FakeTelegram
from storage.db import Database
from storage.migrate import upgrade
from tests.support.processes import Cluster
from tests.support.shared import REDIS_URL, redis_or_skip


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    async for client in redis_or_skip():
        yield client


@pytest.fixture
async def cluster(fake: FakeTelegram, tmp_path: Path, redis: Redis) -> AsyncIterator[Cluster]:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'birge.db'}"
    db = Database(database_url)
    await upgrade(db)  # `birge migrate` once, before the processes start
    await db.close()
    running = Cluster(fake, tmp_path, database_url, REDIS_URL)
    try:
        yield running
    finally:
        await running.stop()


async def test_three_web_processes_serve_one_bot(cluster: Cluster, fake: FakeTelegram) -> None:
    webs = [await cluster.web(f"web{n}") for n in range(3)]
    await asyncio.gather(*(cluster.wait_healthy(web) for web in webs))
    fake.webhook_targets = [web.url for web in webs]
    [set_webhook] = fake.calls_of("setWebhook")  # once, by whichever process came first
    assert set_webhook.params["url"] == cluster.public_url and set_webhook.params["secret_token"]

    # A dialog whose steps land on different processes (dialog state and isolation in Redis).
    user = fake.user(8001, language_code="en")
    await user.send_text("/start")
    await user.wait_for_message()
    await user.press("English")
    await user.wait_for_message(lambda m: "personal data" in m.text)
    await user.press("✅ I agree")
    await user.wait_for_message(lambda m: "name" in m.text.lower())
    await user.send_text("Aigerim Sadykova")
    await user.wait_for_message(lambda m: "phone" in m.text.lower())
    await fake.wait_idle()
    steps = [entry.url for entry in fake.webhook.log]
    assert len(steps) == 4 and len(set(steps)) == 3

    # A redelivered update is handled once, even by another process.
    sends = len(fake.calls_of("sendMessage")) + len(fake.calls_of("editMessageText"))
    assert await fake.webhook.redeliver(fake.webhook.log[-1].update_id, webs[0].url) == 200
    await user.send_text("/help")  # something that is handled, to know the first was not
    await user.wait_for_message(lambda m: "/help" in m.text or "/start" in m.text)
    await fake.wait_idle()
    assert len(fake.calls_of("sendMessage")) + len(fake.calls_of("editMessageText")) == sends + 1

    # A wrong secret is refused by every process and never handled.
    forged = {"update_id": 777_777, "message": {"message_id": 99, "date": 1, "chat": user.chat_json,
                                                "from": user.user_json, "text": "/help"}}
    for web in webs:
        assert await fake.webhook.post(forged, web.url, secret="not-the-secret-0123456789") == 401
    assert all("refused: wrong secret token" in web.output() for web in webs)

    # Many people at once, spread over the processes: each answered exactly once.
    crowd = [fake.user(9000 + n, language_code="en") for n in range(60)]
    await asyncio.gather(*(person.send_text("/start") for person in crowd))
    for person in crowd:
        await person.wait_for_message(timeout=120)
    await fake.wait_idle()
    answered = Counter(int(call.params["chat_id"]) for call in fake.calls_of("sendMessage"))
    assert all(answered[person.id] == 1 for person in crowd)
    served_by = Counter(entry.url for entry in fake.webhook.log if entry.update_id > 6)
    assert len(served_by) == 3 and min(served_by.values()) >= 15

    # SIGTERM stops each cleanly.
    assert await asyncio.gather(*(web.stop() for web in webs)) == [0, 0, 0]


async def test_a_killed_worker_is_replaced_within_10_s_and_nothing_is_lost(cluster: Cluster, fake: FakeTelegram,
                                                                          tmp_path: Path) -> None:
    fake.enforce_telegram_limits()
    workers = [await cluster.worker(f"worker{n}") for n in range(2)]
    await asyncio.gather(*(cluster.wait_log(worker, "worker waiting for the lease") for worker in workers))
    people = [fake.user(20_000 + n, language_code="en") for n in range(240)]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'birge.db'}")
    delivery = DeliveryService(db, Clock(), make_i18n("en"))
    await delivery.enqueue_broadcast("test", DeliveryLane.ROUTINE, None,
                                     [OutgoingMessage(person.id, f"Card for {person.id}") for person in people])
    await db.close()

    def sent() -> list[float]:
        return [call.at for call in fake.calls_of("sendMessage") if call.ok]

    async with asyncio.timeout(120):
        while len(sent()) < 0.4 * len(people):
            await asyncio.sleep(0.02)
    active = next(worker for worker in workers if "worker active" in worker.output())
    standby = next(worker for worker in workers if worker is not active)
    active.kill()
    killed_at = time.monotonic()
    await active.process.wait()
    before = len(sent())
    async with asyncio.timeout(120):
        while len(sent()) <= before:
            await asyncio.sleep(0.02)
    assert time.monotonic() - killed_at <= 10, "the standby worker did not take over within 10 s"
    assert "worker active" in standby.output()
    async with asyncio.timeout(120):
        while {int(call.params["chat_id"]) for call in fake.calls_of("sendMessage") if call.ok} != {p.id for p in people}:
            await asyncio.sleep(0.05)

    cards = Counter(int(call.params["chat_id"]) for call in fake.calls_of("sendMessage") if call.ok)
    assert sum(cards.values()) - len(people) <= 12  # at most the messages in flight repeat
    assert fake.stats.rate_limited == 0  # Telegram's limits held across both processes
    moments = sorted(sent())
    assert max(sum(1 for other in moments[i:] if other < moment + 1.0) for i, moment in enumerate(moments)) <= 30
    per_chat: dict[int, list[float]] = defaultdict(list)
    for call in fake.calls_of("sendMessage"):
        if call.ok:
            per_chat[int(call.params["chat_id"])].append(call.at)
    assert all(b - a >= 1.0 for times in per_chat.values() for a, b in zip(times, times[1:], strict=False))
    assert await standby.stop() == 0  # SIGTERM: the active worker stops cleanly and releases the lease

