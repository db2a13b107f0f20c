"""Walk-ins: a registered volunteer without a confirmed place who opens a task's
check-in link while it is open is not checked in; the scan is recorded (who, when) and
shown in the coordinator's attendance roster as "scanned, not signed up". The
coordinator accepts them - they are then marked present: attended, hours as for a hand
mark - or dismisses them; each decision is audited and the person is told in their
language through the delivery engine (lane personal, once per walk-in).

Deciding again, or a forged press (no such scan), changes nothing (`MarkOutcome.DECIDED`)."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import I18n

from bot.domain.attendance import (
    AttendanceOutcome,
    HandMark,
    MarkOutcome,
    WalkInStatus,
    checkin_opens,
    hours_for,
    task_is_cancelled,
)
from bot.domain.delivery import DeliveryLane
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService
from bot.infra.i18n import LocalTime
from storage.db import Database
from storage.models import Attendance, Task
from storage.repositories.attendance import AttendanceRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.volunteers import VolunteerRepository
from storage.repositories.walkins import WalkInLine, WalkInRepository


def attend_present(row: Attendance, task: Task) -> None:
    """Write an accepted walk-in's outcome and hours (once the task's attendance is written)."""
    row.outcome = AttendanceOutcome.ATTENDED
    row.hours = hours_for(starts_at=task.starts_at, ends_at=task.ends_at, checked_in_at=row.checked_in_at,
                          checked_out_at=row.checked_out_at, mark=HandMark.PRESENT)


class WalkInService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, local_time: LocalTime,
                 delivery: DeliveryService) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.local_time = local_time
        self.delivery = delivery

    async def lines(self, task_id: int) -> list[WalkInLine]:
        async with self.db.read() as session:
            return await WalkInRepository(session).lines(task_id)

    async def decide(self, task: Task, volunteer_id: int, accept: bool, actor_id: int) -> MarkOutcome:
        now = self.clock.now()
        if task_is_cancelled(task.status):
            return MarkOutcome.CANCELLED
        if now < checkin_opens(task.starts_at):
            return MarkOutcome.TOO_EARLY
        async with self.db.session() as session:
            walk_ins = WalkInRepository(session)
            walk_in = await walk_ins.get(task.id, volunteer_id)
            status = WalkInStatus.ACCEPTED if accept else WalkInStatus.DISMISSED
            if walk_in is None or not await walk_ins.decide(walk_in.id, status, actor_id, now):
                return MarkOutcome.DECIDED
            if accept:
                repo = AttendanceRepository(session)
                row = await repo.row_for(task.id, volunteer_id, now)
                row.mark, row.marked_by, row.updated_at = HandMark.PRESENT, actor_id, now
                if await repo.is_closed(task.id) and row.approved_at is None:
                    attend_present(row, task)
            AuditRepository(session).record(at=now, actor=actor_id, action="attendance.walk_in", allowed=True,
                                            target=str(task.id),
                                            details={"volunteer": volunteer_id, "decision": str(status)})
            volunteer = await VolunteerRepository(session).by_id(volunteer_id)
            if volunteer is not None and volunteer.telegram_id is not None:
                locale = volunteer.locale if volunteer.locale in self.i18n.available_locales \
                    else self.i18n.default_locale
                await self.delivery.add_one(session, volunteer.telegram_id, self._told(task, accept, locale),
                                            lane=DeliveryLane.PERSONAL, volunteer_id=volunteer.id,
                                            key=f"walk_in:{walk_in.id}")
                self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
            return MarkOutcome.DONE

    def _told(self, task: Task, accepted: bool, locale: str) -> str:
        def _t(msgid: str) -> str:
            return self.i18n.gettext(msgid, locale=locale)

        head = "✅ " + _t("The coordinator has accepted you as present at this task.") if accepted else \
            "🙏 " + _t("The coordinator could not accept you at this task, as you were not signed up for it. "
                      "Thank you for coming all the same!")
        return "\n".join([head, "", "<b>" + html.quote(task.title) + "</b>",
                          html.quote(self.local_time.span(task.starts_at, task.ends_at, locale))])
