"""The delivery engine: a durable, rate-limited, prioritised outbox.

Features render each recipient's text (in the recipient's language) and hand it to
`Services.delivery`:

    broadcast_id = await delivery.enqueue_broadcast(
        "task_offer", DeliveryLane.ROUTINE, coordinator_id,
        [OutgoingMessage(chat_id, text, markup, volunteer_id), ...],
        progress_chat_id=coordinator_id, progress_locale=locale, key=f"task:{task.id}:offer",
    )
    await delivery.enqueue_one(chat_id, text, lane=DeliveryLane.PERSONAL)

    # or inside a transaction that writes the feature's own rows too:
    await delivery.add_broadcast(session, ...); ...commit...; delivery.wake(lane)

The sender (started with the bot, stopped before the database closes) does the rest:
priority lanes, Telegram's limits, retries, unreachable recipients, the coordinator's
progress message. See bot/infra/delivery/sender.py for the guarantees.

The limits are kept by one SendGate per bot (bot/infra/delivery/gate.py), shared by the sender
and, through the OutgoingLimiter session middleware (bot/infra/delivery/outgoing.py), by every
direct reply a handler makes: one limiter for all outgoing traffic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.utils.i18n import I18n
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import Clock
from bot.infra.delivery.config import DeliveryConfig
from bot.infra.delivery.gate import SendGate
from bot.infra.delivery.outbox import Outbox, OutgoingMessage
from bot.infra.delivery.outgoing import OutgoingLimiter
from bot.infra.delivery.progress import AcceptedCounter
from bot.infra.delivery.sender import DeliverySender, OnUnreachable
from storage.db import Database
from storage.repositories.deliveries import BroadcastCounts, DeliveryRepository

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.infra.i18n import LocalTime

__all__ = [
    "BroadcastCounts",
    "DeliveryConfig",
    "DeliveryService",
    "OutgoingLimiter",
    "OutgoingMessage",
    "SendGate",
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
    ) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.config = config
        self.on_unreachable = on_unreachable
        # The bot's one gate: pass the one the OutgoingLimiter of the bot's session uses.
        self.gate = gate if gate is not None else config.gate()
        self.local_time = local_time  # to show when held messages go out (UTC without it)
        self.accepted_counters: dict[str, AcceptedCounter] = {}
        self.outbox = Outbox(db, clock, allow_paid_broadcast=allow_paid_broadcast, on_enqueue=self.wake)
        self.sender: DeliverySender | None = None
        self.enqueue_broadcast = self.outbox.enqueue_broadcast
        self.enqueue_one = self.outbox.enqueue_one
        # The same inside a caller's transaction (their rows and the queue rows commit
        # together); call wake(lane) once it has committed.
        self.add_broadcast = self.outbox.add_broadcast
        self.add_one = self.outbox.add_one

    def set_accepted_counter(self, kind: str, counter: AcceptedCounter) -> None:
        """Plug in "accepted so far" for broadcasts of `kind` (e.g. the task feature
        counting sign-ups for the task a broadcast offered). Without one it is not shown."""
        self.accepted_counters[kind] = counter

    async def start(self, bot: Bot) -> DeliverySender:
        """Start draining the queue (inside the running event loop)."""
        if self.sender is not None and self.sender.running:
            return self.sender
        self.sender = DeliverySender(self.db, self.clock, bot, self.i18n, self.config,
                                     on_unreachable=self.on_unreachable, accepted_counters=self.accepted_counters,
                                     gate=self.gate, local_time=self.local_time)
        await self.sender.start()
        return self.sender

    async def stop(self) -> None:
        if self.sender is not None:
            await self.sender.stop()

    def wake(self, lane: int | None = None) -> None:
        if self.sender is not None:
            self.sender.wake(lane)

    def wake_after_commit(self, session: AsyncSession, lane: int) -> None:
        """Wake the sender once `session`'s transaction has committed (rows written with
        add_one / add_broadcast are invisible to it before)."""
        lanes: set[int] = session.info.setdefault("wake_lanes", set())
        if not lanes:
            def _after_commit(_session: object) -> None:
                for each in lanes:
                    self.wake(each)

            event.listen(session.sync_session, "after_commit", _after_commit, once=True)
        lanes.add(lane)

    async def counts(self, broadcast_id: int) -> BroadcastCounts:
        async with self.db.sessionmaker() as session:
            return await DeliveryRepository(session).counts(broadcast_id)
