"""A task change and the news of it commit together: if queueing the notifications
fails, the change is not kept either (and the other way round)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.tasks import TaskStatus
from storage.models import DeliveryMessage, Task
from tests.support.coordinator import make_task, register, sign_up
from tests.support.e2e import RunningBot

COORDINATOR = 700_001


async def _count_queued(bot: RunningBot) -> int:
    async with bot.services.db.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(DeliveryMessage))


async def test_a_failed_queue_write_undoes_the_change(bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    task = await make_task(bot, COORDINATOR)
    volunteer = await register(bot, 700_101)
    await sign_up(bot, task.id, volunteer, "going")
    queued_before = await _count_queued(bot)

    async def broken_queue(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bot.services.tasks.delivery, "add_broadcast", broken_queue)
    later = task.starts_at + timedelta(days=1)
    with pytest.raises(RuntimeError):
        await bot.services.tasks.change_time(task.id, later, later + timedelta(hours=2), COORDINATOR)
    with pytest.raises(RuntimeError):
        await bot.services.tasks.cancel(task.id, COORDINATOR)

    async with bot.services.db.sessionmaker() as session:
        stored = await session.get(Task, task.id)
    assert stored.starts_at == task.starts_at
    assert stored.status == TaskStatus.OPEN
    assert await _count_queued(bot) == queued_before

    monkeypatch.undo()
    change = await bot.services.tasks.cancel(task.id, COORDINATOR)
    assert change is not None and change.notified == 1
    assert await _count_queued(bot) == queued_before + 1
