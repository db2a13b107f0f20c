"""Task states moved by time (and by the coordinator closing a task): open/full →
started at the start, → done at the end. The rules are in bot/domain/tasks.py
(`due_status`); this writes them, one conditional UPDATE per task, and runs the
hooks (hooks.py) in the same transaction."""

from __future__ import annotations

import logging

from bot.domain.tasks import TIMED_STATUSES, TaskStatus, due_status
from bot.infra.clock import Clock
from bot.lifecycle.hooks import TaskLifeHooks
from storage.db import Database
from storage.models import Task
from storage.repositories.lifecycle import LifecycleRepository

log = logging.getLogger(__name__)


class TaskStates:
    def __init__(self, db: Database, clock: Clock, hooks: TaskLifeHooks) -> None:
        self.db = db
        self.clock = clock
        self.hooks = hooks

    async def advance(self) -> int:
        """Move every task time has moved on; returns how many changed."""
        now = self.clock.now()
        async with self.db.read() as session:
            due = await LifecycleRepository(session).tasks_due_to_move(now)
        moved = 0
        for stale in due:
            target = due_status(stale.status, stale.starts_at, stale.ends_at, now)
            if target is None:
                continue
            moved += await self._move(stale.id, target)
        return moved

    async def close(self, task_id: int) -> Task | None:
        """The coordinator closes a started task early: done now. None if it is not
        started (an open task is cancelled instead; a finished one stays as it is)."""
        if await self._move(task_id, TaskStatus.DONE, only_from=(TaskStatus.STARTED,)):
            async with self.db.read() as session:
                return await LifecycleRepository(session).task(task_id)
        return None

    async def _move(self, task_id: int, target: TaskStatus,
                    only_from: tuple[TaskStatus, ...] = TIMED_STATUSES) -> bool:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = LifecycleRepository(session)
            task = await repo.task(task_id)
            if task is None or task.status not in only_from or not task.status.may_become(target):
                return False
            if target == TaskStatus.DONE and task.status != TaskStatus.STARTED:
                # Ended while nobody looked: it started first (hooks see both, in order).
                if not await repo.move_task(task_id, (task.status,), TaskStatus.STARTED, now):
                    return False
                task = await repo.task(task_id)
                assert task is not None
                await self.hooks.started(session, task, now)
            if not await repo.move_task(task_id, (task.status,), target, now):
                return False
            task = await repo.task(task_id)
            assert task is not None
            if target == TaskStatus.STARTED:
                await self.hooks.started(session, task, now)
            else:
                await self.hooks.ended(session, task, now)
            log.info("task %s is %s", task_id, target.value)
        return True
