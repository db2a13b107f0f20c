"""A broadcast's subject, as the running application uses it: the coordinator's progress
shows "accepted so far" for a broadcast about a task whatever its key says, and nothing
for one that names no subject, however task-like its key; cancelling a task withdraws
its held cards by subject, and its progress message finishes at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.domain.delivery import DeliveryLane
from bot.domain.signups import SignupStatus
from bot.domain.subjects import Subject, SubjectType
from bot.infra.delivery import BroadcastFinished, OutgoingMessage
from emulator import WAIT, FakeTelegram
from storage.models import DeliveryBroadcast
from tests.support.clock import ManualClock
from tests.support.coordinator import make_task, register, sign_up
from tests.support.e2e import RunningBot

COORDINATOR = 880_001


async def test_accepted_so_far_follows_the_subject_not_the_key(bot: RunningBot, fake: FakeTelegram) -> None:
    coordinator = fake.user(COORDINATOR, language_code="en")
    task = await make_task(bot, COORDINATOR, slots=5)
    for n in range(3):
        volunteer = await register(bot, 881_000 + n)
        fake.user(881_000 + n)
        if n < 2:
            await sign_up(bot, task.id, volunteer, SignupStatus.GOING)
    delivery = bot.services.delivery
    await delivery.enqueue_broadcast(
        "reminder", DeliveryLane.PERSONAL, COORDINATOR, [OutgoingMessage(881_002, "Still coming?")],
        progress_chat_id=COORDINATOR, progress_locale="en", title="About the task",
        key="7f3a-no-task-in-here", subject=Subject(SubjectType.TASK, task.id))
    about = await coordinator.wait_for_message(lambda m: "About the task" in (m.text or ""))
    assert "Accepted so far: 2" in (about.text or "")
    # A key shaped like the task's own says nothing: without a subject, no count.
    await delivery.enqueue_broadcast(
        "task_offer", DeliveryLane.PERSONAL, COORDINATOR, [OutgoingMessage(881_002, "Another card")],
        progress_chat_id=COORDINATOR, progress_locale="en", title="No subject", key=f"task:{task.id}:offer")
    plain = await coordinator.wait_for_message(lambda m: "No subject" in (m.text or ""))
    assert "Sent:" in (plain.text or "") and "Accepted" not in (plain.text or "")


async def test_cancelling_a_task_withdraws_its_held_cards_and_finishes_the_progress(
        bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    coordinator = fake.user(COORDINATOR, language_code="en")
    for n in range(2):
        await register(bot, 882_000 + n, locale="en")
        fake.user(882_000 + n)
    clock.set(clock.now().replace(hour=18))  # 23:00 in Almaty: routine cards wait for 08:00
    task = await make_task(bot, COORDINATOR, starts_in=timedelta(days=1, hours=11))  # 10:00 the day after
    plan = await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    assert plan.held and plan.queued == 2
    progress = await coordinator.wait_for_message(lambda m: "Sending starts at" in (m.text or ""))
    assert "Accepted so far: 0" in (progress.text or "")
    finished: asyncio.Queue[BroadcastFinished] = asyncio.Queue()
    bot.services.delivery.events.subscribe(BroadcastFinished, finished.put, subject_type=SubjectType.TASK)
    change = await bot.services.tasks.cancel(task.id, COORDINATOR)
    assert change is not None
    event = await asyncio.wait_for(finished.get(), WAIT)
    assert (event.broadcast_id, event.subject, event.counts.total) == (
        plan.broadcast_id, Subject(SubjectType.TASK, task.id), 0)
    async with bot.services.db.sessionmaker() as session:
        broadcast = await session.scalar(select(DeliveryBroadcast).where(DeliveryBroadcast.id == plan.broadcast_id))
    assert broadcast is not None and broadcast.subject == Subject(SubjectType.TASK, task.id)
    assert broadcast.total == 0 and broadcast.completed_at is not None
    clock.advance(seconds=3)
    bot.services.delivery.wake()
    done = await coordinator.wait_for_message(lambda m: "Sending finished" in (m.text or ""))
    assert done.message_id == progress.message_id and "Sent: 0 of 0" in (done.text or "")
    clock.set(plan.send_at)  # the next morning: nothing goes out
    bot.services.delivery.wake()
    await fake.wait_idle()
    assert [len(fake.user(882_000 + n).messages) for n in range(2)] == [0, 0]
