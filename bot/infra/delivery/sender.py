"""The sender: drains the delivery queue within Telegram's limits, in priority order.

Each message goes:  queued --claim (committed)--> sending --Telegram--> sent / failed /
unreachable (committed), or back to queued for a later retry. Because "sending" is
committed before Telegram is called, a crash leaves exactly the in-flight rows in
"sending"; the next start queues them once more. So nothing is lost, and only rows in
flight at the moment of a crash can reach a recipient twice.

One loop claims; each claimed row is sent by its own task at its rate-limited moment,
which it waits for at the bot's one SendGate (shared with direct replies, which go
first; bot/infra/delivery/gate.py). Its request is marked `booked()`, so the bot's
OutgoingLimiter middleware does not book a second slot for it.
At most SEND_CONCURRENCY rows are in flight (claimed and not yet committed as done), so
several sends can overlap while Telegram answers, and a crash repeats at most that many.
The loop's single write transaction does three things at once: commits the "sent" marks
of the sends that finished meanwhile, puts rows that were claimed but not sent back in
the queue, and claims rows for the free places. So a message costs less than one
transaction, which is what lets the sender reach 300 messages a second on SQLite.

Priority: every claim takes the highest-priority ready rows (lane 0 emergency, 1
personal, 2 routine; then oldest), one per chat, skipping chats that may not receive a
message yet. Enqueueing wakes the loop; a claimed row that is still waiting for its
moment when something of a higher lane is enqueued goes back to the queue instead of
out, so an emergency waits only for the messages already on the wire (one at a time
unless Telegram answers slower than the send interval).

What happens to one claimed row, errors included, is in attempt.py. Every outcome is
published as an event once it has committed, and the claim transaction also completes
the broadcasts whose last message reached its end (BroadcastFinished; watch.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiogram.utils.i18n import I18n

from bot.infra.clock import Clock
from bot.infra.delivery.attempt import UNSENT, Attempts, OnUnreachable, SenderStats, Sent, reason_of
from bot.infra.delivery.config import DeliveryConfig
from bot.infra.delivery.events import BroadcastFinished, DeliveryEvent
from bot.infra.delivery.gate import SendGate
from bot.infra.delivery.outbox import LANES
from bot.infra.delivery.progress import AcceptedCounters, ProgressReporter
from bot.infra.delivery.watch import BroadcastWatch
from storage.db import Database
from storage.repositories.deliveries import INTERRUPTED, DeliveryRepository, QueuedMessage

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.infra.i18n import LocalTime

log = logging.getLogger(__name__)

PICK_BATCH = 64  # candidate rows read at a time, in priority order
CANDIDATES_MAX_AGE = 0.5  # s; rows due after a backoff are seen at least this often


class DeliverySender:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        bot: Bot,
        i18n: I18n,
        config: DeliveryConfig = DeliveryConfig(),
        *,
        on_unreachable: OnUnreachable | None = None,
        accepted_counters: AcceptedCounters | None = None,
        gate: SendGate | None = None,
        local_time: LocalTime | None = None,
        publish: Callable[[DeliveryEvent], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.bot = bot
        self.config = config
        self.on_unreachable = on_unreachable
        # The bot's one gate, shared with direct replies; a sender of its own otherwise.
        self.gate = gate if gate is not None else config.gate()
        self.limits = self.gate.limits
        self.progress = ProgressReporter(db, clock, i18n, self.gate, rate=config.rate, local_time=local_time,
                                         interval=config.progress_interval, accepted_counters=accepted_counters)
        # Events go out through `publish` (the engine's EventBus) after their commit.
        self.watch = BroadcastWatch(clock, publish or (lambda event: None), on_touch=self.progress.touch)
        self.stats = SenderStats()
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._news = asyncio.Event()  # replaced at every enqueue and at stop: rows at the gate look up
        self._in_flight: dict[int, QueuedMessage] = {}  # claimed, outcome not committed yet
        self._sending: dict[int, asyncio.Task[None]] = {}  # row id -> its send task
        self._results: list[tuple[QueuedMessage, Sent | str]] = []  # finished sends to commit
        self._generation = 0  # counts enqueues
        self._enqueued_at = [0] * len(LANES)  # per lane: the generation of its last enqueue
        self._candidates: list[tuple[int, int]] = []  # (row id, chat id), priority order
        self._candidates_at = float("-inf")
        self._stale = True
        self._task: asyncio.Task[None] | None = None
        self._claim_group = max(1, config.concurrency // 2)
        self.attempts = Attempts(db, clock, bot, config, self.gate, self.watch, self.stats,
                                 on_unreachable=on_unreachable, stopping=self._stopping.is_set,
                                 outranked=self._outranked, news=lambda: self._news)

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Queue the rows a crash left in flight once more, complete the broadcasts that
        ended meanwhile, then start the loop."""
        async with self.db.session() as session:
            repo = DeliveryRepository(session)
            requeued, failed = await repo.release_in_flight(self.config.max_attempts, self.clock.now())
            await self.watch.learn(repo, (row.broadcast_id for row in failed))
            finished = await self.watch.complete(repo, None)
        if requeued or failed:
            log.warning("delivery: %d message(s) were in flight when the sender stopped; "
                        "%d queued again, %d failed after too many attempts", requeued + len(failed), requeued,
                        len(failed))
        for row in failed:
            self.watch.failed(row, INTERRUPTED)
        self.watch.finished(finished)
        self.stats.in_flight_recovered += requeued
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="delivery-sender")

    async def stop(self) -> None:
        """Stop claiming; let the messages on the wire finish (up to stop_grace), commit
        their outcome, put claimed-but-unsent rows back; cancel if that takes too long."""
        self._stopping.set()
        self._wake.set()
        self._announce()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait([task], timeout=self.config.stop_grace)
        if not done:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    def wake(self, lane: int | None = None) -> None:
        """Something was enqueued (in `lane`): look at the queue now."""
        self._generation += 1
        if lane is not None and 0 <= lane < len(self._enqueued_at):
            self._enqueued_at[lane] = self._generation
        self.progress.reload()
        self._stale = True
        self._wake.set()
        self._announce()

    def touch(self, broadcast_id: int) -> None:
        """A broadcast was queued or had messages withdrawn: it may have finished."""
        self.watch.touch(broadcast_id)
        self._wake.set()

    def _announce(self) -> None:
        """Tell the rows waiting at the gate that something changed (enqueue, stop)."""
        self._news.set()
        self._news = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def wait_drained(self, timeout: float = 10.0) -> None:
        """Until no row is due or in flight and no progress edit is due (tests, benchmark)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            async with self.db.read() as session:
                ready = await DeliveryRepository(session).ready(self.clock.now(), 1)
            due = self.progress.seconds_until_due()
            if not ready and not self._in_flight and (due is None or due > 0):
                return
            if loop.time() > deadline:
                raise TimeoutError(f"delivery queue not drained after {timeout} s")
            await asyncio.sleep(0.05)

    # -- the loop --------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while True:
                try:
                    if await self._step():
                        return
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001 - keep sending; a row stuck "sending" is retried at restart
                    log.exception("delivery: unexpected error in the sender loop")
                    self.stats.errors.append("loop error")
                    await self._sleep(1.0)
        finally:
            for task in self._sending.values():
                task.cancel()
            if self._results:  # cancelled: save what can be saved
                with contextlib.suppress(Exception):
                    await self._commit_and_claim(claim=False)

    async def _step(self) -> bool:
        """One turn of the loop; True when stopped."""
        if not self._stopping.is_set():
            await self.progress.tick(self.bot)
        self._wake.clear()
        stopping = self._stopping.is_set()
        room = 0 if stopping else self.config.concurrency - len(self._in_flight) + len(self._results)
        looked = False
        # Claim in groups of about half the places: fewer, fuller transactions.
        if room >= self._claim_group or room == self.config.concurrency or (stopping and self._results):
            generation = self._generation  # before the claim reads the queue
            claimed = await self._commit_and_claim(claim=not stopping)
            for row in claimed:
                self._sending[row.id] = asyncio.create_task(self._send(row, generation))
            if claimed:
                return False
            looked = not stopping
        if stopping and not self._in_flight:
            return True
        # Nothing to claim now: wait for an enqueue, a finished send, or the next due moment.
        await self._idle_wait(check_queue=looked)
        return False

    async def _send(self, row: QueuedMessage, generation: int) -> None:
        try:
            result = await self.attempts.deliver(row, generation)
        except Exception as error:  # noqa: BLE001 - a database error while recording a failure
            log.exception("delivery: row %s", row.id)
            self.stats.errors.append(reason_of(error))
            result = UNSENT
        finally:
            self._sending.pop(row.id, None)
        self._results.append((row, result))
        self._wake.set()

    async def _commit_and_claim(self, *, claim: bool) -> list[QueuedMessage]:
        """One transaction: "sent" marks of finished sends, unsent rows back to the
        queue, rows claimed for the free places (SEND_CONCURRENCY in flight), and the
        broadcasts that have ended completed. Their events go out after the commit."""
        results, self._results = self._results, []
        room = self.config.concurrency - len(self._in_flight) + len(results) if claim else 0
        sent = [result for _, result in results if isinstance(result, Sent)]
        unsent = [row.id for row, result in results if result == UNSENT]
        touched = self.watch.take_touched() | {done.broadcast_id for done in sent if done.broadcast_id is not None}
        claimed: list[QueuedMessage] = []
        finished: list[BroadcastFinished] = []
        try:
            for attempt in range(3):
                try:
                    async with self.db.session() as session:
                        repo = DeliveryRepository(session)
                        await repo.mark_sent_many([(done.row_id, done.at, done.message_id) for done in sent])
                        await repo.requeue_many(unsent)
                        claimed = await self._pick(repo, room) if room > 0 else []
                        await self.watch.learn(repo, (row.broadcast_id for row in claimed))
                        finished = await self.watch.complete(repo, touched) if touched else []
                    break
                except Exception:  # noqa: BLE001 - a locked database is transient
                    self._stale = True
                    if attempt == 2:
                        raise
                    log.warning("delivery: claiming failed, retrying", exc_info=True)
                    await asyncio.sleep(0.2 * (attempt + 1))
        except BaseException:
            self._results = results + self._results  # not committed: keep for the next try
            self.watch.untake(touched)
            raise
        self.stats.claims += 1
        for row, result in results:
            self._in_flight.pop(row.id, None)
            if isinstance(result, Sent):
                self.progress.touch(result.broadcast_id)
                self.watch.sent(row, result.message_id, result.at)
        self.watch.finished(finished)
        for row in claimed:
            self._in_flight[row.id] = row
        return claimed

    async def _pick(self, repo: DeliveryRepository, room: int) -> list[QueuedMessage]:
        """Claim up to `room` of the highest-priority ready rows, one per chat, skipping
        chats that may not get a message yet.

        Candidates are read PICK_BATCH at a time and kept in order; an enqueue (wake) or
        CANDIDATES_MAX_AGE makes the next pick read them again, so a new emergency is
        the very next row claimed."""
        now = self.clock.now()
        busy = self.limits.busy_chats() | {row.chat_id for row in self._in_flight.values()}
        if self._stale or self.limits.time() - self._candidates_at > CANDIDATES_MAX_AGE or (
                len(self._candidates) < room):
            self._stale = False
            self._candidates_at = self.limits.time()
            self._candidates = await repo.ready(now, max(PICK_BATCH, 2 * room))
        chosen: list[int] = []
        keep: list[tuple[int, int]] = []
        for row_id, chat_id in self._candidates:
            if row_id in self._in_flight:
                continue
            if len(chosen) < room and chat_id not in busy:
                chosen.append(row_id)
                busy.add(chat_id)
            else:
                keep.append((row_id, chat_id))
        full = len(self._candidates) >= PICK_BATCH
        self._candidates = keep
        if not chosen and full:
            # Every candidate's chat is busy (many messages to few chats): ask past them.
            chosen = [row_id for row_id, _ in await repo.ready(
                now, room, exclude_chats={chat for chat in busy if isinstance(chat, int)})]  # queued rows use ids
        rows = await repo.claim_many(chosen) if chosen else []
        if len(rows) < len(chosen):
            self._stale = True  # some changed under us (made unreachable, ...): read again next time
        return rows

    async def _idle_wait(self, *, check_queue: bool) -> None:
        """Wait for an enqueue, a finished send, or the next moment something is due."""
        timeout = self.config.poll_interval
        if check_queue:
            async with self.db.read() as session:
                due_at = await DeliveryRepository(session).next_due_at()
            if due_at is not None:
                timeout = min(timeout, max(0.0, (due_at - self.clock.now()).total_seconds()))
            # A chat that is busy for a moment (one message a second) frees up soon.
            busy_until = self.limits.earliest_free(self.limits.busy_chats())
            if busy_until is not None:
                timeout = min(timeout, max(0.0, busy_until - self.limits.time()))
        progress_due = self.progress.seconds_until_due()
        if progress_due is not None:
            timeout = min(timeout, progress_due)
        timeout = max(timeout, 0.005)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)
        if check_queue:
            self._stale = True

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopping; False if the sender is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        return not self._stopping.is_set()

    def _outranked(self, row: QueuedMessage, generation: int) -> bool:
        """Was something of a higher lane enqueued since this row was claimed?"""
        return any(self._enqueued_at[lane] > generation for lane in range(row.lane))

