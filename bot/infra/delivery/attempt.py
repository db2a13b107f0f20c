"""One claimed message, sent: it waits for its moment at the bot's one SendGate, goes to
Telegram, and Telegram's answer decides the row (sent, retried later, failed, or the chat
unreachable). The loop that claims rows and commits "sent" marks is in sender.py.

Errors: a 429 pauses the whole bot (the gate: queue and direct replies alike) for
retry_after and retries the same message; TelegramMigrateToChat moves the row to the new
chat; 5xx, network errors and timeouts retry with exponential backoff (by the injected
clock) up to SEND_MAX_ATTEMPTS, then fail with the reason; 403 and 400 "chat not found"
make the recipient unreachable (their other queued rows too) and are never retried; any
other 400 fails the row with Telegram's reason. Each of these outcomes is published as an
event (MessageRetrying, MessageFailed, RecipientUnreachable) once it has committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any

import aiohttp
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from bot.infra.clock import Clock
from bot.infra.delivery.config import DeliveryConfig
from bot.infra.delivery.gate import SendGate, queue_priority
from bot.infra.delivery.outbox import restore_markup
from bot.infra.delivery.outgoing import booked
from bot.infra.delivery.watch import BroadcastWatch
from storage.db import Database
from storage.repositories.deliveries import DeliveryRepository, QueuedMessage, RowRef

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)

# 400 descriptions that mean "this chat cannot be reached" (Telegram words them several ways).
UNREACHABLE_400 = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated", "bot was blocked")

OnUnreachable = Callable[[int | None, int], Awaitable[None]]


class SendOutcome(StrEnum):
    """What a failed send means for its row."""

    UNREACHABLE = "unreachable"  # the chat cannot get messages: never retried
    RETRY = "retry"  # a passing failure: try again later
    FAILED = "failed"  # Telegram refused this message: don't retry
    BUG = "bug"  # not a Telegram answer at all


@dataclass(frozen=True, slots=True)
class Sent:
    row_id: int
    broadcast_id: int | None
    message_id: int
    at: datetime


UNSENT = "unsent"  # claimed but not sent (outranked, or stopping): back to the queue
DONE = "done"  # failed / unreachable / retry later: already committed


@dataclass
class SenderStats:
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    retried: int = 0
    rate_limited: int = 0  # 429 answers
    requests: int = 0  # sendMessage calls made
    claims: int = 0  # claim transactions
    outranked: int = 0  # claimed rows put back for something more urgent
    in_flight_recovered: int = 0
    errors: list[str] = field(default_factory=list)


class Attempts:
    """Sends claimed rows one by one. The loop tells it when to give way: `stopping()`,
    and `outranked(row, generation)` (something more urgent was enqueued since the claim);
    `news()` is the event that is set whenever either may have changed."""

    def __init__(self, db: Database, clock: Clock, bot: Bot, config: DeliveryConfig, gate: SendGate,
                 watch: BroadcastWatch, stats: SenderStats, *, on_unreachable: OnUnreachable | None,
                 stopping: Callable[[], bool], outranked: Callable[[QueuedMessage, int], bool],
                 news: Callable[[], asyncio.Event]) -> None:
        self.db = db
        self.clock = clock
        self.bot = bot
        self.config = config
        self.gate = gate
        self.watch = watch
        self.stats = stats
        self.on_unreachable = on_unreachable
        self._stopping = stopping
        self._outranked = outranked
        self._news = news

    async def deliver(self, row: QueuedMessage, generation: int) -> Sent | str:
        """Send one claimed row at its rate-limited moment. Returns what to commit as
        sent, UNSENT if it should go back to the queue unsent, or DONE once its other
        outcome (failed, retry later, unreachable) is committed."""
        chat_id = row.chat_id
        markup = restore_markup(row.reply_markup)
        while True:
            if not await self._book(row, chat_id, generation):
                return UNSENT
            self.stats.requests += 1
            try:
                with booked():  # the slot is ours: the bot's request middleware lets it through
                    if row.venue:
                        message = await self.bot.send_venue(
                            chat_id=chat_id, reply_markup=markup, allow_paid_broadcast=True if row.paid else None,
                            **row.venue,
                        )
                    else:
                        message = await self.bot.send_message(
                            chat_id=chat_id, text=row.text, reply_markup=markup,
                            allow_paid_broadcast=True if row.paid else None,
                        )
            except TelegramRetryAfter as error:
                self.stats.rate_limited += 1
                log.warning("delivery: 429, pausing everything for %s s", error.retry_after)
                self.gate.pause(error.retry_after)
                continue
            except TelegramMigrateToChat as error:
                chat_id = error.migrate_to_chat_id  # the group became a supergroup: send there
                await self._write(partial(_move_to_chat, row.id, chat_id))
                continue
            except Exception as error:  # noqa: BLE001 - every other outcome is classified
                await self._failed(row, error)
                return DONE
            self.stats.sent += 1
            return Sent(row.id, row.broadcast_id, message.message_id, self.clock.now())

    async def _book(self, row: QueuedMessage, chat_id: int, generation: int) -> bool:
        """Wait at the shared gate for this row's moment. False if it gave way instead:
        something more urgent was enqueued meanwhile (the next claim takes that first),
        or the sender is stopping."""
        ticket = self.gate.enter(chat_id, priority=queue_priority(row.lane), paid=row.paid)
        try:
            while not ticket.future.done():
                if self._stopping() or self._outranked(row, generation):
                    if self.gate.leave(ticket):
                        if not self._stopping():
                            self.stats.outranked += 1
                        return False
                    break  # let through meanwhile: the slot is counted, use it
                news = asyncio.ensure_future(self._news().wait())
                try:
                    waiters: list[asyncio.Future[Any]] = [ticket.future, news]
                    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    news.cancel()
        except asyncio.CancelledError:
            self.gate.leave(ticket)
            raise
        return True

    async def _failed(self, row: QueuedMessage, error: Exception) -> None:
        reason = reason_of(error)
        outcome = classify(error)
        if outcome == SendOutcome.UNREACHABLE:
            async def unreachable(repo: DeliveryRepository) -> list[RowRef]:
                others = await repo.mark_chat_unreachable(row.id, row.chat_id, reason)
                await self.watch.learn(repo, (other.broadcast_id for other in others))
                return others

            others = await self._write(unreachable)
            self.stats.unreachable += 1
            self.watch.unreachable(row, reason, others if isinstance(others, list) else [])
            if self.on_unreachable is not None:
                try:
                    await self.on_unreachable(row.volunteer_id, row.chat_id)
                except Exception:  # noqa: BLE001
                    log.exception("delivery: marking chat %s unreachable failed", row.chat_id)
            return
        attempt = row.attempts + 1
        if outcome == SendOutcome.RETRY and attempt < self.config.max_attempts:
            at = self.clock.now() + self.config.backoff(attempt)
            await self._write(lambda repo: repo.retry_later(row.id, at, reason))
            self.stats.retried += 1
            self.watch.retrying(row, reason, attempt, at)
            return
        if outcome == SendOutcome.RETRY:
            reason = f"gave up after {attempt} attempts: {reason}"
        elif outcome == SendOutcome.BUG:
            log.error("delivery: unexpected error sending row %s", row.id, exc_info=error)
        await self._write(lambda repo: repo.mark_failed(row.id, reason))
        self.stats.failed += 1
        self.watch.failed(row, reason[:300])

    async def _write(self, change: Callable[[DeliveryRepository], Awaitable[object]]) -> object:
        """Commit one change to a row; retried a few times (a locked database is transient)."""
        for attempt in range(3):
            try:
                async with self.db.session() as session:
                    return await change(DeliveryRepository(session))
            except Exception:  # noqa: BLE001
                if attempt == 2:
                    raise
                log.warning("delivery: database write failed, retrying", exc_info=True)
                await asyncio.sleep(0.2 * (attempt + 1))
        return None


def classify(error: BaseException) -> SendOutcome:
    """What a failed send means for its row."""
    if isinstance(error, TelegramForbiddenError):
        return SendOutcome.UNREACHABLE
    if isinstance(error, TelegramBadRequest):
        description = str(error.message).lower()
        return SendOutcome.UNREACHABLE if any(marker in description for marker in UNREACHABLE_400) else (
            SendOutcome.FAILED)
    if isinstance(error, TelegramEntityTooLarge):
        return SendOutcome.FAILED
    if isinstance(error, (TelegramServerError, TelegramNetworkError, TelegramNotFound, TelegramConflictError,
                          TelegramUnauthorizedError, aiohttp.ClientError, asyncio.TimeoutError, TimeoutError,
                          ConnectionError)):
        return SendOutcome.RETRY
    if isinstance(error, TelegramAPIError):
        return SendOutcome.FAILED
    return SendOutcome.BUG


def reason_of(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{type(error).__name__}: {message}"[:300]


async def _move_to_chat(message_id: int, chat_id: int, repo: DeliveryRepository) -> None:
    await repo.move_to_chat(message_id, chat_id)
