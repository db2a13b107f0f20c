"""What the delivery engine tells features: one event per thing that happened to a
broadcast or to one of its messages, published on the engine's EventBus (bus.py) once
the transaction that recorded it has committed.

    BroadcastQueued       a broadcast was written (or topped up); `held_until` when its
                          messages wait (quiet hours)
    MessageSent           Telegram took a message (`telegram_message_id`)
    MessageRetrying       a passing failure (5xx, network): tried again at `next_attempt_at`
    MessageFailed         refused for good (a 400, or out of attempts), with the reason
    RecipientUnreachable  403 or "chat not found": the chat gets nothing more (its other
                          queued messages too, each with an event of its own)
    BroadcastFinished     no message of the broadcast is open any more (sent, failed,
                          unreachable or withdrawn), with the final counts

Every event carries the broadcast id and its subject (None for a single message sent
with enqueue_one) and `at`, the moment by the engine's clock. Per-message events carry
the delivery row id, the chat and the volunteer (when known). For one broadcast,
BroadcastFinished comes after the events of all its messages.

Events are in-process and not stored: a subscriber that must never miss one (a live
board after a restart) reads the current state from the database when it starts, then
follows the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.subjects import Subject
from storage.repositories.deliveries import BroadcastCounts


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryEvent:
    """The base of every event (subscribe to it to get them all)."""

    broadcast_id: int | None
    subject: Subject | None
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastQueued(DeliveryEvent):
    kind: str
    lane: int
    added: int  # messages written by this call (a repeated confirm adds only new recipients)
    total: int  # messages of the broadcast now
    held_until: datetime | None  # nothing goes out before this (quiet hours); None: at once


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEvent(DeliveryEvent):
    """Something happened to one message (one recipient)."""

    delivery_id: int  # the row in the delivery queue
    chat_id: int
    volunteer_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(MessageEvent):
    telegram_message_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageRetrying(MessageEvent):
    reason: str
    attempt: int  # attempts made so far
    next_attempt_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageFailed(MessageEvent):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecipientUnreachable(MessageEvent):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastFinished(DeliveryEvent):
    kind: str
    counts: BroadcastCounts  # total, sent, failed (unreachable included), unreachable


__all__ = [
    "BroadcastFinished",
    "BroadcastQueued",
    "DeliveryEvent",
    "MessageEvent",
    "MessageFailed",
    "MessageRetrying",
    "MessageSent",
    "RecipientUnreachable",
]
