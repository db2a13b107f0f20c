"""What several processes share in Redis: the outgoing limiter (two gates stand for two
processes), a 429's pause, the worker lease, the ids of handled updates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.infra.delivery.gate import DIRECT, queue_priority
from bot.infra.delivery.limits import RateLimits
from bot.infra.delivery.shared_gate import SharedSendGate
from bot.infra.handled_updates import RedisUpdateLedger
from bot.infra.shared import Lease, WakeChannel
from tests.support.shared import redis_or_skip


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    async for client in redis_or_skip():
        yield client


def gate(redis: Redis, rate: float = 20, chat_interval: float = 0.3) -> SharedSendGate:
    return SharedSendGate(RateLimits(rate, chat_interval=chat_interval, chat_burst=1), redis, "birge:test",
                          rate=rate, paid_rate=None, chat_interval=chat_interval, chat_burst=1,
                          group_per_minute=20, group_window=61.0)


def max_in_window(moments: list[float], window: float) -> int:
    moments = sorted(moments)
    return max(sum(1 for other in moments[i:] if other < moment + window) for i, moment in enumerate(moments))


async def test_two_processes_together_stay_within_the_overall_rate(redis: Redis) -> None:
    first, second = gate(redis), gate(redis)
    moments: list[float] = []

    async def send(which: SharedSendGate, chat: int) -> None:
        await which.acquire(chat, priority=queue_priority(2), burst=False)
        moments.append(time.monotonic())

    await asyncio.gather(*(send(first if n % 2 else second, 1000 + n) for n in range(50)))
    assert len(moments) == 50
    # 20 in any 1.02 s together (each alone would have let 20 through in its own window)
    assert max_in_window(moments, 1.0) <= 20
    assert max(moments) - min(moments) >= 1.5


async def test_two_processes_keep_one_chats_pace(redis: Redis) -> None:
    first, second = gate(redis), gate(redis)
    moments: list[float] = []
    for n in range(4):
        await (first if n % 2 else second).acquire(42, priority=DIRECT, burst=False)
        moments.append(time.monotonic())
    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    assert min(gaps) >= 0.25


async def test_a_429_seen_by_one_process_pauses_the_other(redis: Redis) -> None:
    first, second = gate(redis), gate(redis)
    await first.acquire(1, priority=DIRECT)
    first.pause(0.6)
    await asyncio.sleep(0.05)  # the pause reaches Redis
    started = time.monotonic()
    await second.acquire(2, priority=DIRECT)
    assert time.monotonic() - started >= 0.5


async def test_exactly_one_holds_the_lease_and_another_takes_over(redis: Redis) -> None:
    first = Lease(redis, "birge:test:lease", seconds=1.0, renew_every=0.3, try_every=0.1)
    second = Lease(redis, "birge:test:lease", seconds=1.0, renew_every=0.3, try_every=0.1)
    await first.acquire()
    keeping = asyncio.create_task(first.keep())
    waiting = asyncio.create_task(second.acquire())
    await asyncio.sleep(1.5)  # longer than the lease: renewals keep it
    assert not waiting.done()
    keeping.cancel()  # the holder dies without releasing
    started = time.monotonic()
    await asyncio.wait_for(waiting, 3)
    assert time.monotonic() - started <= 1.5
    assert await redis.get("birge:test:lease") == second.holder.encode()
    # the old holder, were it still alive, finds out at its next renewal
    assert await asyncio.wait_for(first.keep(), 2) is None


async def test_an_update_id_is_handled_once_across_processes(redis: Redis) -> None:
    one, other = RedisUpdateLedger(redis, "birge:test"), RedisUpdateLedger(redis, "birge:test")
    assert await one.first_time(5)
    assert not await other.first_time(5)
    assert 86_000 < await redis.ttl("birge:test:update:5") <= 86_400


async def test_an_enqueue_in_one_process_wakes_the_worker_in_another(redis: Redis) -> None:
    woken: list[int | None] = []
    listening = asyncio.create_task(WakeChannel(redis, "birge:test").listen(woken.append))
    try:
        publisher = WakeChannel(redis, "birge:test")
        async with asyncio.timeout(5):
            while not woken:  # the subscription may not be in place for the first ones
                publisher.publish(1)
                await asyncio.sleep(0.05)
        assert set(woken) == {1}
    finally:
        listening.cancel()
