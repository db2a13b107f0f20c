"""The delivery queue: broadcasts and one row per message to send.

Plain SQL expressions rather than ORM objects: the sender touches every row twice
(claim, then result) at up to hundreds of rows a second."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeliveryBroadcast, DeliveryMessage, DeliveryStatus

M = DeliveryMessage
OPEN = DeliveryStatus.OPEN


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """A claimed row, as the sender needs it."""

    id: int
    broadcast_id: int | None
    lane: int
    chat_id: int
    volunteer_id: int | None
    text: str
    reply_markup: dict[str, Any] | None
    paid: bool
    attempts: int


@dataclass(frozen=True, slots=True)
class BroadcastCounts:
    total: int
    sent: int
    failed: int  # failed for good, including unreachable recipients
    unreachable: int
    remaining: int  # queued or in flight

    @property
    def done(self) -> int:
        return self.sent + self.failed


_CLAIMED_COLUMNS = (M.id, M.broadcast_id, M.lane, M.chat_id, M.volunteer_id, M.text, M.reply_markup, M.paid, M.attempts)


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- enqueueing ---------------------------------------------------------------

    async def broadcast_by_key(self, key: str) -> DeliveryBroadcast | None:
        return await self.session.scalar(select(DeliveryBroadcast).where(DeliveryBroadcast.key == key))

    async def broadcast(self, broadcast_id: int) -> DeliveryBroadcast | None:
        return await self.session.get(DeliveryBroadcast, broadcast_id)

    async def add_broadcast(self, broadcast: DeliveryBroadcast) -> DeliveryBroadcast:
        self.session.add(broadcast)
        await self.session.flush()
        return broadcast

    async def chat_ids_of(self, broadcast_id: int) -> set[int]:
        rows = await self.session.scalars(select(M.chat_id).where(M.broadcast_id == broadcast_id))
        return set(rows)

    async def message_id_by_key(self, key: str) -> int | None:
        return await self.session.scalar(select(M.id).where(M.key == key))

    async def add_messages(self, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk insert (executemany); each dict has the DeliveryMessage column values."""
        if rows:
            await self.session.execute(insert(DeliveryMessage), list(rows))

    async def add_message(self, row: dict[str, Any]) -> int:
        result = await self.session.execute(insert(DeliveryMessage).values(**row).returning(M.id))
        return int(result.scalar_one())

    async def count_messages(self, broadcast_id: int) -> int:
        return int(await self.session.scalar(select(func.count()).where(M.broadcast_id == broadcast_id)) or 0)

    async def set_total(self, broadcast_id: int, total: int) -> None:
        await self.session.execute(
            update(DeliveryBroadcast).where(DeliveryBroadcast.id == broadcast_id).values(total=total)
        )

    # -- the sender -------------------------------------------------------------------

    async def release_in_flight(self, max_attempts: int, now: datetime) -> tuple[int, int]:
        """After a crash: rows left "sending" were in flight. Queue them once more
        (counting an attempt); a row that has used up its attempts fails instead.
        Returns (requeued, failed)."""
        failed = await self.session.execute(
            update(M)
            .where(M.status == DeliveryStatus.SENDING, M.attempts + 1 >= max_attempts)
            .values(status=DeliveryStatus.FAILED, attempts=M.attempts + 1, error="interrupted while sending")
        )
        requeued = await self.session.execute(
            update(M)
            .where(M.status == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.QUEUED, attempts=M.attempts + 1, next_attempt_at=now,
                    error="interrupted while sending; retried once")
        )
        return requeued.rowcount or 0, failed.rowcount or 0  # type: ignore[attr-defined]

    async def ready(self, now: datetime, limit: int, exclude_chats: Iterable[int] = ()) -> list[tuple[int, int]]:
        """(id, chat_id) of queued rows due now, highest priority (lowest lane) first."""
        query = (
            select(M.id, M.chat_id)
            .where(M.status == DeliveryStatus.QUEUED, M.next_attempt_at <= now)
            .order_by(M.lane, M.id)
            .limit(limit)
        )
        excluded = list(exclude_chats)
        if excluded:
            query = query.where(M.chat_id.not_in(excluded))
        return [(row.id, row.chat_id) for row in await self.session.execute(query)]

    async def claim(self, message_id: int) -> QueuedMessage | None:
        """queued -> sending; None if someone else changed the row meanwhile."""
        result = await self.session.execute(
            update(M)
            .where(M.id == message_id, M.status == DeliveryStatus.QUEUED)
            .values(status=DeliveryStatus.SENDING)
            .returning(*_CLAIMED_COLUMNS)
        )
        row = result.one_or_none()
        if row is None:
            return None
        return QueuedMessage(
            id=row.id, broadcast_id=row.broadcast_id, lane=row.lane, chat_id=row.chat_id,
            volunteer_id=row.volunteer_id, text=row.text, reply_markup=row.reply_markup,
            paid=bool(row.paid), attempts=row.attempts,
        )

    async def mark_sent(self, message_id: int, now: datetime, telegram_message_id: int | None) -> None:
        await self.session.execute(
            update(M)
            .where(M.id == message_id)
            .values(status=DeliveryStatus.SENT, sent_at=now, telegram_message_id=telegram_message_id,
                    attempts=M.attempts + 1, error=None)
        )

    async def mark_failed(self, message_id: int, reason: str) -> None:
        await self.session.execute(
            update(M)
            .where(M.id == message_id)
            .values(status=DeliveryStatus.FAILED, attempts=M.attempts + 1, error=reason[:300])
        )

    async def retry_later(self, message_id: int, at: datetime, reason: str) -> None:
        await self.session.execute(
            update(M)
            .where(M.id == message_id)
            .values(status=DeliveryStatus.QUEUED, attempts=M.attempts + 1, next_attempt_at=at, error=reason[:300])
        )

    async def requeue_now(self, message_id: int, *, chat_id: int | None = None, reason: str | None = None) -> None:
        """Back to the queue without counting an attempt (a 429, a group that moved)."""
        values: dict[str, Any] = {"status": DeliveryStatus.QUEUED}
        if chat_id is not None:
            values["chat_id"] = chat_id
        if reason is not None:
            values["error"] = reason[:300]
        await self.session.execute(update(M).where(M.id == message_id).values(**values))

    async def mark_chat_unreachable(self, message_id: int, chat_id: int, reason: str) -> list[int]:
        """This row and every other queued row for the chat: unreachable, never retried.
        Returns the broadcasts touched (their progress changed)."""
        await self.session.execute(
            update(M)
            .where(M.id == message_id)
            .values(status=DeliveryStatus.UNREACHABLE, attempts=M.attempts + 1, error=reason[:300])
        )
        result = await self.session.execute(
            update(M)
            .where(M.chat_id == chat_id, M.status == DeliveryStatus.QUEUED)
            .values(status=DeliveryStatus.UNREACHABLE, error=reason[:300])
            .returning(M.broadcast_id)
        )
        return sorted({row[0] for row in result if row[0] is not None})

    async def next_due_at(self) -> datetime | None:
        return await self.session.scalar(
            select(func.min(M.next_attempt_at)).where(M.status == DeliveryStatus.QUEUED)
        )

    async def status_of(self, message_id: int) -> tuple[str, int, str | None] | None:
        row = (await self.session.execute(select(M.status, M.attempts, M.error).where(M.id == message_id))).one_or_none()
        return None if row is None else (row.status, row.attempts, row.error)

    # -- progress ------------------------------------------------------------------------

    async def counts(self, broadcast_id: int) -> BroadcastCounts:
        rows = await self.session.execute(
            select(M.status, func.count()).where(M.broadcast_id == broadcast_id).group_by(M.status)
        )
        by_status = {status: count for status, count in rows}
        sent = by_status.get(DeliveryStatus.SENT, 0)
        unreachable = by_status.get(DeliveryStatus.UNREACHABLE, 0)
        failed = by_status.get(DeliveryStatus.FAILED, 0) + unreachable
        remaining = sum(by_status.get(status, 0) for status in OPEN)
        return BroadcastCounts(total=sum(by_status.values()), sent=sent, failed=failed,
                               unreachable=unreachable, remaining=remaining)

    async def unfinished_with_progress(self) -> list[DeliveryBroadcast]:
        rows = await self.session.scalars(
            select(DeliveryBroadcast)
            .where(DeliveryBroadcast.finished_at.is_(None), DeliveryBroadcast.progress_chat_id.is_not(None))
            .order_by(DeliveryBroadcast.id)
        )
        return list(rows)

    async def set_progress_message(self, broadcast_id: int, message_id: int | None, at: datetime) -> None:
        await self.session.execute(
            update(DeliveryBroadcast)
            .where(DeliveryBroadcast.id == broadcast_id)
            .values(progress_message_id=message_id, progress_at=at)
        )

    async def finish(self, broadcast_id: int, at: datetime) -> None:
        await self.session.execute(
            update(DeliveryBroadcast).where(DeliveryBroadcast.id == broadcast_id).values(finished_at=at)
        )
