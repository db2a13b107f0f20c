"""The coordinator's progress message: one per broadcast, edited in place.

Edits are not queued as rows: a progress message is state, not an event (only the
latest numbers matter, a lost edit is replaced by the next one, and after a restart the
reporter simply picks unfinished broadcasts up again from the database). They are made
by the sender itself, between two queued messages, through the bot's one gate (the
overall limit, the chat's one-per-second), so they can never push the bot over a limit.

An edit is made at most every `interval` by the injected clock, including the final
one that says the broadcast has finished: the interval is counted from the moment the
previous edit really went out, after any wait for its slot.

Messages held back (a `not_before` such as the quiet hours) are shown as such: the
progress says when sending starts and how long it will take from then.

"Accepted so far" is shown for a broadcast whose subject's type has a counter: the
feature that owns the subject registers it when the application is wired
(`DeliveryService.set_accepted_counter(SubjectType.TASK, ...)`), and it is asked with the
subject's id. The engine never looks inside the subject, nor at the broadcast's key.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aiogram import html
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.utils.i18n import I18n
from babel.dates import format_timedelta

from bot.domain.subjects import Subject, SubjectType
from bot.infra.clock import Clock
from bot.infra.delivery.gate import DIRECT
from bot.infra.delivery.outgoing import booked
from storage.db import Database
from storage.repositories.deliveries import BroadcastCounts, DeliveryRepository

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.infra.delivery.gate import SendGate
    from bot.infra.i18n import LocalTime

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = timedelta(seconds=3)

# "Accepted so far" for a broadcast about a subject: the counter of its subject type is
# called with the subject's id (the task feature counts the people going on the task).
AcceptedCounter = Callable[[int], Awaitable[int]]
AcceptedCounters = dict[SubjectType, AcceptedCounter]


@dataclass
class _Tracked:
    id: int
    subject: Subject | None
    chat_id: int
    locale: str
    title: str | None
    message_id: int | None
    shown_at: datetime | None
    last_text: str | None = None
    dirty: bool = True


def progress_text(
    i18n: I18n,
    locale: str,
    counts: BroadcastCounts,
    *,
    title: str | None = None,
    eta: timedelta | None = None,
    accepted: int | None = None,
    finished: bool = False,
    starts_at: str | None = None,
) -> str:
    """The progress message (HTML). `accepted` is shown when a counter exists for the
    broadcast's subject type.
    `starts_at` (a local time, already formatted): nothing goes out before it, and `eta`
    is the time sending takes from then."""
    def _(text: str) -> str:
        return i18n.gettext(text, locale=locale)

    lines = [_("✅ <b>Sending finished</b>") if finished else _("📤 <b>Sending…</b>")]
    if title:
        lines.append(html.quote(title))
    lines.append("")
    lines.append(_("Sent: {sent} of {total}").format(sent=counts.sent, total=counts.total))
    lines.append(_("Failed: {failed}").format(failed=counts.failed))
    if not finished:
        lines.append(_("Remaining: {remaining}").format(remaining=counts.remaining))
        if eta is not None and counts.remaining:
            duration = format_timedelta(max(eta, timedelta(seconds=1)), locale=locale, threshold=1.1)
            if starts_at is not None:
                lines.append(_("⏸ Sending starts at {time} and takes about {duration}.").format(
                    time=html.quote(starts_at), duration=duration))
            else:
                lines.append(_("Time left: about {duration}").format(duration=duration))
    if accepted is not None:
        lines.append(_("Accepted so far: {accepted}").format(accepted=accepted))
    return "\n".join(lines)


class ProgressReporter:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        i18n: I18n,
        gate: SendGate,
        *,
        rate: float,
        local_time: LocalTime | None = None,
        interval: timedelta = PROGRESS_INTERVAL,
        accepted_counters: AcceptedCounters | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.gate = gate
        self.local_time = local_time
        self.rate = rate
        self.interval = interval
        self.accepted_counters = accepted_counters if accepted_counters is not None else {}
        self._tracked: dict[int, _Tracked] = {}
        self._reload = True
        self.edits = 0  # for tests and the benchmark

    # -- signals from the sender and the outbox ---------------------------------------

    def reload(self) -> None:
        """New broadcasts may exist: look for them at the next tick."""
        self._reload = True

    def touch(self, broadcast_id: int | None) -> None:
        """A row of this broadcast reached its end (sent, failed, unreachable)."""
        if broadcast_id is not None and broadcast_id in self._tracked:
            self._tracked[broadcast_id].dirty = True

    def seconds_until_due(self) -> float | None:
        """Clock seconds until the next edit is allowed for some dirty broadcast (for
        the idle wait); None when nothing waits."""
        now = self.clock.now()
        waits = [
            (tracked.shown_at + self.interval - now).total_seconds() if tracked.shown_at else 0.0
            for tracked in self._tracked.values()
            if tracked.dirty or tracked.message_id is None
        ]
        return max(0.0, min(waits)) if waits else None

    # -- work -------------------------------------------------------------------------------

    async def tick(self, bot: Bot) -> None:
        """Send or edit whatever is due now. Never waits for a chat that is busy: it
        tries again at the next tick."""
        if self._reload:
            self._reload = False
            await self._load()
        now = self.clock.now()
        for tracked in list(self._tracked.values()):
            first = tracked.message_id is None
            if not first and not tracked.dirty:
                continue
            if not first and tracked.shown_at is not None and now - tracked.shown_at < self.interval:
                continue
            limits = self.gate.limits
            if limits.chat_free_at(tracked.chat_id, burst=True) > limits.time():
                continue
            await self._show(bot, tracked, now)

    async def _load(self) -> None:
        async with self.db.read() as session:
            broadcasts = await DeliveryRepository(session).unfinished_with_progress()
        for broadcast in broadcasts:
            if broadcast.id in self._tracked or broadcast.progress_chat_id is None:
                continue
            self._tracked[broadcast.id] = _Tracked(
                id=broadcast.id, subject=broadcast.subject, chat_id=broadcast.progress_chat_id,
                locale=broadcast.progress_locale or self.i18n.default_locale, title=broadcast.title,
                message_id=broadcast.progress_message_id,
                shown_at=broadcast.progress_at,
            )

    async def _show(self, bot: Bot, tracked: _Tracked, now: datetime) -> None:
        async with self.db.read() as session:
            repo = DeliveryRepository(session)
            counts = await repo.counts(tracked.id)
            first_sent, next_due = await repo.timing(tracked.id)
        finished = counts.remaining == 0
        accepted = await self._accepted(tracked)
        held = first_sent is None and next_due is not None and next_due > now
        text = progress_text(self.i18n, tracked.locale, counts, title=tracked.title,
                             eta=self._eta(counts, first_sent, now), accepted=accepted, finished=finished,
                             starts_at=self._local(next_due, tracked.locale) if held and next_due else None)
        tracked.dirty = False
        if text == tracked.last_text and not finished:
            return
        # A direct message to the coordinator (the first one answers their Send): it may
        # use the chat's burst, and goes before the queue.
        await self.gate.acquire(tracked.chat_id, priority=DIRECT, burst=True)
        shown_at = self.clock.now()  # the interval counts from here, not from before the wait
        message_id = tracked.message_id
        try:
            with booked():
                if message_id is None:
                    message_id = (await bot.send_message(tracked.chat_id, text)).message_id
                else:
                    message_id = await self._edit(bot, tracked, message_id, text)
            self.edits += 1
        except TelegramRetryAfter as error:
            self.gate.pause(error.retry_after)
            tracked.dirty = True
            return
        except (TelegramForbiddenError, TelegramBadRequest) as error:
            log.warning("progress of broadcast %s cannot be shown in chat %s: %s", tracked.id, tracked.chat_id, error)
            finished = True  # nobody to show it to: stop trying
        except Exception as error:  # noqa: BLE001 - a network error: try again at the next tick
            log.warning("progress of broadcast %s not updated: %s", tracked.id, error)
            tracked.dirty = True
            return
        tracked.message_id, tracked.shown_at, tracked.last_text = message_id, shown_at, text
        async with self.db.session() as session:
            repo = DeliveryRepository(session)
            await repo.set_progress_message(tracked.id, message_id, shown_at)
            if finished:
                await repo.finish(tracked.id, shown_at)
        if finished:
            del self._tracked[tracked.id]

    async def _edit(self, bot: Bot, tracked: _Tracked, message_id: int, text: str) -> int:
        """Edit the progress message; returns the id of the message now showing it."""
        try:
            await bot.edit_message_text(text=text, chat_id=tracked.chat_id, message_id=message_id)
        except TelegramBadRequest as error:
            reason = str(error).lower()
            if "not modified" in reason:
                return message_id
            if "message to edit not found" not in reason:
                raise
            # The coordinator deleted it: show the numbers in a new one (a slot of its own).
            await self.gate.acquire(tracked.chat_id, priority=DIRECT, burst=True)
            return (await bot.send_message(tracked.chat_id, text)).message_id
        return message_id

    def _local(self, moment: datetime, locale: str) -> str:
        if self.local_time is None:
            return moment.strftime("%d.%m.%Y %H:%M UTC")
        return self.local_time.datetime(moment, locale, fmt="short")

    async def _accepted(self, tracked: _Tracked) -> int | None:
        if tracked.subject is None:
            return None
        counter = self.accepted_counters.get(tracked.subject.type)
        if counter is None:
            return None
        try:
            return await counter(tracked.subject.id)
        except Exception:  # noqa: BLE001 - a feature's counter must not stop delivery
            log.exception("accepted counter for %s failed", tracked.subject)
            return None

    def _eta(self, counts: BroadcastCounts, first_sent: datetime | None, now: datetime) -> timedelta:
        """Time the remaining messages take: at the rate seen since the first one was
        sent, or at the configured rate before that (held messages count from their start)."""
        elapsed = (now - first_sent).total_seconds() if first_sent is not None else 0.0
        rate = counts.done / elapsed if counts.done and elapsed >= 1 else self.rate
        return timedelta(seconds=counts.remaining / max(rate, 0.001))
