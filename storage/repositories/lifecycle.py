"""The task's life: tasks time moves on, reminder and notice rows, confirmations, the
digest's figures, and a volunteer's tasks by section. Every query here is what one
lifecycle pass needs to find what is due (indexed: tasks (status, starts_at) and
(status, ends_at), reminders (state, due_at), task_notices (state, due_at))."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reminders import ReminderKind, ReminderState
from bot.domain.signups import SignupStatus
from bot.domain.tasks import SIGNUP_STATUSES, TIMED_STATUSES, TaskStatus
from storage.models import CoordinatorDigest, Reminder, Signup, Task, TaskNotice, TelegramUser, Volunteer
from storage.repositories.results import affected_rows

# A volunteer's sign-ups /my shows (a finished task shows those who were going or came).
MY_SIGNUPS = (SignupStatus.GOING, SignupStatus.OFFERED, SignupStatus.WAITLISTED, SignupStatus.ATTENDED,
              SignupStatus.NO_SHOW)


# The tables, for plain executemany inserts and row reads (no ORM objects).
REMINDERS = cast(Table, Reminder.__table__)
TASKS = cast(Table, Task.__table__)
DIGESTS = cast(Table, CoordinatorDigest.__table__)

# Going, asked "Still coming?" (its reminder was sent), no "Yes" yet.
_UNCONFIRMED = and_(
    Signup.status == SignupStatus.GOING, Signup.confirmed_at.is_(None),
    exists().where(Reminder.signup_id == Signup.id, Reminder.kind == ReminderKind.DAY_BEFORE,
                   Reminder.state == ReminderState.SENT),
)


@dataclass(frozen=True, slots=True)
class Unplanned:
    """A sign-up holding a place with no reminder rows yet."""

    signup_id: int
    task_id: int
    placed_at: datetime  # when it got its place (its last status change)
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class DueReminder:
    id: int
    kind: ReminderKind
    due_at: datetime
    task_id: int
    signup_id: int
    signup_status: SignupStatus
    volunteer_id: int
    telegram_id: int | None
    locale: str | None
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class DigestTask:
    task: Task
    going: int
    unconfirmed: int


class LifecycleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- task states ----------------------------------------------------------------------

    async def tasks_due_to_move(self, now: datetime, limit: int = 500) -> list[Task]:
        """Open or full tasks that have started, and live tasks that have ended."""
        started = select(Task.id).where(Task.status.in_(SIGNUP_STATUSES), Task.starts_at <= now)
        ended = select(Task.id).where(Task.status.in_(TIMED_STATUSES), Task.ends_at <= now)
        ids = [*await self.session.scalars(started.limit(limit)), *await self.session.scalars(ended.limit(limit))]
        if not ids:
            return []
        rows = await self.session.scalars(
            select(Task).where(Task.id.in_(sorted(set(ids)))).order_by(Task.starts_at, Task.id)
            .execution_options(populate_existing=True))
        return list(rows)

    async def move_task(self, task_id: int, from_statuses: Sequence[TaskStatus], to_status: TaskStatus,
                        now: datetime) -> bool:
        result = await self.session.execute(
            update(Task).where(Task.id == task_id, Task.status.in_(list(from_statuses)))
            .values(status=to_status, updated_at=now).execution_options(synchronize_session=False))
        return bool(affected_rows(result))

    # -- reminders ------------------------------------------------------------------------

    async def unplanned_signups(self, now: datetime, until: datetime, limit: int = 5000) -> list[Unplanned]:
        rows = await self.session.execute(
            select(Signup.id, Signup.task_id, Signup.updated_at, Task.starts_at)
            .join(Task, Task.id == Signup.task_id)
            .where(Task.status.in_(SIGNUP_STATUSES), Task.starts_at > now, Task.starts_at <= until,
                   Signup.status == SignupStatus.GOING,
                   ~exists().where(Reminder.signup_id == Signup.id))
            .limit(limit))
        return [Unplanned(*row) for row in rows.all()]

    async def add_reminders(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(REMINDERS), rows)  # a plain executemany

    async def moved_reminders(self) -> list[tuple[Reminder, datetime]]:
        """Pending reminders whose task's start changed since they were planned."""
        rows = await self.session.execute(
            select(Reminder, Task.starts_at).join(Task, Task.id == Reminder.task_id)
            .where(Reminder.state == ReminderState.PENDING, Reminder.planned_start != Task.starts_at))
        return [(reminder, starts_at) for reminder, starts_at in rows.all()]

    async def replan_reminder(self, reminder_id: int, due_at: datetime, starts_at: datetime) -> None:
        await self.session.execute(update(Reminder).where(Reminder.id == reminder_id)
                                   .values(due_at=due_at, planned_start=starts_at))

    async def due_reminders(self, now: datetime, limit: int = 5000) -> list[DueReminder]:
        """Due pending reminders as plain rows (no ORM objects: a pass may find thousands)."""
        rows = await self.session.execute(
            select(Reminder.id, Reminder.kind, Reminder.due_at, Reminder.task_id, Signup.id, Signup.status,
                   Volunteer.id, Volunteer.telegram_id, Volunteer.locale, Volunteer.deleted_at)
            .join(Signup, Signup.id == Reminder.signup_id)
            .join(Volunteer, Volunteer.id == Signup.volunteer_id)
            .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now)
            .order_by(Reminder.due_at, Reminder.id)
            .limit(limit))
        return [DueReminder(id=row[0], kind=row[1], due_at=row[2], task_id=row[3], signup_id=row[4],
                            signup_status=row[5], volunteer_id=row[6], telegram_id=row[7], locale=row[8],
                            deleted_at=row[9]) for row in rows.all()]

    async def tasks_by_id(self, task_ids: Sequence[int]) -> dict[int, Task]:
        """The tasks as read-only rows with the attributes of Task (no ORM objects: a
        pass may need hundreds)."""
        found: dict[int, Any] = {}
        ids = sorted(set(task_ids))
        for first in range(0, len(ids), 900):
            rows = await self.session.execute(select(TASKS).where(TASKS.c.id.in_(ids[first:first + 900])))
            found.update((row.id, row) for row in rows)
        return found

    async def names_by_telegram_id(self, telegram_ids: Sequence[int]) -> dict[int, str]:
        """Full names of (not erased) volunteers with these Telegram ids."""
        rows = await self.session.execute(
            select(Volunteer.telegram_id, Volunteer.full_name)
            .where(Volunteer.telegram_id.in_(sorted(set(telegram_ids))), Volunteer.deleted_at.is_(None),
                   Volunteer.full_name.is_not(None)))
        return {telegram_id: name for telegram_id, name in rows.all() if telegram_id is not None and name}

    async def finish_reminders(self, ids: Sequence[int], state: ReminderState, now: datetime) -> int:
        """Pending → `state`; returns how many were still pending (the others were done
        by a concurrent pass and must not be sent again)."""
        done = 0
        ids = list(ids)
        for first in range(0, len(ids), 900):
            result = await self.session.execute(
                update(Reminder).where(Reminder.id.in_(ids[first:first + 900]),
                                       Reminder.state == ReminderState.PENDING)
                .values(state=state, done_at=now).execution_options(synchronize_session=False))
            done += affected_rows(result)
        return done

    async def reminders_of(self, signup_id: int) -> dict[str, ReminderState]:
        rows = await self.session.execute(select(Reminder.kind, Reminder.state).where(Reminder.signup_id == signup_id))
        return {kind: state for kind, state in rows.all()}

    # -- confirmations --------------------------------------------------------------------

    async def confirm(self, signup_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Signup).where(Signup.id == signup_id, Signup.status == SignupStatus.GOING,
                                 Signup.confirmed_at.is_(None))
            .values(confirmed_at=now).execution_options(synchronize_session=False))
        return bool(affected_rows(result))

    async def unconfirmed(self, task_id: int) -> list[tuple[Signup, Volunteer]]:
        """People going who were asked "Still coming?" and have not answered "Yes", first
        signed up first (someone who took the place after the question was due, a late
        sign-up or a confirmed promotion, has just said yes)."""
        rows = await self.session.execute(
            select(Signup, Volunteer).join(Volunteer, Volunteer.id == Signup.volunteer_id)
            .where(Signup.task_id == task_id, _UNCONFIRMED)
            .order_by(Signup.created_at, Signup.id))
        return [(signup, volunteer) for signup, volunteer in rows.all()]

    async def going_count(self, task_id: int) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(Signup)
            .where(Signup.task_id == task_id, Signup.status == SignupStatus.GOING)) or 0)

    # -- coordinators' notices ------------------------------------------------------------

    async def unplanned_notice_tasks(self, now: datetime, until: datetime, limit: int = 2000) -> list[Task]:
        rows = await self.session.scalars(
            select(Task).where(Task.status.in_(SIGNUP_STATUSES), Task.starts_at > now, Task.starts_at <= until,
                               ~exists().where(TaskNotice.task_id == Task.id))
            .limit(limit))
        return list(rows)

    async def add_notices(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(TaskNotice), rows)

    async def moved_notices(self) -> list[tuple[TaskNotice, datetime]]:
        rows = await self.session.execute(
            select(TaskNotice, Task.starts_at).join(Task, Task.id == TaskNotice.task_id)
            .where(TaskNotice.state == ReminderState.PENDING, TaskNotice.planned_start != Task.starts_at))
        return [(notice, starts_at) for notice, starts_at in rows.all()]

    async def replan_notice(self, notice_id: int, due_at: datetime, starts_at: datetime) -> None:
        await self.session.execute(update(TaskNotice).where(TaskNotice.id == notice_id)
                                   .values(due_at=due_at, planned_start=starts_at))

    async def due_notices(self, now: datetime, limit: int = 500) -> list[tuple[TaskNotice, Task]]:
        rows = await self.session.execute(
            select(TaskNotice, Task).join(Task, Task.id == TaskNotice.task_id)
            .where(TaskNotice.state == ReminderState.PENDING, TaskNotice.due_at <= now)
            .order_by(TaskNotice.due_at, TaskNotice.id).limit(limit))
        return [(notice, task) for notice, task in rows.all()]

    async def finish_notice(self, notice_id: int, state: ReminderState, now: datetime) -> bool:
        result = await self.session.execute(
            update(TaskNotice).where(TaskNotice.id == notice_id, TaskNotice.state == ReminderState.PENDING)
            .values(state=state, done_at=now).execution_options(synchronize_session=False))
        return bool(affected_rows(result))

    # -- the digest -----------------------------------------------------------------------

    async def digest_tasks(self, start: datetime, end: datetime, exclude_day: str) -> dict[int, list[DigestTask]]:
        """Live tasks starting in [start, end), per coordinator who has not had the digest
        of `exclude_day`, with places taken and unconfirmed people."""
        going = func.count(Signup.id).filter(Signup.status == SignupStatus.GOING)
        unconfirmed = func.count(Signup.id).filter(_UNCONFIRMED)
        rows = await self.session.execute(
            select(Task, going, unconfirmed)
            .outerjoin(Signup, Signup.task_id == Task.id)
            .where(Task.status.in_(TIMED_STATUSES), Task.starts_at >= start, Task.starts_at < end,
                   ~exists().where(CoordinatorDigest.coordinator_telegram_id == Task.coordinator_telegram_id,
                                   CoordinatorDigest.day == exclude_day))
            .group_by(Task.id)
            .order_by(Task.coordinator_telegram_id, Task.starts_at, Task.id))
        found: dict[int, list[DigestTask]] = {}
        for task, going_count, unconfirmed_count in rows.all():
            found.setdefault(task.coordinator_telegram_id, []).append(
                DigestTask(task, int(going_count), int(unconfirmed_count)))
        return found

    async def add_digests(self, digests: Sequence[tuple[int, str, int]], now: datetime) -> None:
        """Record (coordinator, day, tasks) digests; the unique key refuses a second one."""
        if digests:
            await self.session.execute(insert(DIGESTS), [
                {"coordinator_telegram_id": coordinator_id, "day": day, "tasks": tasks, "sent_at": now}
                for coordinator_id, day, tasks in digests])

    # -- people ---------------------------------------------------------------------------

    async def volunteer_by_telegram_id(self, telegram_id: int) -> Volunteer | None:
        return await self.session.scalar(select(Volunteer).where(Volunteer.telegram_id == telegram_id))

    async def locales_of(self, telegram_ids: Sequence[int]) -> dict[int, str | None]:
        rows = await self.session.execute(select(TelegramUser.telegram_id, TelegramUser.locale)
                                          .where(TelegramUser.telegram_id.in_(sorted(set(telegram_ids)))))
        return {telegram_id: locale for telegram_id, locale in rows.all()}

    async def locale_of(self, telegram_id: int) -> str | None:
        return await self.session.scalar(select(TelegramUser.locale).where(TelegramUser.telegram_id == telegram_id))

    async def my_signups(self, volunteer_id: int, since: datetime) -> list[tuple[Signup, Task]]:
        """A volunteer's sign-ups on tasks not cancelled that end after `since`, by start."""
        rows = await self.session.execute(
            select(Signup, Task).join(Task, Task.id == Signup.task_id)
            .where(Signup.volunteer_id == volunteer_id, Signup.status.in_(MY_SIGNUPS),
                   Task.status.not_in((TaskStatus.CANCELLED, TaskStatus.DRAFT)),
                   or_(Task.ends_at > since, Task.status != TaskStatus.DONE))
            .order_by(Task.starts_at, Task.id))
        return [(signup, task) for signup, task in rows.all()]

    async def signup_of(self, task_id: int, volunteer_id: int) -> Signup | None:
        return await self.session.scalar(
            select(Signup).where(Signup.task_id == task_id, Signup.volunteer_id == volunteer_id)
            .execution_options(populate_existing=True))

    async def task(self, task_id: int) -> Task | None:
        return await self.session.get(Task, task_id, populate_existing=True)


__all__ = ["DigestTask", "DueReminder", "LifecycleRepository", "Unplanned"]
