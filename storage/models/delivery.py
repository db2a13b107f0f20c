"""The durable delivery queue: broadcasts (one decision to send to many, with what it is
about and the coordinator's progress message) and one row per message (statuses in
bot/domain/delivery.py, subjects in bot/domain/subjects.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.domain.subjects import Subject, SubjectType
from storage.models.base import Base, EnumNumber, EnumText, UtcDateTime


class DeliveryBroadcast(Base):
    """One "send this to many people" decision: what it is about, and the coordinator's
    progress message."""

    __tablename__ = "delivery_broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Optional idempotency key (e.g. "task:42:offer"): a repeated confirm reuses the broadcast.
    # Only that: what the broadcast is about is its subject, never read from the key.
    key: Mapped[str | None] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    # What it is about (task 17, ...), set by whoever enqueued it; both or neither.
    subject_type: Mapped[SubjectType | None] = mapped_column(EnumText(SubjectType, 32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    lane: Mapped[DeliveryLane] = mapped_column(EnumNumber(DeliveryLane))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str | None] = mapped_column(String(200))
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_locale: Mapped[str | None] = mapped_column(String(8))
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    progress_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the progress message showed "finished" (or could not be shown any more).
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    # When every message reached its end (sent, failed, unreachable, withdrawn) and the
    # BroadcastFinished event fired; cleared when a repeated confirm adds recipients.
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        # A feature's broadcasts about one thing (cancelling a task withdraws its cards).
        Index("ix_delivery_broadcasts_subject", "subject_type", "subject_id"),
    )

    @property
    def subject(self) -> Subject | None:
        return Subject.of(self.subject_type, self.subject_id)


class DeliveryMessage(Base):
    """One message to one chat: the durable delivery queue the sender drains."""

    __tablename__ = "delivery_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_broadcasts.id", ondelete="CASCADE"))
    # Optional idempotency key for single messages (e.g. "reminder:17:day-before").
    key: Mapped[str | None] = mapped_column(String(100), unique=True)
    lane: Mapped[DeliveryLane] = mapped_column(EnumNumber(DeliveryLane))
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A location pin instead of a text message (sendVenue): latitude, longitude, title,
    # address; `text` then only describes it (logs, the queue's listing).
    venue: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[DeliveryStatus] = mapped_column(EnumText(DeliveryStatus, 16), default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        UniqueConstraint("broadcast_id", "chat_id", name="uq_delivery_messages_broadcast_chat"),
        # The sender's pick: open rows in lane order, oldest first.
        Index("ix_delivery_messages_pick", "status", "lane", "id"),
        Index("ix_delivery_messages_broadcast_status", "broadcast_id", "status"),
    )
