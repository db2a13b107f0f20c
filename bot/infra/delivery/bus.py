"""The delivery engine's event bus: in-process, one queue and one task per subscription.

    bus.subscribe(MessageSent, on_sent)                                  # one type
    bus.subscribe((MessageSent, BroadcastFinished), on_board,            # several, in order
                  subject_type=SubjectType.CALLOUT)                      # only these subjects

Guarantees:
- `publish` never waits: it puts the event in the queue of every matching subscription
  and returns. The engine publishes only after the transaction that recorded the event
  has committed, so the sender is never held up by a subscriber.
- One subscription sees its events one at a time, in the order they were published
  (a handler of several types sees them interleaved as they happened).
- Subscriptions are isolated: each has its own task, so a slow handler delays only its
  own later events, and an exception is logged and counted, never passed on. A call
  that takes longer than its timeout is cancelled, logged and counted, and the next
  event is handled.
- Nothing is dropped while a subscription's backlog is below `max_backlog` (events
  published before `start`, or faster than a handler takes them, wait in its queue);
  beyond that new events for it are dropped, logged and counted.
- `stop` lets the queues drain for up to `grace` seconds, then cancels what is left.

Handlers are wired when the application is composed (bot/app.py); the engine imports
no feature.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.domain.subjects import SubjectType
from bot.infra.delivery.events import DeliveryEvent

log = logging.getLogger(__name__)

E = TypeVar("E", bound=DeliveryEvent)
Handler = Callable[[E], Awaitable[None]]

DEFAULT_TIMEOUT = 10.0  # seconds one handler call may take
DEFAULT_MAX_BACKLOG = 100_000  # events waiting for one subscription


@dataclass
class SubscriptionStats:
    handled: int = 0
    failed: int = 0  # raised an exception
    timed_out: int = 0
    dropped: int = 0  # backlog full


@dataclass(eq=False)
class Subscription:
    name: str
    types: tuple[type[DeliveryEvent], ...]
    handler: Callable[[Any], Awaitable[None]]
    subject_type: SubjectType | None
    timeout: float
    queue: asyncio.Queue[DeliveryEvent]
    stats: SubscriptionStats = field(default_factory=SubscriptionStats)
    task: asyncio.Task[None] | None = None

    def wants(self, event: DeliveryEvent) -> bool:
        if not isinstance(event, self.types):
            return False
        return self.subject_type is None or (event.subject is not None and event.subject.type == self.subject_type)


class EventBus:
    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, max_backlog: int = DEFAULT_MAX_BACKLOG) -> None:
        self.timeout = timeout
        self.max_backlog = max_backlog
        self.subscriptions: list[Subscription] = []
        self._started = False

    def subscribe(self, event_type: type[E] | tuple[type[E], ...], handler: Handler[E], *,
                  subject_type: SubjectType | None = None, timeout: float | None = None,
                  name: str | None = None) -> Subscription:
        """Call `handler` (async) with every event of `event_type` (a class or a tuple of
        classes; DeliveryEvent for all), only for broadcasts about `subject_type` if given."""
        types = event_type if isinstance(event_type, tuple) else (event_type,)
        if not types or not all(isinstance(kind, type) and issubclass(kind, DeliveryEvent) for kind in types):
            raise TypeError(f"subscribe to DeliveryEvent classes, not {event_type!r}")
        subscription = Subscription(
            name=name or str(getattr(handler, "__qualname__", repr(handler))), types=types, handler=handler,
            subject_type=subject_type, timeout=self.timeout if timeout is None else timeout,
            queue=asyncio.Queue(),
        )
        self.subscriptions.append(subscription)
        if self._started:
            self._run(subscription)
        return subscription

    def publish(self, event: DeliveryEvent) -> None:
        """Hand the event to every subscription that wants it; never waits."""
        for subscription in self.subscriptions:
            if not subscription.wants(event):
                continue
            if subscription.queue.qsize() >= self.max_backlog:
                subscription.stats.dropped += 1
                if subscription.stats.dropped == 1 or subscription.stats.dropped % 1000 == 0:
                    log.error("delivery events: %s is %d events behind; %d dropped so far",
                              subscription.name, subscription.queue.qsize(), subscription.stats.dropped)
                continue
            subscription.queue.put_nowait(event)

    # -- lifecycle (the delivery engine starts and stops the bus with its sender) -----------

    def start(self) -> None:
        """Start handling (inside the running event loop); events published before wait."""
        if self._started:
            return
        self._started = True
        for subscription in self.subscriptions:
            self._run(subscription)

    async def stop(self, grace: float = 5.0) -> None:
        """Let the handlers take what is queued for up to `grace` seconds, then cancel."""
        if not self._started:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wait_idle(), grace)
        self._started = False
        tasks = [subscription.task for subscription in self.subscriptions if subscription.task is not None]
        for subscription in self.subscriptions:
            subscription.task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def wait_idle(self) -> None:
        """Until every event published so far has been handled (tests, stop). Only
        while started: before, nothing handles them."""
        for subscription in list(self.subscriptions):
            await subscription.queue.join()

    # -- one subscription's task ------------------------------------------------------------

    def _run(self, subscription: Subscription) -> None:
        subscription.task = asyncio.create_task(self._serve(subscription), name=f"delivery-events:{subscription.name}")

    async def _serve(self, subscription: Subscription) -> None:
        while True:
            event = await subscription.queue.get()
            try:
                await asyncio.wait_for(subscription.handler(event), subscription.timeout)
                subscription.stats.handled += 1
            except TimeoutError:
                subscription.stats.timed_out += 1
                log.warning("delivery events: %s took over %s s with %s; cancelled",
                            subscription.name, subscription.timeout, type(event).__name__)
            except Exception:  # noqa: BLE001 - a subscriber's failure stays its own
                subscription.stats.failed += 1
                log.exception("delivery events: %s failed on %r", subscription.name, event)
            finally:
                subscription.queue.task_done()
