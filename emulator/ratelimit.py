"""Flood limits, so the bot can be tested against Telegram's 429s.

Telegram's documented guidance: about 30 messages per second overall, about 1 per second
in one chat (short bursts tolerated), 20 per minute in one group. Here:

- overall: at most `global_per_second` messages in any sliding second;
- one chat: a token bucket of `per_chat_burst` messages refilled at `per_chat_per_second`
  (so a quiet chat takes a short burst, then about one a second);
- one group: at most `group_per_minute` messages in any 60 s.

Sends and edits count alike; an album (sendMediaGroup) is admitted or refused whole and
counts as its number of messages. A refused message does not count; the refusal is a 429
whose retry_after says (rounded up, at least 1 s) when it would have been admitted.
Every limit is off unless set."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable

from .errors import too_many_requests


class RateLimiter:
    """Admits or refuses (429 with retry_after) each new message."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._sent: dict[Hashable, deque[float]] = {}
        self._tokens: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)

    def admit(self, chat_id: int, *, is_group: bool, global_per_second: float | None,
              per_chat_per_second: float | None, group_per_minute: int | None,
              per_chat_burst: int = 1, count: int = 1) -> None:
        """Admit `count` messages sent by one request (an album), or refuse them all."""
        now = self._clock()
        windows: list[tuple[Hashable, int, float]] = []
        if global_per_second:
            windows.append(("global", *_window(global_per_second, 1.0)))
        if is_group and group_per_minute:
            windows.append((("group", chat_id), group_per_minute, 60.0))
        waits = []
        for key, allowed, seconds in windows:
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - seconds:
                sent.popleft()
            excess = len(sent) + min(count, allowed) - allowed  # an album larger than a window fits an empty one
            if excess > 0:
                waits.append(sent[excess - 1] + seconds - now)
        tokens = None
        if per_chat_per_second:
            capacity = max(1, per_chat_burst)
            held, at = self._tokens.get(chat_id, (float(capacity), now))
            tokens = min(float(capacity), held + (now - at) * per_chat_per_second)
            if tokens < 1.0:  # an album needs one token to start; the rest are owed (tokens go negative)
                waits.append((1.0 - tokens) / per_chat_per_second)
        if waits:
            raise too_many_requests(max(1, math.ceil(max(waits))))
        for key, _, _ in windows:
            self._sent[key].extend([now] * count)
        if tokens is not None:
            self._tokens[chat_id] = (tokens - count, now)


def _window(rate: float, seconds: float) -> tuple[int, float]:
    """A rate as (count, window): 30/s -> 30 per 1 s; 0.5/s -> 1 per 2 s."""
    count = max(1, int(rate * seconds))
    return count, count / rate
