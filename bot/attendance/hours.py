"""After a task: attendance is written at its end (a scheduler job), the coordinator
approves hours (all in one tap, or one person's corrected), approved hours go to the
volunteer's totals, and the volunteer gets a thank-you with their hours and an optional
rating of the task (1-5), through the delivery engine (lane personal, their language).

`close_due()` reads what is due from the database on each run (tasks past their end,
not cancelled, without a `task_closings` row) and writes each task's attendance in one
transaction with that row, so a restart or a second run writes nothing twice. The
volunteer's thank-you has a delivery key per attendance row: it goes out once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.callbacks import AttendanceCb, CheckinCb
from bot.attendance.format import format_hours
from bot.attendance.levels import LevelNotices
from bot.attendance.walkins import attend_present
from bot.domain.attendance import (
    RATINGS,
    AttendanceOutcome,
    MarkOutcome,
    average,
    hours_for,
    outcome,
    task_has_ended,
)
from bot.domain.delivery import DeliveryLane
from bot.domain.signups import SignupStatus
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService
from bot.infra.i18n import LocalTime
from storage.db import Database
from storage.models import Attendance, Task, Volunteer
from storage.repositories.attendance import AttendanceRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.figures import FiguresRepository
from storage.repositories.signups import SignupRepository
from storage.repositories.volunteers import VolunteerRepository
from storage.repositories.walkins import WalkInRepository

log = logging.getLogger(__name__)

CLOSE_DUE_EVERY_SECONDS = 60


class Totals(NamedTuple):
    """A volunteer's figures for /profile."""

    year_hours: float  # approved, this local year (storage/repositories/figures.py)
    tasks: int  # tasks and call-outs with approved hours, ever
    all_hours: float  # approved, ever


@dataclass(frozen=True, slots=True)
class HoursSheet:
    task: Task
    closed: bool  # the attendance has been written
    rows: list[tuple[Attendance, Volunteer]]
    rating: float | None
    ratings: int


class HoursService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, local_time: LocalTime,
                 delivery: DeliveryService) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.local_time = local_time
        self.delivery = delivery
        self.levels = LevelNotices(i18n, delivery)

    # -- the scheduler -----------------------------------------------------------------

    async def close_due(self) -> int:
        """Write the attendance of every task that has ended; returns how many tasks."""
        now = self.clock.now()
        async with self.db.read() as session:
            due = await AttendanceRepository(session).ended_unclosed(now)
        closed = 0
        for task in due:
            if task_has_ended(task.status, task.ends_at, now) and await self.close(task.id):
                closed += 1
        return closed

    async def close(self, task_id: int) -> bool:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = AttendanceRepository(session)
            task = await SignupRepository(session).task(task_id)
            if task is None or not task_has_ended(task.status, task.ends_at, now):
                return False
            if not await repo.close(task.id, now):
                return False
            counts = {kind: 0 for kind in AttendanceOutcome}
            walk_ins = await WalkInRepository(session).accepted_ids(task.id)  # present, with or without a place
            for volunteer_id in sorted(walk_ins):
                accepted = await repo.row_for(task.id, volunteer_id, now)
                attend_present(accepted, task)
                accepted.updated_at = now
                counts[AttendanceOutcome.ATTENDED] += 1
            for signup, row in await repo.signups_with_rows(task.id):
                if signup.volunteer_id in walk_ins:
                    continue
                going = signup.status == SignupStatus.GOING
                result = outcome(
                    going=going, checked_in=row is not None and row.checked_in_at is not None,
                    mark=row.mark if row is not None else None,
                    cancelled_at=row.cancelled_at if row is not None and signup.status == SignupStatus.CANCELLED
                    else None,
                    starts_at=task.starts_at)
                if result is None:
                    continue
                row = row or await repo.row_for(task.id, signup.volunteer_id, now)
                if row.checked_in_at is not None and row.checked_out_at is None:
                    row.checked_out_at = task.ends_at  # no check-out: out at the end
                row.outcome = result
                row.hours = hours_for(starts_at=task.starts_at, ends_at=task.ends_at, checked_in_at=row.checked_in_at,
                                      checked_out_at=row.checked_out_at, mark=row.mark) \
                    if result == AttendanceOutcome.ATTENDED else 0.0
                row.updated_at = now
                counts[result] += 1
            await self._tell_coordinator(session, repo, task, counts)
        log.info("attendance written for task %s: %s", task_id, {str(k): v for k, v in counts.items()})
        return True

    # -- the coordinator ---------------------------------------------------------------

    async def sheet(self, task: Task) -> HoursSheet:
        async with self.db.read() as session:
            repo = AttendanceRepository(session)
            closed = await repo.is_closed(task.id)
            rows = await repo.recorded(task.id) if closed else []
            ratings = await repo.ratings(task.id)
        return HoursSheet(task, closed, rows, average(ratings), len(ratings))

    async def approve_all(self, task: Task, actor_id: int) -> int:
        """Approve the hours of everyone who attended and is not approved yet; returns how many."""
        now = self.clock.now()
        approved: list[tuple[Attendance, Volunteer]] = []
        async with self.db.session() as session:
            repo = AttendanceRepository(session)
            if not await repo.is_closed(task.id):
                return 0
            for row, volunteer in await repo.recorded(task.id):
                if row.outcome != AttendanceOutcome.ATTENDED or row.approved_at is not None:
                    continue
                await self._approve(session, repo, task, row, volunteer, row.hours or 0.0, actor_id, now)
                approved.append((row, volunteer))
            AuditRepository(session).record(at=now, actor=actor_id, action="attendance.approve", allowed=True,
                                            target=str(task.id), details={"approved": len(approved)})
        if approved:
            self.delivery.wake(DeliveryLane.PERSONAL)
        return len(approved)

    async def correct(self, task: Task, volunteer_id: int, hours: float, actor_id: int) -> MarkOutcome:
        """Set one person's hours and approve them (an approved total changes by the difference)."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = AttendanceRepository(session)
            if not await repo.is_closed(task.id):
                return MarkOutcome.NOT_ENDED
            row = await repo.row(task.id, volunteer_id)
            volunteer = await VolunteerRepository(session).by_id(volunteer_id)
            if row is None or volunteer is None or row.outcome != AttendanceOutcome.ATTENDED:
                return MarkOutcome.NOT_ATTENDED
            before = row.approved_hours
            row.hours = hours
            if before is None:
                await self._approve(session, repo, task, row, volunteer, hours, actor_id, now)
            else:
                level_before = await self.levels.level_now(session, volunteer_id)
                row.approved_hours = hours
                row.approved_at, row.approved_by, row.updated_at = now, actor_id, now
                await repo.add_hours(volunteer_id, round(hours - before, 2), now)
                await self.levels.after_change(session, volunteer, level_before)
            AuditRepository(session).record(at=now, actor=actor_id, action="attendance.correct", allowed=True,
                                            target=str(task.id),
                                            details={"volunteer": volunteer_id, "hours": hours, "before": before})
        self.delivery.wake(DeliveryLane.PERSONAL)
        return MarkOutcome.DONE

    # -- the volunteer -----------------------------------------------------------------

    async def rate(self, task_id: int, telegram_id: int, stars: int) -> MarkOutcome:
        """A one-tap rating of a task the person attended (their hours approved)."""
        now = self.clock.now()
        async with self.db.session() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or stars not in RATINGS:
                return MarkOutcome.NOT_ATTENDED
            row = await AttendanceRepository(session).row(task_id, volunteer.id)
            if row is None or row.outcome != AttendanceOutcome.ATTENDED or row.approved_at is None:
                return MarkOutcome.NOT_ATTENDED
            row.rating, row.rated_at, row.updated_at = stars, now, now
            return MarkOutcome.DONE

    async def totals(self, telegram_id: int) -> Totals | None:
        """Approved hours this year (tasks by their local start, call-outs by the check-in),
        tasks and call-outs done and hours of all time (what the level counts), or None for
        someone not registered. The rule is FiguresRepository.approved."""
        local_now = self.local_time.local(self.clock.now())
        since = local_now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        until = since.replace(year=since.year + 1)
        async with self.db.read() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None:
                return None
            figures = FiguresRepository(session)
            year = await figures.approved(volunteer.id, since, until)
            ever = await figures.approved(volunteer.id)
            return Totals(year.hours, ever.done, ever.hours)

    # -- internals ---------------------------------------------------------------------

    async def _approve(self, session: AsyncSession, repo: AttendanceRepository, task: Task, row: Attendance,
                       volunteer: Volunteer, hours: float, actor_id: int, now: datetime) -> None:
        level_before = await self.levels.level_now(session, volunteer.id)
        row.approved_hours = hours
        row.approved_at, row.approved_by, row.updated_at = now, actor_id, now
        await repo.add_hours(volunteer.id, hours, now)
        if volunteer.telegram_id is not None and volunteer.is_registered:
            locale = self._locale(volunteer.locale)
            await self.delivery.add_one(session, volunteer.telegram_id, self._thanks_text(task, hours, locale),
                                        lane=DeliveryLane.PERSONAL, reply_markup=self._rating_markup(task, locale),
                                        volunteer_id=volunteer.id, key=f"attendance:{row.id}:thanks")
        await self.levels.after_change(session, volunteer, level_before)  # after the thanks

    async def _tell_coordinator(self, session: AsyncSession, repo: AttendanceRepository, task: Task,
                                counts: dict[AttendanceOutcome, int]) -> None:
        chat = task.coordinator_telegram_id
        locale = self._locale(await repo.locale_of(chat))
        lines = [
            "🏁 " + self._t("The task is over; attendance is recorded.", locale),
            "",
            "<b>" + html.quote(task.title) + "</b>",
            html.quote(self.local_time.span(task.starts_at, task.ends_at, locale)),
            "",
            self._t("Attended: {count}", locale).format(count=counts[AttendanceOutcome.ATTENDED]),
            self._t("Did not come: {count}", locale).format(count=counts[AttendanceOutcome.NO_SHOW]),
            self._t("Cancelled late: {count}", locale).format(count=counts[AttendanceOutcome.CANCELLED_LATE]),
            "",
            self._t("Approve the hours in one tap, or correct someone's.", locale),
        ]
        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text="🕒 " + self._t("Hours", locale), callback_data=AttendanceCb(action="hours", task_id=task.id).pack())]])
        await self.delivery.add_one(session, chat, "\n".join(lines), lane=DeliveryLane.PERSONAL, reply_markup=markup,
                                    key=f"task:{task.id}:attendance")
        self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)

    def _thanks_text(self, task: Task, hours: float, locale: str) -> str:
        return "\n".join([
            "🙏 " + self._t("Thank you for your help!", locale),
            "",
            "<b>" + html.quote(task.title) + "</b>",
            html.quote(self.local_time.span(task.starts_at, task.ends_at, locale)),
            self._t("Hours counted: {hours}", locale).format(hours=format_hours(hours, locale)),
            "",
            self._t("How was it? Rate the task if you like:", locale),
        ])

    def _rating_markup(self, task: Task, locale: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=f"{stars}⭐", callback_data=CheckinCb(action="rate", task_id=task.id,
                                                                          stars=stars).pack())
            for stars in RATINGS
        ]])

    def _locale(self, locale: str | None) -> str:
        return locale if locale in self.i18n.available_locales else self.i18n.default_locale

    def _t(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)
