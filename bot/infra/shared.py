"""What several Birge processes behind one token share in Redis (README "Scaling out"):
the connection (checked at start), the wake-up channel, and the lease that elects the one
active `birge worker` (the ids of updates already handled: bot/infra/handled_updates.py).

Every key starts with `birge:` and the bot's id, so two bots may share one Redis."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.config import ConfigError

log = logging.getLogger(__name__)

LEASE_SECONDS = 6.0  # a worker that stops renewing loses the lease after this
RENEW_EVERY = 2.0  # s between renewals of a held lease
TRY_EVERY = 1.0  # s between attempts of a standby worker: takeover within LEASE + TRY < 10 s


async def connect_redis(url: str) -> Redis:
    """A client for REDIS_URL, after one PING: unreachable at start is a configuration error."""
    client = Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5, health_check_interval=30)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        raise ConfigError(f"REDIS_URL: cannot reach Redis at {_safe(url)}: {error}") from None
    return client


def _safe(url: str) -> str:
    """The URL without a password."""
    head, at, tail = url.rpartition("@")
    return f"{head.split('://')[0]}://***@{tail}" if at else url


def prefix_for(bot_token: str) -> str:
    return f"birge:{bot_token.partition(':')[0]}"


class WakeChannel:
    """Tells the active worker's sender that something was enqueued by another process (it
    would otherwise find it at its next poll, within a couple of seconds)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.channel = f"{prefix}:wake"
        self._publishing: set[asyncio.Task[None]] = set()

    def publish(self, lane: int | None) -> None:
        task = asyncio.get_running_loop().create_task(self._publish(lane))
        self._publishing.add(task)
        task.add_done_callback(self._publishing.discard)

    async def _publish(self, lane: int | None) -> None:
        try:
            await self.redis.publish(self.channel, "" if lane is None else str(lane))
        except RedisError as error:
            log.warning("could not wake the worker: %s", error)

    async def listen(self, on_wake: Callable[[int | None], None]) -> None:
        """Call `on_wake(lane)` for every wake-up, until cancelled."""
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self.channel)
        try:
            while True:
                message = await pubsub.get_message(timeout=1.0)
                if message is not None:
                    data = message["data"].decode() if isinstance(message["data"], bytes) else str(message["data"])
                    on_wake(int(data) if data.isdigit() else None)
        finally:
            await pubsub.aclose()


# Renew only a lease we still hold; a lapsed one is not silently taken back.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Lease:
    """Exactly one holder among the processes that ask for `name`: a Redis key holding the
    holder's id, set with NX and an expiry, renewed every RENEW_EVERY seconds."""

    def __init__(self, redis: Redis, key: str, *, seconds: float = LEASE_SECONDS,
                 renew_every: float = RENEW_EVERY, try_every: float = TRY_EVERY) -> None:
        self.redis = redis
        self.key = key
        self.holder = uuid.uuid4().hex
        self.ms = int(seconds * 1000)
        self.renew_every = renew_every
        self.try_every = try_every

    async def acquire(self) -> None:
        """Wait until this process holds the lease."""
        while True:
            try:
                if await self.redis.set(self.key, self.holder, nx=True, px=self.ms):
                    return
            except RedisError as error:
                log.warning("lease %s: Redis error while trying: %s", self.key, error)
            await asyncio.sleep(self.try_every)

    async def keep(self) -> None:
        """Renew until the lease is lost, or may have lapsed for want of Redis (returns
        then: the holder must stop at once)."""
        renewed = time.monotonic()
        while True:
            await asyncio.sleep(self.renew_every)
            try:
                if not await self.redis.eval(_RENEW, 1, self.key, self.holder, self.ms):
                    log.error("lease %s lost: another process holds it", self.key)
                    return
                renewed = time.monotonic()
            except RedisError as error:
                log.warning("lease %s: could not renew: %s", self.key, error)
                if time.monotonic() - renewed > self.ms / 1000 - self.renew_every:
                    log.error("lease %s may have lapsed: stepping down", self.key)
                    return

    async def release(self) -> None:
        try:
            await self.redis.eval(_RELEASE, 1, self.key, self.holder)
        except RedisError:
            pass  # it lapses by itself
