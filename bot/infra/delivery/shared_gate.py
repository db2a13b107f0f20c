"""The gate of a bot run as several processes (REDIS_URL set): the same SendGate (same
priorities, same tickets, same local bookkeeping for the sender), but every message also
takes its slot from one limiter in Redis that all processes of the token share.

One Lua script decides atomically, on Redis's own clock (so processes on several
machines agree): the overall sliding window (`rate` in any WINDOW, paid broadcasts in
their own window) with even spacing, the per-chat interval (the burst for direct
replies), the per-group window, and a 429's pause. A 429 seen by any process pauses
every process until its retry_after has passed."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.infra.delivery.config import DeliveryConfig
from bot.infra.delivery.gate import SendGate
from bot.infra.delivery.limits import ChatKey, RateLimits, is_group
from bot.infra.shared import prefix_for

log = logging.getLogger(__name__)

# The overall window across processes: wider than one process's WINDOW (1.02 s), because a
# slot is granted in Redis before the request leaves, and between grant and arrival several
# processes on a busy machine add more jitter than one does (a 429 seen at 1.02 on a loaded
# 2-core machine during a worker takeover).
SHARED_WINDOW = 1.1
RETRY_ON_ERROR = 0.5  # s before asking Redis again after an error
MAX_NAP = 0.25  # s: a waiting gate looks again at least this often (other processes free slots)

# KEYS: 1 overall window (zset), 2 overall pacer, 3 pause, 4 chat schedule, 5 group window (zset), 6 counter
# ARGV: 1 rate (messages per window), 2 window s, 3 chat interval s, 4 chat burst, 5 use burst (0/1),
#       6 group per window, 7 group window s, 8 is group (0/1), 9 has chat (0/1)
# Returns {overall wait, chat wait} in seconds as strings; {"0", "0"}: granted and recorded.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = window / rate
local overall = 0
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > now then overall = paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= rate then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  overall = math.max(overall, tonumber(oldest[2]) + window - now)
end
local pacer = tonumber(redis.call('GET', KEYS[2]) or '0')
if pacer > now then overall = math.max(overall, pacer - now) end
if overall > 0 then return {tostring(overall), '0'} end
local chat = 0
local chat_next = 0
if ARGV[9] == '1' then
  local chat_interval = tonumber(ARGV[3])
  chat_next = tonumber(redis.call('GET', KEYS[4]) or '0')
  local free_at = chat_next
  if ARGV[5] == '1' and ARGV[8] == '0' then free_at = free_at - (tonumber(ARGV[4]) - 1) * chat_interval end
  if ARGV[8] == '1' then
    redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[7]))
    local per = tonumber(ARGV[6])
    if redis.call('ZCARD', KEYS[5]) >= per then
      local first = redis.call('ZRANGE', KEYS[5], -per, -per, 'WITHSCORES')
      free_at = math.max(free_at, tonumber(first[2]) + tonumber(ARGV[7]))
    end
  end
  if free_at > now then chat = free_at - now end
end
if chat > 0 then return {'0', tostring(chat)} end
local n = redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[1], now, tostring(n))
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000) + 1000)
local slack = 2 * interval
redis.call('SET', KEYS[2], tostring(math.max(pacer, now - slack) + interval), 'PX', math.ceil(window * 1000) + 1000)
if ARGV[9] == '1' then
  local chat_interval = tonumber(ARGV[3])
  redis.call('SET', KEYS[4], tostring(math.max(chat_next, now) + chat_interval),
             'PX', math.ceil(chat_interval * 1000 * tonumber(ARGV[4])) + 1000)
  if ARGV[8] == '1' then
    redis.call('ZADD', KEYS[5], now, tostring(n))
    redis.call('PEXPIRE', KEYS[5], math.ceil(tonumber(ARGV[7]) * 1000) + 1000)
  end
end
return {'0', '0'}
"""

_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > paused then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 1
"""


class SharedSendGate(SendGate):
    """A SendGate whose grants also pass the token-wide limiter in Redis."""

    def __init__(self, limits: RateLimits, redis: Redis, prefix: str, *, rate: float, paid_rate: float | None,
                 chat_interval: float, chat_burst: int, group_per_minute: int, group_window: float,
                 window: float = SHARED_WINDOW) -> None:
        super().__init__(limits)
        self.redis = redis
        self.prefix = f"{prefix}:limits"
        self.rate = max(1, int(rate))
        self.paid_rate = max(1, int(paid_rate)) if paid_rate else None
        self.window = window
        self.chat_interval = chat_interval
        self.chat_burst = max(1, chat_burst)
        self.group_per_minute = group_per_minute
        self.group_window = group_window
        self._acquire = redis.register_script(_ACQUIRE)
        self._pause = redis.register_script(_PAUSE)
        self._task: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()
        self._pausing: set[asyncio.Task[None]] = set()

    @classmethod
    def for_token(cls, config: DeliveryConfig, redis: Redis, bot_token: str) -> SharedSendGate:
        """The gate of one of several processes: the token's limits kept in Redis."""
        return cls(config.limits(), redis, prefix_for(bot_token), rate=config.rate, paid_rate=config.paid_rate,
                   chat_interval=config.chat_interval, chat_burst=config.chat_burst,
                   group_per_minute=config.group_per_minute, group_window=config.group_window)

    def pause(self, seconds: float) -> None:
        """A 429: every process holds until `seconds` from now."""
        self.limits.pause(seconds)
        task = asyncio.get_running_loop().create_task(self._share_pause(seconds))
        self._pausing.add(task)
        task.add_done_callback(self._pausing.discard)
        self._pump()

    async def _share_pause(self, seconds: float) -> None:
        try:
            await self._pause(keys=[f"{self.prefix}:pause"], args=[seconds])
        except RedisError as error:
            log.warning("could not share a 429 pause in Redis: %s", error)

    async def ask(self, chat: ChatKey | None, *, paid: bool, burst: bool) -> tuple[float, float]:
        """One try at the shared limiter: (overall wait, chat wait); (0, 0) = granted and counted."""
        kind = "paid" if paid and self.paid_rate else "free"
        rate = self.paid_rate if paid and self.paid_rate else self.rate
        keys = [f"{self.prefix}:{kind}:window", f"{self.prefix}:{kind}:pacer", f"{self.prefix}:pause",
                f"{self.prefix}:chat:{chat}", f"{self.prefix}:group:{chat}", f"{self.prefix}:n"]
        args = [rate, self.window, self.chat_interval, self.chat_burst, int(burst), self.group_per_minute,
                self.group_window, int(is_group(chat)), int(chat is not None)]
        overall, chat_wait = await self._acquire(keys=keys, args=args)
        return float(overall), float(chat_wait)

    def _pump(self) -> None:
        self._kick.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._waiting:
            self._kick.clear()
            nap = await self._round()
            if not self._waiting:
                break
            try:
                await asyncio.wait_for(self._kick.wait(), max(0.001, min(nap, MAX_NAP)))
            except TimeoutError:
                pass

    async def _round(self) -> float:
        """Let through whoever may go now, most urgent first; how long until the next try."""
        next_wait = float("inf")
        held: set[ChatKey] = set()
        for ticket in list(self._waiting):
            if ticket.future.done():
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                continue
            if ticket.chat is not None and ticket.chat in held:
                continue
            local = self.limits.wait(ticket.chat, paid=ticket.paid, burst=ticket.burst)
            if local > 0:
                next_wait = min(next_wait, local)
                if ticket.chat is not None:
                    held.add(ticket.chat)
                continue
            try:
                overall, chat_wait = await self.ask(ticket.chat, paid=ticket.paid, burst=ticket.burst)
            except RedisError as error:
                log.warning("shared limiter unavailable, holding messages: %s", error)
                return RETRY_ON_ERROR
            if overall > 0:
                return min(next_wait, overall)
            if chat_wait > 0:
                next_wait = min(next_wait, chat_wait)
                if ticket.chat is not None:
                    held.add(ticket.chat)
                continue
            self.limits.record(ticket.chat, paid=ticket.paid)
            if ticket in self._waiting:
                self._waiting.remove(ticket)
            if not ticket.future.done():
                self.granted += 1
                ticket.future.set_result(None)
        return next_wait
