"""Check-in codes, attendance rows, and which ended tasks still need their attendance
written. Check-in and check-out are conditional UPDATEs, so a double scan counts once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Numeric, and_, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.signups import HOLDS_SLOT, SignupStatus
from bot.domain.tasks import TaskStatus
from storage.models import Attendance, CheckinCode, Signup, Task, TaskClosing, TelegramUser, Volunteer
from storage.repositories.results import affected_rows


@dataclass(frozen=True, slots=True)
class AttendanceLine:
    """One person in a task's attendance roster or hours sheet."""

    volunteer_id: int
    full_name: str | None
    telegram_id: int | None
    locale: str | None
    signup: SignupStatus
    attendance: Attendance | None


class AttendanceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- codes -------------------------------------------------------------------------------

    async def code_of(self, task_id: int) -> str | None:
        return await self.session.scalar(select(CheckinCode.code).where(CheckinCode.task_id == task_id))

    async def add_code(self, task_id: int, code: str, now: datetime) -> None:
        self.session.add(CheckinCode(task_id=task_id, code=code, created_at=now))
        await self.session.flush()

    async def task_by_code(self, code: str) -> Task | None:
        return await self.session.scalar(
            select(Task).join(CheckinCode, CheckinCode.task_id == Task.id).where(CheckinCode.code == code))

    # -- rows --------------------------------------------------------------------------------

    async def row(self, task_id: int, volunteer_id: int) -> Attendance | None:
        return await self.session.scalar(
            select(Attendance).where(Attendance.task_id == task_id, Attendance.volunteer_id == volunteer_id)
            .execution_options(populate_existing=True))

    async def row_for(self, task_id: int, volunteer_id: int, now: datetime) -> Attendance:
        """The row, created empty when missing."""
        found = await self.row(task_id, volunteer_id)
        if found is None:
            found = Attendance(task_id=task_id, volunteer_id=volunteer_id, created_at=now, updated_at=now)
            self.session.add(found)
            await self.session.flush()
        return found

    async def note_cancelled(self, task_id: int, volunteer_id: int, now: datetime) -> None:
        """The person gave up a place they held (cancelled, or "I can't" on a held place)."""
        row = await self.row_for(task_id, volunteer_id, now)
        row.cancelled_at = now
        row.updated_at = now

    async def check_in(self, row_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Attendance).where(Attendance.id == row_id, Attendance.checked_in_at.is_(None))
            .values(checked_in_at=now, updated_at=now).execution_options(synchronize_session=False))
        return bool(affected_rows(result))

    async def check_out(self, row_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(Attendance)
            .where(Attendance.id == row_id, Attendance.checked_in_at.is_not(None), Attendance.checked_out_at.is_(None))
            .values(checked_out_at=now, updated_at=now).execution_options(synchronize_session=False))
        return bool(affected_rows(result))

    async def lines(self, task_id: int, statuses: tuple[SignupStatus, ...] = HOLDS_SLOT) -> list[AttendanceLine]:
        """People signed up (in `statuses`) with their attendance row, in sign-up order."""
        rows = await self.session.execute(
            select(Signup.volunteer_id, Volunteer.full_name, Volunteer.telegram_id, Volunteer.locale, Signup.status,
                   Attendance)
            .join(Volunteer, Volunteer.id == Signup.volunteer_id)
            .outerjoin(Attendance, (Attendance.task_id == Signup.task_id)
                       & (Attendance.volunteer_id == Signup.volunteer_id))
            .where(Signup.task_id == task_id, Signup.status.in_(list(statuses)))
            .order_by(Signup.created_at, Signup.id)
            .execution_options(populate_existing=True)
        )
        return [AttendanceLine(*row) for row in rows.all()]

    async def signups_with_rows(self, task_id: int) -> list[tuple[Signup, Attendance | None]]:
        rows = await self.session.execute(
            select(Signup, Attendance)
            .outerjoin(Attendance, (Attendance.task_id == Signup.task_id)
                       & (Attendance.volunteer_id == Signup.volunteer_id))
            .where(Signup.task_id == task_id).order_by(Signup.id)
            .execution_options(populate_existing=True)
        )
        return [(signup, row) for signup, row in rows.all()]

    async def recorded(self, task_id: int) -> list[tuple[Attendance, Volunteer]]:
        """The task's attendance rows with an outcome, with each person."""
        rows = await self.session.execute(
            select(Attendance, Volunteer).join(Volunteer, Volunteer.id == Attendance.volunteer_id)
            .where(Attendance.task_id == task_id, Attendance.outcome.is_not(None))
            .order_by(Attendance.outcome, Attendance.id)
            .execution_options(populate_existing=True)
        )
        return [(row, volunteer) for row, volunteer in rows.all()]

    # -- closing -----------------------------------------------------------------------------

    async def ended_unclosed(self, now: datetime, limit: int = 50) -> list[Task]:
        """Tasks that ended (done, or past their end and not cancelled) whose attendance is
        not written yet."""
        return list(await self.session.scalars(
            select(Task).outerjoin(TaskClosing, TaskClosing.task_id == Task.id)
            .where(or_(Task.status == TaskStatus.DONE,
                       and_(Task.ends_at <= now, Task.status != TaskStatus.CANCELLED)),
                   TaskClosing.task_id.is_(None))
            .order_by(Task.ends_at, Task.id).limit(limit)))

    async def is_closed(self, task_id: int) -> bool:
        return await self.session.get(TaskClosing, task_id) is not None

    async def close(self, task_id: int, now: datetime) -> bool:
        """Mark the task's attendance as written; False if it already was."""
        if await self.is_closed(task_id):
            return False
        self.session.add(TaskClosing(task_id=task_id, closed_at=now))
        await self.session.flush()
        return True

    # -- figures -----------------------------------------------------------------------------

    async def ratings(self, task_id: int) -> list[int]:
        values = await self.session.scalars(
            select(Attendance.rating).where(Attendance.task_id == task_id, Attendance.rating.is_not(None)))
        return [value for value in values if value is not None]

    async def add_hours(self, volunteer_id: int, delta: float, now: datetime) -> None:
        """The volunteer's all-time total (kept after /delete_me as an anonymous figure)."""
        await self.session.execute(
            update(Volunteer).where(Volunteer.id == volunteer_id)
            .values(hours=func.round(cast(Volunteer.hours + delta, Numeric), 2), updated_at=Volunteer.updated_at)
            .execution_options(synchronize_session=False))

    async def locale_of(self, telegram_id: int) -> str | None:
        return await self.session.scalar(select(TelegramUser.locale).where(TelegramUser.telegram_id == telegram_id))


__all__ = ["AttendanceLine", "AttendanceRepository"]
