"""The delivery queue: broadcasts (with what each is about) and one row per message to send.

Plain SQL expressions rather than ORM objects: the sender touches every row twice
(claim, then result) at up to hundreds of rows a second."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.delivery import OPEN_DELIVERY, DeliveryStatus
from bot.domain.subjects import Subject
from storage.models import DeliveryBroadcast, DeliveryMessage
from storage.repositories.results import affected_rows

M = DeliveryMessage
B = DeliveryBroadcast
# The sender's hot path uses the table itself: plain Core statements skip the ORM's
# bulk-update bookkeeping, which costs more than the SQL on a busy queue.
T = cast(Table, DeliveryMessage.__table__)
OPEN = OPEN_DELIVERY
INTERRUPTED = "interrupted while sending"


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
    venue: dict[str, Any] | None = None  # a location pin (sendVenue) instead of a text


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


@dataclass(frozen=True, slots=True)
class Completed:
    """A broadcast whose last open message just reached its end."""

    id: int
    kind: str
    subject: Subject | None


@dataclass(frozen=True, slots=True)
class RowRef:
    """Which message a change touched (for the events about it)."""

    id: int
    broadcast_id: int | None
    chat_id: int
    volunteer_id: int | None


_CLAIMED_COLUMNS = tuple(T.c[name] for name in (
    "id", "broadcast_id", "lane", "chat_id", "volunteer_id", "text", "reply_markup", "paid", "attempts", "venue"))


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- enqueueing ---------------------------------------------------------------

    async def broadcast_by_key(self, key: str) -> DeliveryBroadcast | None:
        """The broadcast with this key, its row locked until the transaction ends: two
        confirms topping it up at once take turns, the second sees the first's chats
        (PostgreSQL; SQLite's writers queue at BEGIN anyway)."""
        return await self.session.scalar(
            select(DeliveryBroadcast).where(DeliveryBroadcast.key == key).with_for_update()
            .execution_options(populate_existing=True))

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
            # The table, not the mapped class: a plain executemany (the ORM's bulk path
            # costs about as much again per row for thousands of rows).
            await self.session.execute(insert(T), list(rows))

    async def add_message(self, row: dict[str, Any]) -> int:
        result = await self.session.execute(insert(DeliveryMessage).values(**row).returning(M.id))
        return int(result.scalar_one())

    async def set_total(self, broadcast_id: int, total: int, *, reopen: bool = False) -> None:
        """The broadcast's number of messages; `reopen` when messages were added to it
        (it is not complete any more)."""
        values: dict[str, Any] = {"total": total}
        if reopen:
            values["completed_at"] = None
        await self.session.execute(update(B).where(B.id == broadcast_id).values(**values))

    async def withdraw_queued(self, subject: Subject, kind: str) -> dict[int, int]:
        """Take the not-yet-sent messages of the broadcasts of `kind` about `subject` out
        of the queue (e.g. the cards of a task just cancelled, held for the quiet hours);
        each broadcast's total shrinks so its progress message finishes. Rows already being
        sent are left alone. Returns {broadcast id: messages withdrawn} for each broadcast."""
        broadcast_ids = list(await self.session.scalars(
            select(B.id).where(B.subject_type == subject.type, B.subject_id == subject.id, B.kind == kind)))
        withdrawn: dict[int, int] = {}
        for broadcast_id in broadcast_ids:
            result = await self.session.execute(
                delete(M).where(M.broadcast_id == broadcast_id, M.status == DeliveryStatus.QUEUED)
                .execution_options(synchronize_session=False))
            count = affected_rows(result)
            if count:
                await self.session.execute(
                    update(B).where(B.id == broadcast_id).values(total=B.total - count)
                    .execution_options(synchronize_session=False))
            withdrawn[broadcast_id] = count
        return withdrawn

    # -- subjects and completion -------------------------------------------------------

    async def subjects_of(self, broadcast_ids: Iterable[int]) -> dict[int, Subject | None]:
        """What each broadcast is about (None for one with no subject)."""
        ids = sorted(set(broadcast_ids))
        if not ids:
            return {}
        rows = await self.session.execute(select(B.id, B.subject_type, B.subject_id).where(B.id.in_(ids)))
        return {row.id: Subject.of(row.subject_type, row.subject_id) for row in rows}

    async def complete(self, now: datetime, broadcast_ids: Iterable[int] | None = None) -> list[Completed]:
        """Mark complete, at `now`, those of these broadcasts (all, with None) that are not
        yet and have no open message; returns them. A broadcast completes once, however
        many look at it.

        The broadcasts are locked first (FOR UPDATE; SQLite's writers queue anyway), so on
        PostgreSQL a repeated Confirm adding messages to one of them at this moment either
        commits before the check, which then sees its messages, or reopens it after."""
        pending = select(B.id).where(B.completed_at.is_(None))
        if broadcast_ids is not None:
            wanted = sorted(set(broadcast_ids))
            if not wanted:
                return []
            pending = pending.where(B.id.in_(wanted))
        ids = list(await self.session.scalars(pending.order_by(B.id).with_for_update()))
        if not ids:
            return []
        open_rows = select(T.c.id).where(T.c.broadcast_id == B.id, T.c.status.in_(OPEN)).exists()
        result = await self.session.execute(
            update(B).where(B.id.in_(ids), B.completed_at.is_(None), ~open_rows)
            .values(completed_at=now).returning(B.id, B.kind, B.subject_type, B.subject_id)
            .execution_options(synchronize_session=False))
        return sorted((Completed(row.id, row.kind, Subject.of(row.subject_type, row.subject_id)) for row in result),
                      key=lambda completed: completed.id)

    # -- the sender -------------------------------------------------------------------

    async def release_in_flight(self, max_attempts: int, now: datetime) -> tuple[int, list[RowRef]]:
        """After a crash: rows left "sending" were in flight. Queue them once more
        (counting an attempt); a row that has used up its attempts fails instead.
        Returns (how many were queued again, the rows failed)."""
        failed = await self.session.execute(
            update(M)
            .where(M.status == DeliveryStatus.SENDING, M.attempts + 1 >= max_attempts)
            .values(status=DeliveryStatus.FAILED, attempts=M.attempts + 1, error=INTERRUPTED)
            .returning(M.id, M.broadcast_id, M.chat_id, M.volunteer_id)
        )
        failed_rows = _refs(failed)
        requeued = await self.session.execute(
            update(M)
            .where(M.status == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.QUEUED, attempts=M.attempts + 1, next_attempt_at=now,
                    error="interrupted while sending; retried once")
        )
        return affected_rows(requeued), failed_rows

    async def ready(self, now: datetime, limit: int, exclude_chats: Iterable[int] = ()) -> list[tuple[int, int]]:
        """(id, chat_id) of queued rows due now, highest priority (lowest lane) first."""
        query = (
            select(T.c.id, T.c.chat_id)
            .where(T.c.status == DeliveryStatus.QUEUED, T.c.next_attempt_at <= now)
            .order_by(T.c.lane, T.c.id)
            .limit(limit)
        )
        excluded = list(exclude_chats)
        if excluded:
            query = query.where(T.c.chat_id.not_in(excluded))
        return [(row.id, row.chat_id) for row in await self.session.execute(query)]

    async def claim_many(self, message_ids: Sequence[int]) -> list[QueuedMessage]:
        """queued -> sending for these rows (those still queued), in the given order.

        A row another sender is claiming at this moment is skipped, not waited for
        (PostgreSQL's FOR UPDATE SKIP LOCKED; SQLite's writers queue at BEGIN anyway), and
        the status condition is checked again on the locked row: a row is claimed once."""
        claimable = (
            select(T.c.id)
            .where(T.c.id.in_(list(message_ids)), _unindexed(T.c.status) == DeliveryStatus.QUEUED)
            .with_for_update(skip_locked=True)
        )
        result = await self.session.execute(
            update(T)
            .where(T.c.id.in_(claimable.scalar_subquery()), _unindexed(T.c.status) == DeliveryStatus.QUEUED)
            .values(status=DeliveryStatus.SENDING)
            .returning(*_CLAIMED_COLUMNS)
        )
        rows = {row.id: _queued(row) for row in result}
        return [rows[message_id] for message_id in message_ids if message_id in rows]

    async def mark_sent_many(self, sent: Sequence[tuple[int, datetime, int | None]]) -> None:
        """(row id, sent at, Telegram message id) for each sent row, in one statement."""
        if not sent:
            return
        await self.session.execute(
            update(T)
            .where(T.c.id == bindparam("row_id"))
            .values(status=DeliveryStatus.SENT, sent_at=bindparam("at"),
                    telegram_message_id=bindparam("mid"), attempts=T.c.attempts + 1, error=None),
            [{"row_id": row_id, "at": at, "mid": message_id} for row_id, at, message_id in sent],
        )

    async def requeue_many(self, message_ids: Sequence[int]) -> None:
        """Claimed but never sent: back to the queue, no attempt counted."""
        if message_ids:
            await self.session.execute(
                update(T).where(T.c.id.in_(list(message_ids))).values(status=DeliveryStatus.QUEUED)
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

    async def move_to_chat(self, message_id: int, chat_id: int) -> None:
        """The group became a supergroup with a new id."""
        await self.session.execute(update(M).where(M.id == message_id).values(chat_id=chat_id))

    async def mark_chat_unreachable(self, message_id: int, chat_id: int, reason: str) -> list[RowRef]:
        """This row and every other queued row for the chat: unreachable, never retried.
        Returns the other rows (their broadcasts' progress changed too)."""
        await self.session.execute(
            update(M)
            .where(M.id == message_id)
            .values(status=DeliveryStatus.UNREACHABLE, attempts=M.attempts + 1, error=reason[:300])
        )
        result = await self.session.execute(
            update(M)
            .where(M.chat_id == chat_id, _unindexed(M.status) == DeliveryStatus.QUEUED)
            .values(status=DeliveryStatus.UNREACHABLE, error=reason[:300])
            .returning(M.id, M.broadcast_id, M.chat_id, M.volunteer_id)
        )
        return _refs(result)

    async def next_due_at(self) -> datetime | None:
        return await self.session.scalar(
            select(func.min(M.next_attempt_at)).where(M.status == DeliveryStatus.QUEUED)
        )

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

    async def timing(self, broadcast_id: int) -> tuple[datetime | None, datetime | None]:
        """(when its first message was sent, when its next queued message is due)."""
        first_sent = await self.session.scalar(
            select(func.min(M.sent_at)).where(M.broadcast_id == broadcast_id, M.status == DeliveryStatus.SENT))
        next_due = await self.session.scalar(
            select(func.min(M.next_attempt_at)).where(M.broadcast_id == broadcast_id,
                                                      M.status == DeliveryStatus.QUEUED))
        return first_sent, next_due

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


def _unindexed(column: Any) -> Any:
    """The column wrapped so the planner does not pick the status index for this term:
    with `id IN (...) AND status = 'queued'` SQLite otherwise scans every queued row
    through (status, lane, id) instead of looking the few ids up by primary key."""
    return func.coalesce(column, "")


def _refs(result: Any) -> list[RowRef]:
    return sorted((RowRef(row.id, row.broadcast_id, row.chat_id, row.volunteer_id) for row in result),
                  key=lambda ref: ref.id)


def _queued(row: Any) -> QueuedMessage:
    return QueuedMessage(
        id=row.id, broadcast_id=row.broadcast_id, lane=row.lane, chat_id=row.chat_id,
        volunteer_id=row.volunteer_id, text=row.text, reply_markup=row.reply_markup,
        paid=bool(row.paid), attempts=row.attempts, venue=row.venue,
    )
