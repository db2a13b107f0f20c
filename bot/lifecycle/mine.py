"""A volunteer's tasks for /my, by where each stands (bot/domain/tasks.py `timeline`):
upcoming (going, a place held for them, or waitlisted), running, finished (the last
FINISHED_SHOWN of the past FINISHED_DAYS, where they were going or came)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.signups import ACTIVE_SIGNUPS, SignupStatus
from bot.domain.tasks import Timeline, timeline
from bot.infra.clock import Clock
from bot.tasks.signups import MySignup
from storage.db import Database
from storage.repositories.lifecycle import LifecycleRepository

FINISHED_SHOWN = 5
FINISHED_DAYS = 30


@dataclass(slots=True)
class MyTasksView:
    upcoming: list[MySignup] = field(default_factory=list)
    running: list[MySignup] = field(default_factory=list)
    finished: list[MySignup] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.upcoming or self.running or self.finished)


class MyTasks:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def of(self, telegram_id: int) -> MyTasksView:
        now = self.clock.now()
        view = MyTasksView()
        async with self.db.read() as session:
            repo = LifecycleRepository(session)
            volunteer = await repo.volunteer_by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return view
            rows = await repo.my_signups(volunteer.id, now - timedelta(days=FINISHED_DAYS))
        for signup, task in rows:
            where = timeline(task.status, task.starts_at, task.ends_at, now)
            item = MySignup(task, signup.status, signup.offered_until)
            if where == Timeline.UPCOMING and signup.status in ACTIVE_SIGNUPS:
                view.upcoming.append(item)
            elif where == Timeline.RUNNING and signup.status in (SignupStatus.GOING, SignupStatus.ATTENDED):
                view.running.append(item)
            elif where == Timeline.FINISHED and signup.status in (SignupStatus.GOING, SignupStatus.ATTENDED,
                                                                   SignupStatus.NO_SHOW):
                view.finished.append(item)
        view.finished = sorted(view.finished, key=lambda item: item.task.starts_at, reverse=True)[:FINISHED_SHOWN]
        return view
