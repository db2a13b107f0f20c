"""Tasks as coordinators see them: create, list with counts, roster, edit, cancel, and
who to tell about a change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.signups import ACTIVE_SIGNUPS, HOLDS_SLOT, SignupStatus
from bot.domain.tasks import LIVE_STATUSES, TaskStatus
from bot.domain.volunteers import VolunteerStatus
from storage.models import Signup, Task, TelegramUser, Volunteer
from storage.repositories.results import affected_rows


@dataclass(frozen=True, slots=True)
class TaskCounts:
    task: Task
    going: int  # sign-ups holding a slot (going or offered)
    waitlisted: int


@dataclass(frozen=True, slots=True)
class RosterRow:
    volunteer_id: int
    full_name: str | None
    phone: str | None
    status: SignupStatus
    signed_up_at: datetime
    birth_year: int | None = None
    guardian_name: str | None = None  # a minor's parent or guardian (see TaskService.roster)
    guardian_phone: str | None = None
    guardian_consent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    volunteer_id: int
    telegram_id: int
    locale: str | None
    status: SignupStatus


class CoordinatorTaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, task: Task) -> Task:
        self.session.add(task)
        return task

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, task_id: int) -> Task | None:
        return await self.session.get(Task, task_id)

    async def get_for_update(self, task_id: int) -> Task | None:
        return await self.session.scalar(select(Task).where(Task.id == task_id).with_for_update())

    async def list_of_coordinator(
        self, coordinator_id: int, now: datetime, *, offset: int, limit: int
    ) -> tuple[list[TaskCounts], int]:
        """The coordinator's own tasks: upcoming (not ended, not cancelled or done) first
        by start, then the rest newest first; with counts; and the total number."""
        counts = (
            select(
                Signup.task_id.label("task_id"),
                func.sum(case((Signup.status.in_(HOLDS_SLOT), 1), else_=0)).label("going"),
                func.sum(case((Signup.status == SignupStatus.WAITLISTED, 1), else_=0)).label("waitlisted"),
            )
            .group_by(Signup.task_id)
            .subquery()
        )
        upcoming = and_(Task.status.in_(LIVE_STATUSES), Task.ends_at >= now)
        rows = await self.session.execute(
            select(Task, func.coalesce(counts.c.going, 0), func.coalesce(counts.c.waitlisted, 0))
            .outerjoin(counts, counts.c.task_id == Task.id)
            .where(Task.coordinator_telegram_id == coordinator_id)
            .order_by(
                case((upcoming, 0), else_=1),
                case((upcoming, Task.starts_at), else_=None),
                Task.starts_at.desc(),
                Task.id,
            )
            .offset(offset)
            .limit(limit)
        )
        total = await self.session.scalar(
            select(func.count()).select_from(Task).where(Task.coordinator_telegram_id == coordinator_id)
        )
        return [TaskCounts(task, int(going), int(waiting)) for task, going, waiting in rows.all()], int(total or 0)

    async def counts(self, task_id: int) -> tuple[int, int]:
        """(holding a slot, waitlisted) for one task."""
        rows = await self.session.execute(
            select(Signup.status, func.count())
            .where(Signup.task_id == task_id, Signup.status.in_(ACTIVE_SIGNUPS))
            .group_by(Signup.status)
        )
        by_status = dict(rows.all())
        going = sum(by_status.get(status, 0) for status in HOLDS_SLOT)
        return int(going), int(by_status.get(SignupStatus.WAITLISTED, 0))

    async def roster(self, task_id: int) -> list[RosterRow]:
        """Everyone signed up or waitlisted: going/offered first, then the waitlist, each
        in the order they signed up."""
        rows = await self.session.execute(
            select(
                Volunteer.id, Volunteer.full_name, Volunteer.phone, Signup.status, Signup.created_at,
                Volunteer.birth_year, Volunteer.guardian_name, Volunteer.guardian_phone, Volunteer.guardian_consent_at,
            )
            .join(Volunteer, Volunteer.id == Signup.volunteer_id)
            .where(Signup.task_id == task_id, Signup.status.in_(ACTIVE_SIGNUPS))
            .order_by(case((Signup.status == SignupStatus.WAITLISTED, 1), else_=0), Signup.created_at, Signup.id)
        )
        return [RosterRow(*row) for row in rows.all()]

    async def recipients(self, task_id: int, statuses: tuple[SignupStatus, ...]) -> list[Recipient]:
        """Volunteers with a sign-up of these statuses who can be written to (have a
        Telegram id and have not deleted their data); their language for the text."""
        rows = await self.session.execute(
            select(Volunteer.id, Volunteer.telegram_id, func.coalesce(Volunteer.locale, TelegramUser.locale), Signup.status)
            .join(Volunteer, Volunteer.id == Signup.volunteer_id)
            .outerjoin(TelegramUser, TelegramUser.telegram_id == Volunteer.telegram_id)
            .where(
                Signup.task_id == task_id,
                Signup.status.in_(statuses),
                Volunteer.telegram_id.is_not(None),
                Volunteer.status != VolunteerStatus.DELETED,
            )
            .order_by(Signup.created_at, Signup.id)
        )
        return [Recipient(volunteer_id, telegram_id, locale, status)
                for volunteer_id, telegram_id, locale, status in rows.all()
                if telegram_id is not None]  # always, by the WHERE above

    async def set_status(self, task_id: int, status: TaskStatus, *, only_from: tuple[TaskStatus, ...],
                         now: datetime) -> bool:
        """Change the status if it is one of `only_from` (one conditional UPDATE, so two
        cancels cannot both succeed); True if it changed."""
        result = await self.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.status.in_(only_from))
            .values(status=status, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))
