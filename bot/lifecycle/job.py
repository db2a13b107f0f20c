"""One lifecycle pass, run by the scheduler every LIFECYCLE_EVERY_SECONDS and once at
start (so what fell due while the bot was stopped goes out at once, or is dropped with
a log line when no longer useful): move task states, plan new rows, send what is due.
Everything is read from the database; one pass at a time."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from bot.lifecycle.coordinator import CoordinatorNotices, Digests
from bot.lifecycle.reminders import ReminderPass, ReminderService
from bot.lifecycle.states import TaskStates

log = logging.getLogger(__name__)

LIFECYCLE_EVERY_SECONDS = 30


@dataclass(frozen=True, slots=True)
class PassResult:
    moved: int
    planned: int
    reminders: ReminderPass
    notices: int
    digests: int
    seconds: float


class LifecycleJob:
    def __init__(self, states: TaskStates, reminders: ReminderService, notices: CoordinatorNotices,
                 digests: Digests) -> None:
        self.states = states
        self.reminders = reminders
        self.notices = notices
        self.digests = digests
        self._lock = asyncio.Lock()

    async def run(self) -> PassResult:
        async with self._lock:
            started = time.perf_counter()
            moved = await self.states.advance()
            planned = await self.reminders.plan() + await self.notices.plan()
            reminders = await self.reminders.send_due()
            notices = await self.notices.send_due()
            digests = await self.digests.send_due()
            result = PassResult(moved, planned, reminders, notices, digests, time.perf_counter() - started)
        if moved or reminders.queued or reminders.dropped or notices or digests:
            log.info("lifecycle pass: %s tasks moved, %s rows planned, %s reminders queued, %s dropped, "
                     "%s notices, %s digests (%.0f ms)", moved, planned, reminders.queued, reminders.dropped,
                     notices, digests, result.seconds * 1000)
        return result
