"""Enqueueing: what features call to send something, to one person or to many.

Texts are rendered per recipient (their language, their task card) by the caller
BEFORE enqueueing; the engine only sends what it was given, in priority order, within
Telegram's limits, and never twice. A broadcast names what it is about (`subject`);
once it has committed, a BroadcastQueued event says so (`on_queued`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.domain.subjects import Subject
from bot.infra.clock import Clock
from bot.infra.delivery.events import BroadcastQueued
from storage.db import Database
from storage.models import DeliveryBroadcast
from storage.repositories.deliveries import DeliveryRepository

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
LANES = (DeliveryLane.EMERGENCY, DeliveryLane.PERSONAL, DeliveryLane.ROUTINE)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One rendered message for one chat. `reply_markup` may be an aiogram markup or its
    JSON-ready dict; it is stored serialised."""

    chat_id: int
    text: str
    reply_markup: Markup | dict[str, Any] | None = None
    volunteer_id: int | None = None
    # A location pin instead of a text message: {"latitude", "longitude", "title",
    # "address"} as sendVenue takes them; `text` then only describes it.
    venue: dict[str, Any] | None = None


def serialise_markup(markup: Markup | dict[str, Any] | None) -> dict[str, Any] | None:
    if markup is None or isinstance(markup, dict):
        return markup
    return markup.model_dump(mode="json", exclude_none=True)


def restore_markup(data: dict[str, Any] | None) -> Markup | None:
    if not data:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.model_validate(data)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.model_validate(data)
    if "remove_keyboard" in data:
        return ReplyKeyboardRemove.model_validate(data)
    if "force_reply" in data:
        return ForceReply.model_validate(data)
    raise ValueError(f"unknown reply markup {sorted(data)}")


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Call `callback` once `session`'s outermost transaction has committed; never if it
    rolls back."""
    callbacks: list[Callable[[], None]] | None = session.info.get("delivery_after_commit")
    if callbacks is None:
        callbacks = session.info["delivery_after_commit"] = []
        pending = callbacks
        sync_session = session.sync_session

        def _committed(_session: object) -> None:
            if sync_session.in_nested_transaction():
                return  # a savepoint: the transaction goes on
            ready = list(pending)
            pending.clear()
            for each in ready:
                each()

        def _rolled_back(_session: object) -> None:
            if not sync_session.in_nested_transaction():
                pending.clear()

        event.listen(sync_session, "after_commit", _committed)
        event.listen(sync_session, "after_rollback", _rolled_back)
    callbacks.append(callback)


class Outbox:
    """Writes rows into the durable queue (one transaction per call) and wakes the sender."""

    def __init__(self, db: Database, clock: Clock, *, allow_paid_broadcast: bool = False,
                 on_enqueue: Callable[[int], None] | None = None,
                 on_queued: Callable[[BroadcastQueued], None] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.allow_paid_broadcast = allow_paid_broadcast
        self._on_enqueue = on_enqueue or (lambda lane: None)
        self._on_queued = on_queued or (lambda queued: None)

    async def enqueue_broadcast(
        self,
        kind: str,
        lane: int,
        created_by: int | None,
        messages: Sequence[OutgoingMessage],
        *,
        progress_chat_id: int | None = None,
        progress_locale: str | None = None,
        title: str | None = None,
        key: str | None = None,
        paid: bool | None = None,
        subject: Subject | None = None,
    ) -> int:
        """Queue one message per recipient in a single transaction; returns the broadcast id.

        `subject` is what the broadcast is about (Subject(SubjectType.TASK, task.id)): it
        is on every event about the broadcast. `key` makes the call idempotent (and is
        nothing more): a second call with the same key (a repeated Confirm) returns the
        same broadcast and adds only recipients it did not have.
        A chat appears once per broadcast (the first message for it wins).
        `progress_chat_id` gets one progress message, edited as the broadcast goes.
        `paid` sends with allow_paid_broadcast; by default it follows ALLOW_PAID_BROADCAST.
        """
        _check_lane(lane)
        if paid and not self.allow_paid_broadcast:
            raise ValueError("paid broadcasts need ALLOW_PAID_BROADCAST=true")
        use_paid = self.allow_paid_broadcast if paid is None else paid
        unique = _first_per_chat(messages)
        broadcast = _Broadcast(kind, lane, created_by, progress_chat_id, progress_locale, title, key, use_paid,
                               subject)
        try:
            broadcast_id = await self._enqueue_broadcast(broadcast, unique)
        except IntegrityError:
            if key is None:
                raise
            # Two confirms raced (possible on PostgreSQL): the second one tops up the first.
            broadcast_id = await self._enqueue_broadcast(broadcast, unique)
        return broadcast_id

    async def _enqueue_broadcast(self, broadcast: _Broadcast, messages: list[OutgoingMessage]) -> int:
        async with self.db.session() as session:
            # The sender is woken once the rows are committed (in an update: with its unit of work).
            after_commit(session, lambda: self._on_enqueue(broadcast.lane))
            return await self._write_broadcast(session, broadcast, messages, None)

    async def add_broadcast(
        self,
        session: AsyncSession,
        kind: str,
        lane: int,
        created_by: int | None,
        messages: Sequence[OutgoingMessage],
        *,
        progress_chat_id: int | None = None,
        progress_locale: str | None = None,
        title: str | None = None,
        key: str | None = None,
        paid: bool | None = None,
        not_before: datetime | None = None,
        subject: Subject | None = None,
    ) -> int:
        """`enqueue_broadcast` inside the caller's transaction, so the caller's own rows
        (e.g. TaskOffer rows) and the queue rows commit together or not at all. Nothing
        is sent before `not_before` (quiet hours). Call `notify(lane)` after the commit."""
        _check_lane(lane)
        if paid and not self.allow_paid_broadcast:
            raise ValueError("paid broadcasts need ALLOW_PAID_BROADCAST=true")
        use_paid = self.allow_paid_broadcast if paid is None else paid
        broadcast = _Broadcast(kind, lane, created_by, progress_chat_id, progress_locale, title, key, use_paid,
                               subject)
        return await self._write_broadcast(session, broadcast, _first_per_chat(messages), not_before)

    async def add_one(
        self,
        session: AsyncSession,
        chat_id: int,
        text: str,
        *,
        lane: int = DeliveryLane.PERSONAL,
        reply_markup: Markup | dict[str, Any] | None = None,
        volunteer_id: int | None = None,
        key: str | None = None,
        not_before: datetime | None = None,
    ) -> int:
        """`enqueue_one` inside the caller's transaction; call `notify(lane)` after the commit."""
        _check_lane(lane)
        repo = DeliveryRepository(session)
        if key is not None and (existing := await repo.message_id_by_key(key)) is not None:
            return existing
        message = OutgoingMessage(chat_id, text, reply_markup, volunteer_id)
        return await repo.add_message(_row(message, lane=lane, now=self.clock.now(), paid=False, key=key,
                                           not_before=not_before))

    def notify(self, lane: int) -> None:
        """Wake the sender after a transaction with `add_broadcast`/`add_one` committed."""
        self._on_enqueue(lane)

    async def _write_broadcast(self, session: AsyncSession, new: _Broadcast, messages: list[OutgoingMessage],
                               not_before: datetime | None) -> int:
        now = self.clock.now()
        repo = DeliveryRepository(session)
        broadcast = await repo.broadcast_by_key(new.key) if new.key is not None else None
        known: set[int] = set()
        if broadcast is None:
            broadcast = await repo.add_broadcast(DeliveryBroadcast(
                key=new.key, kind=new.kind, lane=new.lane, created_by=new.created_by, created_at=now, total=0,
                title=new.title[:200] if new.title else None, progress_chat_id=new.progress_chat_id,
                progress_locale=new.progress_locale,
                subject_type=new.subject.type if new.subject else None,
                subject_id=new.subject.id if new.subject else None,
            ))
        else:
            known = await repo.chat_ids_of(broadcast.id)
        rows = [
            _row(message, lane=broadcast.lane, now=now, paid=new.paid, broadcast_id=broadcast.id,
                 not_before=not_before)
            for message in messages
            if message.chat_id not in known
        ]
        await repo.add_messages(rows)
        if rows or broadcast.total == 0:
            await repo.set_total(broadcast.id, len(known) + len(rows), reopen=bool(rows))
        queued = BroadcastQueued(
            broadcast_id=broadcast.id, subject=broadcast.subject, at=now, kind=broadcast.kind, lane=broadcast.lane,
            added=len(rows), total=len(known) + len(rows),
            held_until=not_before if rows and not_before is not None and not_before > now else None,
        )
        after_commit(session, lambda: self._on_queued(queued))
        return broadcast.id

    async def enqueue_one(
        self,
        chat_id: int,
        text: str,
        *,
        lane: int = DeliveryLane.PERSONAL,
        reply_markup: Markup | dict[str, Any] | None = None,
        volunteer_id: int | None = None,
        key: str | None = None,
    ) -> int:
        """Queue a single message (a personal reply, a reminder); returns the row id.
        With `key`, a second call with the same key queues nothing and returns the first id."""
        _check_lane(lane)
        message = OutgoingMessage(chat_id, text, reply_markup, volunteer_id)
        now = self.clock.now()
        try:
            async with self.db.session() as session:
                repo = DeliveryRepository(session)
                if key is not None and (existing := await repo.message_id_by_key(key)) is not None:
                    return existing
                row_id = await repo.add_message(_row(message, lane=lane, now=now, paid=False, key=key))
                after_commit(session, lambda: self._on_enqueue(lane))
        except IntegrityError:
            if key is None:
                raise
            async with self.db.session() as session:
                existing = await DeliveryRepository(session).message_id_by_key(key)
            if existing is None:
                raise
            return existing
        return row_id


@dataclass(frozen=True, slots=True)
class _Broadcast:
    """What a caller asks for when it enqueues a broadcast."""

    kind: str
    lane: int
    created_by: int | None
    progress_chat_id: int | None
    progress_locale: str | None
    title: str | None
    key: str | None
    paid: bool
    subject: Subject | None


def _check_lane(lane: int) -> None:
    if lane not in LANES:
        raise ValueError(f"unknown lane {lane!r}; use DeliveryLane.EMERGENCY, PERSONAL or ROUTINE")


def _first_per_chat(messages: Sequence[OutgoingMessage]) -> list[OutgoingMessage]:
    seen: dict[int, OutgoingMessage] = {}
    for message in messages:
        if not message.text:
            raise ValueError(f"empty text for chat {message.chat_id}")
        seen.setdefault(message.chat_id, message)
    return list(seen.values())


def _row(message: OutgoingMessage, *, lane: int, now: Any, paid: bool,
         broadcast_id: int | None = None, key: str | None = None,
         not_before: datetime | None = None) -> dict[str, Any]:
    return {
        "broadcast_id": broadcast_id,
        "key": key,
        "lane": lane,
        "chat_id": message.chat_id,
        "volunteer_id": message.volunteer_id,
        "text": message.text,
        "reply_markup": serialise_markup(message.reply_markup),
        "venue": message.venue,
        "paid": paid,
        "status": DeliveryStatus.QUEUED,
        "attempts": 0,
        "next_attempt_at": max(now, not_before) if not_before is not None else now,
        "created_at": now,
    }
