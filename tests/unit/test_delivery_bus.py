"""The delivery engine's event bus on its own: order, filters, isolation of a slow or
failing subscriber, nothing lost in a burst, and a clean stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timezone

import pytest

from bot.domain.subjects import Subject, SubjectType
from bot.infra.delivery.bus import EventBus
from bot.infra.delivery.events import (
    BroadcastFinished,
    BroadcastQueued,
    DeliveryEvent,
    MessageEvent,
    MessageFailed,
    MessageSent,
)
from storage.repositories.deliveries import BroadcastCounts

AT = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)
TASK = Subject(SubjectType.TASK, 17)


def sent(delivery_id: int, subject: Subject | None = TASK, broadcast_id: int | None = 1) -> MessageSent:
    return MessageSent(broadcast_id=broadcast_id, subject=subject, at=AT, delivery_id=delivery_id,
                       chat_id=1000 + delivery_id, volunteer_id=None, telegram_message_id=delivery_id)


def failed(delivery_id: int) -> MessageFailed:
    return MessageFailed(broadcast_id=1, subject=TASK, at=AT, delivery_id=delivery_id, chat_id=1000 + delivery_id,
                         volunteer_id=None, reason="Bad Request: can't parse entities")


def finished(broadcast_id: int = 1) -> BroadcastFinished:
    return BroadcastFinished(broadcast_id=broadcast_id, subject=TASK, at=AT, kind="task_offer",
                             counts=BroadcastCounts(total=2, sent=1, failed=1, unreachable=0, remaining=0))


class Recorder:
    def __init__(self) -> None:
        self.events: list[DeliveryEvent] = []

    async def __call__(self, event: DeliveryEvent) -> None:
        self.events.append(event)


@pytest.fixture
async def bus() -> AsyncIterator[EventBus]:
    events = EventBus(timeout=5.0)
    yield events
    await events.stop(grace=1.0)


async def test_a_subscriber_gets_its_events_in_the_order_they_were_published(bus: EventBus) -> None:
    board = Recorder()
    bus.subscribe((MessageSent, MessageFailed, BroadcastFinished), board)
    bus.start()
    published = [sent(1), failed(2), sent(3), finished()]
    for event in published:
        bus.publish(event)
    await bus.wait_idle()
    assert board.events == published  # interleaved types, in publication order
    assert board.events[-1] == finished()  # the finish last, as the engine publishes it


async def test_a_subscription_gets_only_its_types_and_subjects(bus: EventBus) -> None:
    only_sent, everything, messages, tasks_only = Recorder(), Recorder(), Recorder(), Recorder()
    bus.subscribe(MessageSent, only_sent)
    bus.subscribe(DeliveryEvent, everything)
    bus.subscribe(MessageEvent, messages)
    bus.subscribe(MessageSent, tasks_only, subject_type=SubjectType.TASK)
    bus.start()
    single = sent(9, subject=None, broadcast_id=None)  # enqueue_one: no broadcast, no subject
    for event in (sent(1), failed(2), finished(), single):
        bus.publish(event)
    await bus.wait_idle()
    assert only_sent.events == [sent(1), single]
    assert everything.events == [sent(1), failed(2), finished(), single]
    assert messages.events == [sent(1), failed(2), single]
    assert tasks_only.events == [sent(1)]
    with pytest.raises(TypeError):
        bus.subscribe(str, only_sent)  # type: ignore[arg-type]  # not an event class


async def test_a_failing_subscriber_is_logged_and_the_others_get_every_event(
        bus: EventBus, caplog: pytest.LogCaptureFixture) -> None:
    calm = Recorder()

    async def broken(event: DeliveryEvent) -> None:
        if isinstance(event, MessageSent) and event.delivery_id == 2:
            raise RuntimeError("board out of order")

    broken_subscription = bus.subscribe(MessageSent, broken, name="broken board")
    bus.subscribe(MessageSent, calm)
    bus.start()
    with caplog.at_level(logging.ERROR, logger="bot.infra.delivery.bus"):
        for delivery_id in (1, 2, 3):
            bus.publish(sent(delivery_id))
        await bus.wait_idle()
    assert [event.delivery_id for event in calm.events] == [1, 2, 3]  # type: ignore[attr-defined]  # the test's recorder keeps these events
    assert (broken_subscription.stats.handled, broken_subscription.stats.failed) == (2, 1)  # went on after it
    assert "broken board failed" in caplog.text and "board out of order" in caplog.text


async def test_a_slow_subscriber_delays_only_itself_and_is_cut_off_at_its_timeout(
        bus: EventBus, caplog: pytest.LogCaptureFixture) -> None:
    release = asyncio.Event()
    slow_seen: list[int] = []

    async def slow(event: MessageSent) -> None:
        slow_seen.append(event.delivery_id)
        if event.delivery_id == 1:
            await release.wait()  # hangs until the timeout cancels it

    fast = Recorder()
    slow_subscription = bus.subscribe(MessageSent, slow, timeout=0.5, name="slow board")
    bus.subscribe(MessageSent, fast)
    bus.start()
    with caplog.at_level(logging.WARNING, logger="bot.infra.delivery.bus"):
        bus.publish(sent(1))
        bus.publish(sent(2))
        await fast_has(fast, 2)
        assert slow_seen == [1]  # the fast one did not wait for the slow one
        await bus.wait_idle()
    assert slow_seen == [1, 2]  # after the cut-off the next event was handled
    assert (slow_subscription.stats.timed_out, slow_subscription.stats.handled) == (1, 1)
    assert "slow board took over 0.5 s" in caplog.text


async def fast_has(recorder: Recorder, count: int) -> None:
    while len(recorder.events) < count:
        await asyncio.sleep(0)


async def test_publish_never_waits_and_a_burst_loses_nothing(bus: EventBus) -> None:
    """Many events at once (one claim's worth and far more): publish returns at once and
    every event reaches every subscriber, in order."""
    gate = asyncio.Event()
    seen: list[int] = []

    async def held(event: MessageSent) -> None:
        await gate.wait()
        seen.append(event.delivery_id)

    counted = Recorder()
    bus.subscribe(MessageSent, held)
    bus.subscribe(MessageSent, counted)
    bus.start()
    for delivery_id in range(1, 2001):
        bus.publish(sent(delivery_id))  # synchronous: nothing is awaited here
    assert seen == []
    gate.set()
    await bus.wait_idle()
    assert seen == list(range(1, 2001))
    assert [event.delivery_id for event in counted.events] == list(range(1, 2001))  # type: ignore[attr-defined]  # the test's recorder keeps these events


async def test_events_published_before_start_wait_for_it() -> None:
    bus = EventBus()
    recorder = Recorder()
    bus.subscribe(BroadcastQueued, recorder)
    queued = BroadcastQueued(broadcast_id=1, subject=TASK, at=AT, kind="task_offer", lane=2, added=3, total=3,
                             held_until=None)
    bus.publish(queued)
    assert recorder.events == []
    bus.start()
    try:
        await bus.wait_idle()
    finally:
        await bus.stop()
    assert recorder.events == [queued]


async def test_beyond_the_backlog_events_are_dropped_counted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus(max_backlog=3)
    recorder = Recorder()
    subscription = bus.subscribe(MessageSent, recorder, name="stuck board")
    with caplog.at_level(logging.ERROR, logger="bot.infra.delivery.bus"):
        for delivery_id in range(1, 6):
            bus.publish(sent(delivery_id))  # not started: nothing takes them
    assert subscription.stats.dropped == 2
    assert "stuck board is 3 events behind" in caplog.text
    bus.start()
    try:
        await bus.wait_idle()
    finally:
        await bus.stop()
    assert [event.delivery_id for event in recorder.events] == [1, 2, 3]  # type: ignore[attr-defined]  # the test's recorder keeps these events


async def test_stop_lets_queued_events_be_handled_then_ends_the_tasks() -> None:
    bus = EventBus()
    recorder = Recorder()
    subscription = bus.subscribe(MessageSent, recorder)
    bus.start()
    for delivery_id in (1, 2, 3):
        bus.publish(sent(delivery_id))
    await bus.stop(grace=5.0)
    assert len(recorder.events) == 3
    assert subscription.task is None
    late = Recorder()
    bus.subscribe(MessageSent, late)  # subscribing after a stop starts nothing ...
    bus.publish(sent(4))
    assert late.events == []
    bus.start()  # ... until the next start
    try:
        await bus.wait_idle()
    finally:
        await bus.stop()
    assert [event.delivery_id for event in late.events] == [4]  # type: ignore[attr-defined]  # the test's recorder keeps these events
