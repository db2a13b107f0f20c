"""The seam other features use to act when a task starts or ends.

    hooks.on_started(callback)   # the task just became "started"
    hooks.on_ended(callback)     # the task just became "done" (its end time, or closed
                                 # by its coordinator)

    async def callback(session: AsyncSession, task: Task, now: datetime) -> None: ...

Callbacks are registered when the application is wired (bot/app.py) and run inside the
transaction that changes the task's status: what they write (attendance, hours...)
commits together with the new status or not at all. If one raises, the transaction
rolls back and the next lifecycle pass tries the task again, so a callback must be
idempotent (write with conditional UPDATEs / unique keys). A task that ended while the
bot was stopped is moved (and its callbacks run) at the first pass after the start:
nothing is missed. Callbacks are awaited in registration order; keep them short (one
pass moves at most a few hundred tasks)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Task

TaskHook = Callable[[AsyncSession, Task, datetime], Awaitable[None]]


class TaskLifeHooks:
    def __init__(self) -> None:
        self._started: list[TaskHook] = []
        self._ended: list[TaskHook] = []

    def on_started(self, callback: TaskHook) -> None:
        self._started.append(callback)

    def on_ended(self, callback: TaskHook) -> None:
        self._ended.append(callback)

    async def started(self, session: AsyncSession, task: Task, now: datetime) -> None:
        for callback in self._started:
            await callback(session, task, now)

    async def ended(self, session: AsyncSession, task: Task, now: datetime) -> None:
        for callback in self._ended:
            await callback(session, task, now)
