"""The delivery engine: a durable, rate-limited, prioritised outbox that tells features
what became of their messages.

Features render each recipient's text (in the recipient's language) and hand it to
`Services.delivery`, naming what the broadcast is about:

    broadcast_id = await delivery.enqueue_broadcast(
        "task_offer", DeliveryLane.ROUTINE, coordinator_id,
        [OutgoingMessage(chat_id, text, markup, volunteer_id), ...],
        subject=Subject(SubjectType.TASK, task.id),
        progress_chat_id=coordinator_id, progress_locale=locale, key=f"task:{task.id}:offer",
    )
    await delivery.enqueue_one(chat_id, text, lane=DeliveryLane.PERSONAL)

    # or inside a transaction that writes the feature's own rows too:
    await delivery.add_broadcast(session, ..., subject=...); ...commit...; delivery.wake(lane)

The key is only an idempotency key (a repeated Confirm adds nothing); what the broadcast
is about is its subject, which the engine stores and puts on every event.

The sender (started with the bot, stopped before the database closes) does the rest:
priority lanes, Telegram's limits, retries, unreachable recipients, the coordinator's
progress message. See bot/infra/delivery/sender.py for the guarantees.

Events (events.py) are published on `delivery.events` (bus.py) after the transaction that
recorded them commits; features subscribe when the application is wired (bot/app.py):

    delivery.events.subscribe(MessageSent, on_sent, subject_type=SubjectType.TASK)

The limits are kept by one SendGate per bot (bot/infra/delivery/gate.py), shared by the sender
and, through the OutgoingLimiter session middleware (bot/infra/delivery/outgoing.py), by every
direct reply a handler makes: one limiter for all outgoing traffic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.subjects import Subject, SubjectType
from bot.infra.clock import Clock
from bot.infra.delivery.bus import EventBus, Subscription
from bot.infra.delivery.config import DeliveryConfig
from bot.infra.delivery.events import (
    BroadcastFinished,
    BroadcastQueued,
    DeliveryEvent,
    MessageEvent,
    MessageFailed,
    MessageRetrying,
    MessageSent,
    RecipientUnreachable,
)
from bot.infra.delivery.gate import SendGate
from bot.infra.delivery.outbox import Outbox, OutgoingMessage, after_commit
from bot.infra.delivery.outgoing import OutgoingLimiter
from bot.infra.delivery.progress import AcceptedCounter, AcceptedCounters
from bot.infra.delivery.sender import DeliverySender, OnUnreachable
from storage.db import Database
from storage.repositories.deliveries import BroadcastCounts, DeliveryRepository

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.infra.i18n import LocalTime

__all__ = [
    "BroadcastCounts",
    "BroadcastFinished",
    "BroadcastQueued",
    "DeliveryConfig",
    "DeliveryEvent",
    "DeliveryService",
    "EventBus",
    "MessageEvent",
    "MessageFailed",
    "MessageRetrying",
    "MessageSent",
    "OutgoingLimiter",
    "OutgoingMessage",
    "RecipientUnreachable",
    "SendGate",
    "Subscription",
]


class DeliveryService:
    """What the rest of the bot sees: enqueue, plus start/stop of the sender."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        i18n: I18n,
        config: DeliveryConfig = DeliveryConfig(),
        *,
        allow_paid_broadcast: bool = False,
        on_unreachable: OnUnreachable | None = None,
        gate: SendGate | None = None,
        local_time: LocalTime | None = None,
        events: EventBus | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.config = config
        self.on_unreachable = on_unreachable
        # The bot's one gate: pass the one the OutgoingLimiter of the bot's session uses.
        self.gate = gate if gate is not None else config.gate()
        self.local_time = local_time  # to show when held messages go out (UTC without it)
        self.accepted_counters: AcceptedCounters = {}
        # What features subscribe to (bot/app.py); started and stopped with the sender.
        self.events = events if events is not None else EventBus()
        self.outbox = Outbox(db, clock, allow_paid_broadcast=allow_paid_broadcast, on_enqueue=self.wake,
                             on_queued=self._queued)
        self.sender: DeliverySender | None = None
        # Set in a process without a sender (birge web): tells the worker's sender at once.
        self.remote_wake: Callable[[int | None], None] | None = None
        self.enqueue_broadcast = self.outbox.enqueue_broadcast
        self.enqueue_one = self.outbox.enqueue_one
        # The same inside a caller's transaction (their rows and the queue rows commit
        # together); call wake(lane) once it has committed.
        self.add_broadcast = self.outbox.add_broadcast
        self.add_one = self.outbox.add_one

    def set_accepted_counter(self, subject_type: SubjectType, counter: AcceptedCounter) -> None:
        """Plug in "accepted so far" for broadcasts about subjects of `subject_type`: the
        progress message shows `await counter(subject.id)` (the task feature counts the
        people going on the task). Without one it is not shown."""
        self.accepted_counters[subject_type] = counter

    async def start(self, bot: Bot) -> DeliverySender:
        """Start draining the queue and handling events (inside the running event loop)."""
        if self.sender is not None and self.sender.running:
            return self.sender
        self.events.start()
        self.sender = DeliverySender(self.db, self.clock, bot, self.i18n, self.config,
                                     on_unreachable=self.on_unreachable, accepted_counters=self.accepted_counters,
                                     gate=self.gate, local_time=self.local_time, publish=self.events.publish)
        await self.sender.start()
        return self.sender

    async def stop(self) -> None:
        """Stop the sender (its last outcomes are committed and published), then let the
        subscribers handle what is left, for up to the sender's stop grace."""
        if self.sender is not None:
            await self.sender.stop()
        await self.events.stop(self.config.stop_grace)

    def wake(self, lane: int | None = None) -> None:
        if self.sender is not None:
            self.sender.wake(lane)
        elif self.remote_wake is not None:  # the sender runs in another process (birge worker)
            self.remote_wake(lane)

    def wake_after_commit(self, session: AsyncSession, lane: int) -> None:
        """Wake the sender once `session`'s transaction has committed (rows written with
        add_one / add_broadcast are invisible to it before)."""
        after_commit(session, lambda: self.wake(lane))

    async def withdraw(self, session: AsyncSession, subject: Subject, kind: str) -> int:
        """Inside the caller's transaction: take the queued, not yet sent messages of the
        broadcasts of `kind` about `subject` out of the queue (cards of a task that was
        just cancelled). Their broadcasts may finish by it. Returns how many."""
        withdrawn = await DeliveryRepository(session).withdraw_queued(subject, kind)

        def _touch() -> None:
            if self.sender is not None:
                for broadcast_id in withdrawn:
                    self.sender.touch(broadcast_id)

        after_commit(session, _touch)
        return sum(withdrawn.values())

    def _queued(self, event: BroadcastQueued) -> None:
        """A broadcast was written and committed: tell subscribers; it may be finished
        already (no recipients)."""
        self.events.publish(event)
        if self.sender is not None and event.broadcast_id is not None:
            self.sender.touch(event.broadcast_id)

    async def counts(self, broadcast_id: int) -> BroadcastCounts:
        async with self.db.read() as session:
            return await DeliveryRepository(session).counts(broadcast_id)
