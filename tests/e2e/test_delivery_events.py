"""The delivery engine's events, end to end: the real sender against the Bot API emulator
publishes what became of each message (sent, failed on a 400, unreachable on a 403,
retried on a 5xx) and of each broadcast (queued, held, finished), with the subject the
broadcast was enqueued with, each after the commit that recorded it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from sqlalchemy import select, update

from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.domain.subjects import Subject, SubjectType
from bot.infra.delivery import (
    BroadcastFinished,
    BroadcastQueued,
    DeliveryConfig,
    DeliveryEvent,
    DeliveryService,
    MessageEvent,
    MessageFailed,
    MessageRetrying,
    MessageSent,
    OutgoingMessage,
    RecipientUnreachable,
    Subscription,
)
from bot.infra.i18n import make_i18n
from emulator import WAIT, FakeTelegram
from storage.db import Database
from storage.models import DeliveryBroadcast, DeliveryMessage
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases

TASK = Subject(SubjectType.TASK, 17)


class EventLog:
    """A subscriber that keeps every event; tests wait for the ones they expect."""

    def __init__(self) -> None:
        self.events: list[DeliveryEvent] = []
        self.subscription: Subscription | None = None
        self._changed = asyncio.Event()

    async def __call__(self, event: DeliveryEvent) -> None:
        self.events.append(event)
        self._changed.set()

    async def wait_for(self, check: Callable[[list[DeliveryEvent]], bool], timeout: float = WAIT) -> None:
        async def until() -> None:
            while not check(self.events):
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)

    def of(self, kind: type[Any]) -> list[Any]:
        return [event for event in self.events if isinstance(event, kind)]

    def finished(self, count: int = 1) -> Callable[[list[DeliveryEvent]], bool]:
        return lambda events: sum(isinstance(event, BroadcastFinished) for event in events) >= count


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


@pytest.fixture
async def tg(fake: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)),
              default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    yield bot
    await bot.session.close()


@pytest.fixture
async def make_delivery(db: Database, clock: ManualClock) -> AsyncIterator[Callable[..., DeliveryService]]:
    made: list[DeliveryService] = []

    def make(**config: Any) -> DeliveryService:
        values: dict[str, Any] = {"rate": 1000.0, "concurrency": 1, "poll_interval": 0.2, "chat_interval": 0.05}
        values.update(config)
        made.append(DeliveryService(db, clock, make_i18n("en"), DeliveryConfig(**values)))
        return made[-1]

    yield make
    for service in made:
        await service.stop()


@pytest.fixture
def delivery(make_delivery: Callable[..., DeliveryService]) -> DeliveryService:
    return make_delivery()


def listen(delivery: DeliveryService) -> EventLog:
    log = EventLog()
    log.subscription = delivery.events.subscribe(DeliveryEvent, log, name="test log")
    return log


async def row_status(db: Database, delivery_id: int) -> DeliveryStatus:
    async with db.sessionmaker() as session:
        row = await session.get(DeliveryMessage, delivery_id)
        assert row is not None
        return row.status


async def test_sent_failed_unreachable_and_finished_carry_the_subject(
        delivery: DeliveryService, db: Database, fake: FakeTelegram, tg: Bot, clock: ManualClock) -> None:
    for chat in (1, 2, 3, 4):
        fake.user(chat)
    fake.block(4)  # 403: the bot was blocked
    log = listen(delivery)
    seen_in_db: dict[int, DeliveryStatus] = {}

    async def check_committed(event: MessageEvent) -> None:  # the row says so already
        seen_in_db[event.delivery_id] = await row_status(db, event.delivery_id)

    delivery.events.subscribe((MessageSent, MessageFailed, RecipientUnreachable), check_committed)
    broadcast_id = await delivery.enqueue_broadcast(
        "task_offer", DeliveryLane.ROUTINE, 500,
        [OutgoingMessage(1, "one"), OutgoingMessage(2, "<b>unclosed"), OutgoingMessage(3, "three"),
         OutgoingMessage(4, "four", volunteer_id=None)],
        subject=TASK, key="any key at all")
    reminder = await delivery.enqueue_one(4, "a reminder for the blocked chat")
    await delivery.start(tg)
    await log.wait_for(log.finished())
    await delivery.events.wait_idle()

    queued, *rest = log.events
    assert isinstance(queued, BroadcastQueued)
    assert (queued.broadcast_id, queued.subject, queued.kind, queued.added, queued.total, queued.held_until) == (
        broadcast_id, TASK, "task_offer", 4, 4, None)
    sent = {event.chat_id: event for event in log.of(MessageSent)}
    assert sorted(sent) == [1, 3]
    assert all(event.subject == TASK and event.broadcast_id == broadcast_id and event.telegram_message_id
               for event in sent.values())
    [failed] = log.of(MessageFailed)
    assert (failed.chat_id, failed.subject) == (2, TASK) and "can't parse entities" in failed.reason
    unreachable = {event.delivery_id: event for event in log.of(RecipientUnreachable)}
    assert len(unreachable) == 2  # the broadcast's row and the reminder queued for the same chat
    assert unreachable[reminder].subject is None and unreachable[reminder].broadcast_id is None
    [in_broadcast] = [event for key, event in unreachable.items() if key != reminder]
    assert (in_broadcast.chat_id, in_broadcast.subject, in_broadcast.broadcast_id) == (4, TASK, broadcast_id)
    assert "blocked" in in_broadcast.reason
    [finished] = log.of(BroadcastFinished)
    assert (finished.broadcast_id, finished.subject, finished.kind) == (broadcast_id, TASK, "task_offer")
    counts = finished.counts
    assert (counts.total, counts.sent, counts.failed, counts.unreachable, counts.remaining) == (4, 2, 2, 1, 0)
    about_broadcast = [event for event in rest if event.broadcast_id == broadcast_id]
    assert about_broadcast[-1] is finished  # after every message of it
    assert all(event.at == clock.now() for event in log.events)
    # Each handler ran after its outcome was committed.
    assert seen_in_db == {sent[1].delivery_id: DeliveryStatus.SENT, sent[3].delivery_id: DeliveryStatus.SENT,
                          failed.delivery_id: DeliveryStatus.FAILED,
                          in_broadcast.delivery_id: DeliveryStatus.UNREACHABLE,
                          reminder: DeliveryStatus.UNREACHABLE}
    async with db.sessionmaker() as session:
        row = await session.get(DeliveryBroadcast, broadcast_id)
        assert row is not None and row.subject == TASK and row.completed_at == clock.now()


async def test_a_server_error_publishes_retrying_then_sent(
        delivery: DeliveryService, fake: FakeTelegram, tg: Bot, clock: ManualClock) -> None:
    fake.user(5)
    fake.inject("sendMessage", chat_id=5, error_code=502, times=1)
    log = listen(delivery)
    await delivery.enqueue_broadcast("callout", DeliveryLane.EMERGENCY, None, [OutgoingMessage(5, "come")],
                                     subject=TASK)
    start = clock.now()
    await delivery.start(tg)
    await log.wait_for(lambda events: any(isinstance(event, MessageRetrying) for event in events))
    [retrying] = log.of(MessageRetrying)
    assert (retrying.chat_id, retrying.attempt, retrying.next_attempt_at) == (5, 1, start + timedelta(seconds=2))
    assert "Bad Gateway" in retrying.reason and retrying.subject == TASK
    assert log.of(BroadcastFinished) == []  # still open
    clock.advance(seconds=2)
    delivery.wake()
    await log.wait_for(log.finished())
    [sent] = log.of(MessageSent)
    assert sent.delivery_id == retrying.delivery_id
    assert [type(event).__name__ for event in log.events] == [
        "BroadcastQueued", "MessageRetrying", "MessageSent", "BroadcastFinished"]


async def test_several_messages_committed_in_one_claim_each_get_their_event(
        make_delivery: Callable[..., DeliveryService], fake: FakeTelegram, tg: Bot) -> None:
    delivery = make_delivery(concurrency=8)
    chats = list(range(100, 160))
    for chat in chats:
        fake.user(chat)
    log = listen(delivery)
    await delivery.enqueue_broadcast("task_offer", DeliveryLane.ROUTINE, None,
                                     [OutgoingMessage(chat, "offer") for chat in chats], subject=TASK)
    sender = await delivery.start(tg)
    await log.wait_for(log.finished())
    await delivery.events.wait_idle()
    assert sorted(event.chat_id for event in log.of(MessageSent)) == chats  # each once, none lost
    assert sender.stats.claims < len(chats)  # several sends were committed by one claim transaction
    assert len(log.of(BroadcastFinished)) == 1 and log.events[-1] == log.of(BroadcastFinished)[0]


async def test_held_cards_say_until_when_and_withdrawing_them_finishes_the_broadcast(
        delivery: DeliveryService, db: Database, fake: FakeTelegram, tg: Bot, clock: ManualClock) -> None:
    fake.user(7)
    log = listen(delivery)
    await delivery.start(tg)
    morning = clock.now() + timedelta(hours=9)
    async with db.session() as session:
        broadcast_id = await delivery.add_broadcast(session, "task_offer", DeliveryLane.ROUTINE, None,
                                                    [OutgoingMessage(7, "card")], subject=TASK, not_before=morning)
        assert log.subscription is not None and log.subscription.queue.qsize() == 0  # nothing before the commit
    await log.wait_for(lambda events: bool(events))
    [queued] = log.events
    assert isinstance(queued, BroadcastQueued) and queued.held_until == morning
    async with db.session() as session:
        assert await delivery.withdraw(session, Subject(SubjectType.TASK, 18), "task_offer") == 0  # another task
        assert await delivery.withdraw(session, TASK, "task_change") == 0  # another kind
        assert await delivery.withdraw(session, TASK, "task_offer") == 1
    await log.wait_for(log.finished())
    [finished] = log.of(BroadcastFinished)
    assert (finished.broadcast_id, finished.counts.total, finished.counts.sent) == (broadcast_id, 0, 0)
    assert fake.calls_of("sendMessage") == []


async def test_a_broadcast_without_recipients_finishes_and_a_top_up_reopens_it(
        delivery: DeliveryService, fake: FakeTelegram, tg: Bot) -> None:
    fake.user(8)
    log = listen(delivery)
    await delivery.start(tg)
    empty = await delivery.enqueue_broadcast("task_offer", DeliveryLane.ROUTINE, None, [], subject=TASK,
                                             key="offer-17")
    await log.wait_for(log.finished())
    assert log.of(BroadcastFinished)[0].counts.total == 0
    again = await delivery.enqueue_broadcast("task_offer", DeliveryLane.ROUTINE, None, [OutgoingMessage(8, "card")],
                                             subject=TASK, key="offer-17")  # a repeated confirm with a newcomer
    assert again == empty
    await log.wait_for(log.finished(2))
    assert [type(event).__name__ for event in log.events] == [
        "BroadcastQueued", "BroadcastFinished", "BroadcastQueued", "MessageSent", "BroadcastFinished"]
    assert (log.of(BroadcastQueued)[1].added, log.of(BroadcastFinished)[1].counts.sent) == (1, 1)


async def test_a_restart_publishes_what_ended_while_the_sender_was_down(
        make_delivery: Callable[..., DeliveryService], db: Database, fake: FakeTelegram, tg: Bot) -> None:
    """A crash after the last "sent" was committed but before the broadcast was completed,
    and a row left in flight with no attempts left: the next start tells both."""
    before = make_delivery(max_attempts=1)
    done = await before.enqueue_broadcast("task_offer", DeliveryLane.ROUTINE, None, [OutgoingMessage(9, "a")],
                                          subject=TASK)
    stuck = await before.enqueue_broadcast("task_change", DeliveryLane.PERSONAL, None, [OutgoingMessage(10, "b")],
                                           subject=Subject(SubjectType.TASK, 18))
    async with db.session() as session:
        await session.execute(update(DeliveryMessage).where(DeliveryMessage.broadcast_id == done)
                              .values(status=DeliveryStatus.SENT))
        await session.execute(update(DeliveryMessage).where(DeliveryMessage.broadcast_id == stuck)
                              .values(status=DeliveryStatus.SENDING))
    after = make_delivery(max_attempts=1)
    log = listen(after)
    await after.start(tg)
    await log.wait_for(log.finished(2))
    [failed] = log.of(MessageFailed)
    assert (failed.chat_id, failed.subject, failed.reason) == (10, Subject(SubjectType.TASK, 18),
                                                               "interrupted while sending")
    assert {(event.broadcast_id, event.counts.sent, event.counts.failed) for event in log.of(BroadcastFinished)} == {
        (done, 1, 0), (stuck, 0, 1)}
    assert fake.calls_of("sendMessage") == []
    async with db.sessionmaker() as session:
        assert set(await session.scalars(select(DeliveryBroadcast.id).where(
            DeliveryBroadcast.completed_at.is_not(None)))) == {done, stuck}


async def test_a_failing_subscriber_never_holds_up_delivery(
        delivery: DeliveryService, fake: FakeTelegram, tg: Bot) -> None:
    chats = list(range(200, 210))
    for chat in chats:
        fake.user(chat)

    async def broken(event: DeliveryEvent) -> None:
        raise RuntimeError("a board that cannot draw")

    broken_subscription = delivery.events.subscribe(DeliveryEvent, broken)
    log = listen(delivery)
    await delivery.enqueue_broadcast("task_offer", DeliveryLane.ROUTINE, None,
                                     [OutgoingMessage(chat, "offer") for chat in chats], subject=TASK)
    await delivery.start(tg)
    await log.wait_for(log.finished())
    await delivery.events.wait_idle()
    assert sorted(int(call.params["chat_id"]) for call in fake.calls_of("sendMessage")) == chats
    assert len(log.of(MessageSent)) == len(chats)
    assert broken_subscription.stats.failed == len(log.events)  # it saw every event and failed on each
