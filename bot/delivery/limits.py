"""Telegram's flood limits as the sender keeps them.

- Overall: evenly spaced sends at `rate` per second, except that up to BURST_SECONDS
  worth of sends may go back to back to make up for the moments the sender spends in the
  database (a token bucket with 1 + rate x BURST_SECONDS tokens, GCRA-style). So any one
  second holds at most about rate x (1 + BURST_SECONDS) messages: keep that under the
  limit. Paid broadcasts (`allow_paid_broadcast`) have their own bucket at their own rate.
- One chat: at most one message per `chat_interval` seconds.
- One group (chat id < 0): at most `group_per_minute` messages in any 60 s.
- A 429 pauses everything until its retry_after has passed.

Pure bookkeeping over a monotonic time source: `reserve()` books the next slot and
says how long to wait for it, so tests drive it with any numbers and never sleep.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

# Safety margins: the limits are measured where the request arrives, after some jitter.
CHAT_INTERVAL = 1.05  # s between two messages into one chat (Telegram: about 1 s)
GROUP_PER_MINUTE = 20
GROUP_WINDOW = 61.0  # s


BURST_SECONDS = 0.01
# The overall rate is also kept as a count over a sliding window of the moments messages
# really left (a slot can be left late when the process stalls, and late ones must not
# bunch up): at most rate x (1 + BURST_SECONDS) sends in any WINDOW seconds.
WINDOW = 1.02


class SlidingWindow:
    def __init__(self, count: int, seconds: float) -> None:
        self.count = max(1, count)
        self.seconds = seconds
        self.sent: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - self.seconds:
            self.sent.popleft()
        return 0.0 if len(self.sent) < self.count else self.sent[0] + self.seconds - now

    def record(self, now: float) -> None:
        self.sent.append(now)


class Bucket:
    """Slots at `rate` per second; `burst` of them may be back to back (GCRA: a
    theoretical arrival time `tat` that each send pushes one interval further)."""

    def __init__(self, rate: float, burst: int | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.burst = burst if burst is not None else 1 + int(rate * BURST_SECONDS)
        self.tolerance = (self.burst - 1) * self.interval
        self.tat = float("-inf")

    def reserve(self, now: float, not_before: float) -> float:
        """Book a slot at or after both `now` and `not_before`; returns its time."""
        slot = max(now, not_before, self.tat - self.tolerance)
        self.tat = max(self.tat, slot) + self.interval
        return slot

    def hold_until(self, moment: float) -> None:
        """Nothing before `moment`, and no burst right after it."""
        self.tat = max(self.tat, moment + self.tolerance)


class RateLimits:
    def __init__(
        self,
        rate: float,
        paid_rate: float | None = None,
        *,
        chat_interval: float = CHAT_INTERVAL,
        group_per_minute: int = GROUP_PER_MINUTE,
        group_window: float = GROUP_WINDOW,
        time_source: Callable[[], float] = time.monotonic,
    ) -> None:
        self.time = time_source
        self.free = Bucket(rate)
        self.paid = Bucket(paid_rate) if paid_rate else self.free
        self.free_window = SlidingWindow(int(rate * (1 + BURST_SECONDS)), WINDOW)
        self.paid_window = SlidingWindow(int(paid_rate * (1 + BURST_SECONDS)), WINDOW) if paid_rate else self.free_window
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self.group_window = group_window
        self.paused_until = float("-inf")
        self._chat_free_at: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

    # -- per chat ---------------------------------------------------------------

    def chat_free_at(self, chat_id: int) -> float:
        """The earliest moment a new message may go into this chat."""
        moment = self._chat_free_at.get(chat_id, float("-inf"))
        sends = self._group_sends.get(chat_id)
        if sends is not None and len(sends) >= self.group_per_minute:
            moment = max(moment, sends[-self.group_per_minute] + self.group_window)
        return moment

    def busy_chats(self, now: float | None = None) -> set[int]:
        """Chats that may not receive a message right now (forgets the ones that may)."""
        now = self.time() if now is None else now
        busy = set()
        for chat_id in list(self._chat_free_at):
            if self.chat_free_at(chat_id) > now:
                busy.add(chat_id)
            elif chat_id not in self._group_sends or not self._group_sends[chat_id]:
                del self._chat_free_at[chat_id]
        for chat_id, sends in list(self._group_sends.items()):
            while sends and sends[0] <= now - self.group_window:
                sends.popleft()
            if not sends:
                del self._group_sends[chat_id]
            elif self.chat_free_at(chat_id) > now:
                busy.add(chat_id)
        return busy

    def earliest_free(self, chat_ids: Iterable[int]) -> float | None:
        moments = [self.chat_free_at(chat_id) for chat_id in chat_ids]
        return min(moments) if moments else None

    # -- booking ----------------------------------------------------------------

    def reserve(self, chat_id: int, *, paid: bool = False, now: float | None = None) -> float:
        """Book the next slot for one message into `chat_id`; returns seconds to wait.

        The slot respects the overall rate, a running pause and the chat's own limits,
        and is recorded for the chat at once (so two workers never share a chat slot)."""
        now = self.time() if now is None else now
        bucket = self.paid if paid else self.free
        slot = bucket.reserve(now, max(self.paused_until, self.chat_free_at(chat_id)))
        self._chat_free_at[chat_id] = slot + self.chat_interval
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(slot)
        return max(0.0, slot - now)

    def window_wait(self, *, paid: bool = False, now: float | None = None) -> float:
        """Seconds until one more message may really leave (0: now)."""
        now = self.time() if now is None else now
        return (self.paid_window if paid else self.free_window).wait(now)

    def sending(self, chat_id: int, *, paid: bool = False, now: float | None = None) -> None:
        """A message really leaves now: count it, and keep its chat closed for the chat
        interval from this moment (not from its slot, which may have passed long ago)."""
        now = self.time() if now is None else now
        (self.paid_window if paid else self.free_window).record(now)
        self._chat_free_at[chat_id] = max(self._chat_free_at.get(chat_id, now), now + self.chat_interval)

    def pause(self, seconds: float, now: float | None = None) -> float:
        """A 429: nothing goes out until `seconds` from now. Returns the pause end."""
        now = self.time() if now is None else now
        self.paused_until = max(self.paused_until, now + seconds)
        for bucket in {id(self.free): self.free, id(self.paid): self.paid}.values():
            bucket.hold_until(self.paused_until)
        return self.paused_until

    def pause_left(self, now: float | None = None) -> float:
        now = self.time() if now is None else now
        return max(0.0, self.paused_until - now)
