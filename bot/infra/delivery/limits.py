"""Telegram's flood limits as the bot keeps them, for everything it sends.

One `RateLimits` is shared by the delivery sender and by every direct reply (see
bot/infra/delivery/gate.py and bot/infra/delivery/outgoing.py), so the two never compete blindly.

- Overall: at most `rate` messages in any sliding WINDOW of the moments messages really
  left (WINDOW is a little over a second: the limit is measured where the request
  arrives, after some jitter). Within that, messages are spaced evenly at rate/WINDOW per
  second; a sender that fell behind (the process stalled) may make up at most CATCH_UP
  intervals at once, so late slots are not simply lost. Paid broadcasts
  (`allow_paid_broadcast`) have their own window at their own rate.
- One private chat: about one message a second (`chat_interval`), after a short burst of
  `chat_burst` back to back. Only direct replies use the burst: queued messages wait a
  full interval, which keeps the burst for the person who is talking to the bot.
- One group (chat id < 0): one message per `chat_interval`, at most `group_per_minute`
  in any `group_window` seconds.
- A 429 pauses everything until its retry_after has passed.

Pure bookkeeping over a monotonic time source: `wait()` says how long until one more
message may go, `record()` counts one that goes now; tests drive it with any numbers.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable

# Safety margins: the limits are measured where the request arrives, after some jitter.
WINDOW = 1.02  # s: `rate` real sends in any WINDOW seconds
CATCH_UP = 2  # pacing intervals a late sender may make up at once
CHAT_INTERVAL = 1.05  # s between two messages into one chat (Telegram: about 1 s)
CHAT_BURST = 2  # messages a private chat may get back to back after a quiet moment
GROUP_PER_MINUTE = 20
GROUP_WINDOW = 61.0  # s

ChatKey = Hashable  # a chat id, or "@username" as a method may address a chat


class SlidingWindow:
    """At most `count` events in any `seconds`."""

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


class Pacer:
    """Even spacing at `rate` per second. `next` is the moment of the next send on the
    schedule; a send that comes late keeps the schedule for up to `catch_up` intervals
    (the following ones may go at once), beyond that the schedule restarts from now."""

    def __init__(self, rate: float, catch_up: int = CATCH_UP) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.slack = catch_up * self.interval
        self.next = float("-inf")

    def wait(self, now: float) -> float:
        return max(0.0, self.next - now)

    def record(self, now: float) -> None:
        self.next = max(self.next, now - self.slack) + self.interval

    def hold_until(self, moment: float) -> None:
        """Nothing before `moment`, and no catching up right after it."""
        self.next = max(self.next, moment)


class Overall:
    """The bot-wide limit of one kind of message (free or paid): the window is the
    guarantee, the pacer spreads the sends inside it."""

    def __init__(self, rate: float, window: float = WINDOW) -> None:
        self.window = SlidingWindow(int(rate), window)
        self.pacer = Pacer(self.window.count / window)

    def wait(self, now: float) -> float:
        return max(self.window.wait(now), self.pacer.wait(now))

    def record(self, now: float) -> None:
        self.window.record(now)
        self.pacer.record(now)


def is_group(chat: ChatKey | None) -> bool:
    return isinstance(chat, int) and chat < 0


class RateLimits:
    def __init__(
        self,
        rate: float,
        paid_rate: float | None = None,
        *,
        window: float = WINDOW,
        chat_interval: float = CHAT_INTERVAL,
        chat_burst: int = CHAT_BURST,
        group_per_minute: int = GROUP_PER_MINUTE,
        group_window: float = GROUP_WINDOW,
        time_source: Callable[[], float] = time.monotonic,
    ) -> None:
        self.time = time_source
        self.free = Overall(rate, window)
        self.paid = Overall(paid_rate, window) if paid_rate else self.free
        self.chat_interval = chat_interval
        self.chat_burst = max(1, chat_burst)
        self.group_per_minute = group_per_minute
        self.group_window = group_window
        self.paused_until = float("-inf")
        self._chat_next: dict[ChatKey, float] = {}  # per chat: the next send on its schedule (GCRA)
        self._group_sends: dict[ChatKey, deque[float]] = {}

    # -- per chat ---------------------------------------------------------------

    def chat_free_at(self, chat: ChatKey, *, burst: bool = False) -> float:
        """The earliest moment a new message may go into this chat (`burst`: a direct
        reply, which may use a private chat's burst)."""
        moment = self._chat_next.get(chat, float("-inf"))
        if burst and not is_group(chat):
            moment -= (self.chat_burst - 1) * self.chat_interval
        sends = self._group_sends.get(chat)
        if sends is not None and len(sends) >= self.group_per_minute:
            moment = max(moment, sends[-self.group_per_minute] + self.group_window)
        return moment

    def busy_chats(self, now: float | None = None) -> set[ChatKey]:
        """Chats that may not receive a queued message right now (forgets the ones that may)."""
        now = self.time() if now is None else now
        busy = set()
        for chat in list(self._chat_next):
            if self.chat_free_at(chat) > now:
                busy.add(chat)
            elif chat not in self._group_sends:
                del self._chat_next[chat]
        for chat, sends in list(self._group_sends.items()):
            while sends and sends[0] <= now - self.group_window:
                sends.popleft()
            if not sends:
                del self._group_sends[chat]
            elif self.chat_free_at(chat) > now:
                busy.add(chat)
        return busy

    def earliest_free(self, chats: Iterable[ChatKey]) -> float | None:
        moments = [self.chat_free_at(chat) for chat in chats]
        return min(moments) if moments else None

    # -- one message --------------------------------------------------------------

    def overall_wait(self, *, paid: bool = False, now: float | None = None) -> float:
        """Seconds until the bot as a whole may send one more message (0: now)."""
        now = self.time() if now is None else now
        return max(self.paused_until - now, (self.paid if paid else self.free).wait(now), 0.0)

    def wait(self, chat: ChatKey | None, *, paid: bool = False, burst: bool = False,
             now: float | None = None) -> float:
        """Seconds until one more message may go into `chat` (None: a message addressed
        without a chat, which counts overall only)."""
        now = self.time() if now is None else now
        chat_wait = 0.0 if chat is None else self.chat_free_at(chat, burst=burst) - now
        return max(self.overall_wait(paid=paid, now=now), chat_wait, 0.0)

    def record(self, chat: ChatKey | None, *, paid: bool = False, now: float | None = None) -> None:
        """A message leaves now: count it overall and for its chat."""
        now = self.time() if now is None else now
        (self.paid if paid else self.free).record(now)
        if chat is None:
            return
        self._chat_next[chat] = max(self._chat_next.get(chat, now), now) + self.chat_interval
        if is_group(chat):
            self._group_sends.setdefault(chat, deque()).append(now)

    # -- 429 ----------------------------------------------------------------------

    def pause(self, seconds: float, now: float | None = None) -> float:
        """A 429: nothing goes out until `seconds` from now. Returns the pause end."""
        now = self.time() if now is None else now
        self.paused_until = max(self.paused_until, now + seconds)
        for overall in {id(self.free): self.free, id(self.paid): self.paid}.values():
            overall.pacer.hold_until(self.paused_until)
        return self.paused_until

    def pause_left(self, now: float | None = None) -> float:
        now = self.time() if now is None else now
        return max(0.0, self.paused_until - now)
