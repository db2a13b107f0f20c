"""Check-in codes, checking in and out, the attendance roster and hand marks.

A task's code (`secrets.token_urlsafe`, 96 random bits) is made the first time its
coordinator asks for the QR code and stays the task's; it works from 1 hour before the
start to the end (bot/domain/attendance.py). A volunteer holding a confirmed place
("going") who opens it is checked in; opening it again, or "I'm leaving", checks them
out; a registered volunteer without one has the scan recorded as a walk-in for the
coordinator to decide (bot/attendance/walkins.py); anything else gets an outcome that
says why and changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.attendance import (
    AttendanceOutcome,
    CheckinOutcome,
    HandMark,
    MarkOutcome,
    WalkInStatus,
    checkin_opens,
    checkin_refusal,
    hours_for,
    outcome,
    task_is_cancelled,
)
from bot.domain.signups import SignupStatus
from bot.infra.clock import Clock
from storage.db import Database
from storage.models import Task
from storage.repositories.attendance import AttendanceLine, AttendanceRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.signups import SignupRepository
from storage.repositories.volunteers import VolunteerRepository
from storage.repositories.walkins import WalkInRepository

# What a walk-in's scan answers (bot/attendance/walkins.py: the coordinator decides).
_WALK_IN_REPLY = {WalkInStatus.PENDING: CheckinOutcome.WALK_IN, WalkInStatus.ACCEPTED: CheckinOutcome.WALK_IN_ACCEPTED,
                  WalkInStatus.DISMISSED: CheckinOutcome.NOT_SIGNED_UP}


@dataclass(frozen=True, slots=True)
class CheckResult:
    outcome: CheckinOutcome
    task: Task | None = None
    at: datetime | None = None  # the moment checked in or out (now, or the earlier one)


class CheckinService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # -- the coordinator's side --------------------------------------------------------

    async def code_for(self, task_id: int) -> str:
        """The task's check-in code, made on first use."""
        async with self.db.read() as session:
            found = await AttendanceRepository(session).code_of(task_id)
        if found is not None:
            return found
        try:
            async with self.db.session() as session:
                repo = AttendanceRepository(session)
                found = await repo.code_of(task_id)
                if found is not None:
                    return found
                code = secrets.token_urlsafe(12)
                await repo.add_code(task_id, code, self.clock.now())
                return code
        except IntegrityError:  # two taps at once: the other one's code stands
            async with self.db.read() as session:
                again = await AttendanceRepository(session).code_of(task_id)
            assert again is not None
            return again

    async def lines(self, task_id: int) -> list[AttendanceLine]:
        """Everyone holding a place, with check-in, check-out and hand mark."""
        async with self.db.read() as session:
            return await AttendanceRepository(session).lines(task_id)

    async def mark(self, task: Task, volunteer_id: int, mark: HandMark, actor_id: int) -> MarkOutcome:
        """Present or absent by hand, from the check-in window on; after the end it rewrites
        the person's outcome and hours, until their hours are approved."""
        now = self.clock.now()
        if task_is_cancelled(task.status):
            return MarkOutcome.CANCELLED
        if now < checkin_opens(task.starts_at):
            return MarkOutcome.TOO_EARLY
        async with self.db.session() as session:
            repo = AttendanceRepository(session)
            signup = await SignupRepository(session).signup(task.id, volunteer_id)
            if signup is None or signup.status != SignupStatus.GOING:
                return MarkOutcome.NOT_SIGNED_UP
            row = await repo.row_for(task.id, volunteer_id, now)
            if row.approved_at is not None:
                return MarkOutcome.APPROVED
            row.mark = mark
            row.marked_by = actor_id
            row.updated_at = now
            if await repo.is_closed(task.id):
                result = outcome(going=True, checked_in=row.checked_in_at is not None, mark=mark,
                                 cancelled_at=None, starts_at=task.starts_at)
                row.outcome = result
                row.hours = hours_for(starts_at=task.starts_at, ends_at=task.ends_at, checked_in_at=row.checked_in_at,
                                      checked_out_at=row.checked_out_at, mark=mark) \
                    if result == AttendanceOutcome.ATTENDED else 0.0
            AuditRepository(session).record(at=now, actor=actor_id, action="attendance.mark", allowed=True,
                                            target=str(task.id), details={"volunteer": volunteer_id, "mark": str(mark)})
            return MarkOutcome.DONE

    # -- the volunteer's side ------------------------------------------------------------

    async def open_code(self, code: str, telegram_id: int) -> CheckResult:
        """The deep link was opened: check in, or out when already in."""
        async with self.db.read() as session:
            task = await AttendanceRepository(session).task_by_code(code)
        if task is None:
            return CheckResult(CheckinOutcome.UNKNOWN)
        return await self._check(task, telegram_id, leaving=False)

    async def leave(self, task_id: int, telegram_id: int) -> CheckResult:
        """"I'm leaving" under the check-in reply."""
        async with self.db.read() as session:
            task = await SignupRepository(session).task(task_id)
        if task is None:
            return CheckResult(CheckinOutcome.UNKNOWN)
        return await self._check(task, telegram_id, leaving=True)

    async def _check(self, task: Task, telegram_id: int, *, leaving: bool) -> CheckResult:
        now = self.clock.now()
        async with self.db.session() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return CheckResult(CheckinOutcome.NOT_REGISTERED, task)
            repo = AttendanceRepository(session)
            existing = await repo.row(task.id, volunteer.id)
            if existing is not None and existing.checked_out_at is not None:
                return CheckResult(CheckinOutcome.ALREADY_OUT, task, existing.checked_out_at)
            refusal = checkin_refusal(task.status, task.starts_at, task.ends_at, now)
            if refusal is not None:
                return CheckResult(refusal, task)
            signup = await SignupRepository(session).signup(task.id, volunteer.id)
            if signup is None or signup.status != SignupStatus.GOING:
                if leaving:
                    return CheckResult(CheckinOutcome.NOT_SIGNED_UP, task)
                return await self._walk_in(session, task, volunteer.id, telegram_id, now)
            if leaving and (existing is None or existing.checked_in_at is None):
                return CheckResult(CheckinOutcome.UNKNOWN, task)  # "I'm leaving" comes only after a check-in
            row = existing or await repo.row_for(task.id, volunteer.id, now)
            if row.checked_in_at is None:
                if await repo.check_in(row.id, now):
                    return CheckResult(CheckinOutcome.CHECKED_IN, task, now)
            elif await repo.check_out(row.id, now):
                return CheckResult(CheckinOutcome.CHECKED_OUT, task, now)
            again = await repo.row(task.id, volunteer.id)
            assert again is not None
            if again.checked_out_at is not None:
                return CheckResult(CheckinOutcome.ALREADY_OUT, task, again.checked_out_at)
            return CheckResult(CheckinOutcome.CHECKED_IN, task, again.checked_in_at)

    async def _walk_in(self, session: AsyncSession, task: Task, volunteer_id: int, telegram_id: int,
                       now: datetime) -> CheckResult:
        """No confirmed place: the scan is recorded (the first one) for the coordinator to decide."""
        walk_in, new = await WalkInRepository(session).record(task.id, volunteer_id, now)
        if new:
            AuditRepository(session).record(at=now, actor=telegram_id, action="attendance.scan", allowed=True,
                                            target=str(task.id), details={"volunteer": volunteer_id})
        return CheckResult(_WALK_IN_REPLY[walk_in.status], task, walk_in.scanned_at)
