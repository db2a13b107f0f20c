"""Sliding-window flood limits, so broadcast code can be tested against Telegram's 429s.

Telegram's documented guidance: about 30 messages per second overall, 1 per second in one
chat (short bursts tolerated), 20 per minute in one group. All windows are off unless set."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable

from .errors import too_many_requests


class RateLimiter:
    """Admits or refuses (429 with retry_after) each new message; refused ones don't count."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._sent: dict[Hashable, deque[float]] = {}

    def admit(self, chat_id: int, *, is_group: bool, global_per_second: float | None,
              per_chat_per_second: float | None, group_per_minute: int | None) -> None:
        now = self._clock()
        windows: list[tuple[Hashable, int, float]] = []
        if global_per_second:
            windows.append(("global", *_window(global_per_second, 1.0)))
        if per_chat_per_second:
            windows.append((("chat", chat_id), *_window(per_chat_per_second, 1.0)))
        if is_group and group_per_minute:
            windows.append((("group", chat_id), group_per_minute, 60.0))
        for key, count, seconds in windows:
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - seconds:
                sent.popleft()
            if len(sent) >= count:
                raise too_many_requests(max(1, math.ceil(sent[0] + seconds - now)))
        for key, _, _ in windows:
            self._sent[key].append(now)


def _window(rate: float, seconds: float) -> tuple[int, float]:
    """A rate as (count, window): 30/s -> 30 per 1 s; 0.5/s -> 1 per 2 s."""
    count = max(1, int(rate * seconds))
    return count, count / rate
