"""What the coordinator does with a call-out after sending it: stop the waves, mark it
filled, reopen it (after someone coming cancelled), message everyone coming, close it
(stand-down), and the hours of those who arrived.

Closing sends a stand-down and thanks (emergency lane) to everyone who said they were
coming (coming, arrived, standby) and records hours for those who arrived: from their
"I've arrived" to the close, rounded to a quarter of an hour, editable by the coordinator
until approved; approving adds them to the volunteers' hours, and they count for levels
and certificates like a task's (a rise in level is congratulated, bot/attendance/levels.py).
Every action is audited.
Rights (the coordinator of the call-out's region or an admin) are checked by
`may_manage`; the handlers refuse politely before calling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import html
from aiogram.utils.i18n import I18n

from bot.access.roles import UserRoles
from bot.attendance.levels import LevelNotices
from bot.callouts.cards import what_of
from bot.callouts.service import callout_subject
from bot.domain.callouts import COUNTED, LAST_WAVE, TOOK_PART, AnswerStatus, CalloutStatus
from bot.domain.delivery import DeliveryLane
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from storage.db import Database
from storage.models import Callout, CalloutHours
from storage.repositories.audit import AuditRepository
from storage.repositories.callouts import CalloutRepository
from storage.repositories.volunteers import VolunteerRepository

STANDDOWN_KIND = "callout_standdown"
MESSAGE_KIND = "callout_message"
MAX_HOURS = 24.0


def hours_between(start: datetime, end: datetime) -> float:
    """Check-in to close in hours, to the nearest quarter (never negative)."""
    hours = max((end - start).total_seconds(), 0) / 3600
    return round(hours * 4) / 4


def may_manage(callout: Callout, roles: UserRoles) -> bool:
    return roles.can_coordinate(callout.region)


@dataclass(frozen=True, slots=True)
class CloseResult:
    stood_down: int  # people told
    hours: int  # hours rows recorded


class CalloutLifecycle:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, delivery: DeliveryService) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.delivery = delivery
        self.levels = LevelNotices(i18n, delivery)
        self.on_change: Callable[[int], None] = lambda callout_id: None

    async def _set(self, callout_id: int, actor: int, action: str, status: CalloutStatus,
                   when: tuple[CalloutStatus, ...], **values: object) -> bool:
        now = self.clock.now()
        async with self.db.session() as session:
            changed = await CalloutRepository(session).set_status(callout_id, status, when=when, **values)
            AuditRepository(session).record(at=now, actor=actor, action=action, allowed=True, target=str(callout_id),
                                            details={"changed": changed})
        if changed:
            self.on_change(callout_id)
        return changed

    async def stop_waves(self, callout_id: int, actor: int) -> bool:
        return await self._set(callout_id, actor, "callout.stop_waves", CalloutStatus.OPEN, (CalloutStatus.OPEN,),
                               waves_stopped=True, next_wave_at=None)

    async def mark_filled(self, callout_id: int, actor: int) -> bool:
        return await self._set(callout_id, actor, "callout.filled", CalloutStatus.FILLED, (CalloutStatus.OPEN,),
                               filled_at=self.clock.now(), next_wave_at=None)

    async def reopen(self, callout_id: int, actor: int) -> bool:
        """Filled -> open; the next wave (if any is left and waves are not stopped) is due
        after the call-out's wait."""
        async with self.db.read() as session:
            callout = await CalloutRepository(session).get(callout_id)
        if callout is None:
            return False
        next_at = None
        if callout.wave < LAST_WAVE and not callout.waves_stopped:
            next_at = self.clock.now() + timedelta(minutes=callout.wave_wait_minutes)
        return await self._set(callout_id, actor, "callout.reopen", CalloutStatus.OPEN, (CalloutStatus.FILLED,),
                               filled_at=None, next_wave_at=next_at)

    async def close(self, callout_id: int, actor: int) -> CloseResult | None:
        """Stand everyone down and record hours; None if it was closed already."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CalloutRepository(session)
            callout = await repo.get(callout_id)
            if callout is None or not await repo.set_status(
                    callout_id, CalloutStatus.CLOSED, when=(CalloutStatus.OPEN, CalloutStatus.FILLED),
                    closed_at=now, next_wave_at=None):
                return None
            people = await repo.people(callout_id, TOOK_PART)
            hours = [CalloutHours(callout_id=callout_id, volunteer_id=row.id, checked_in_at=row.arrived_at,
                                  checked_out_at=now, hours=hours_between(row.arrived_at, now))
                     for row in people if row.status == AnswerStatus.ARRIVED and row.arrived_at is not None]
            await repo.add_hours(hours)
            messages = [OutgoingMessage(row.telegram_id, self._standdown(callout, row.locale), None, row.id)
                        for row in people if row.telegram_id is not None]
            if messages:
                await self.delivery.add_broadcast(
                    session, STANDDOWN_KIND, DeliveryLane.EMERGENCY, actor, messages, title=callout.text,
                    key=f"callout:{callout_id}:standdown", subject=callout_subject(callout_id))
                self.delivery.wake_after_commit(session, DeliveryLane.EMERGENCY)
            AuditRepository(session).record(at=now, actor=actor, action="callout.close", allowed=True,
                                            target=str(callout_id),
                                            details={"stood_down": len(messages), "hours": len(hours)})
        self.on_change(callout_id)
        return CloseResult(len(messages), len(hours))

    async def close_of_emergency(self, emergency_id: int, actor: int) -> int:
        """Close every call-out still live in an emergency that is being closed."""
        async with self.db.read() as session:
            live = await CalloutRepository(session).live_of_emergency(emergency_id)
        closed = 0
        for callout in live:
            if await self.close(callout.id, actor) is not None:
                closed += 1
        return closed

    async def message_coming(self, callout_id: int, actor: int, text: str) -> int:
        """The coordinator's message to everyone coming or arrived; returns how many."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CalloutRepository(session)
            callout = await repo.get(callout_id)
            if callout is None or callout.status == CalloutStatus.CLOSED:
                return 0
            people = await repo.people(callout_id, COUNTED)
            messages = [OutgoingMessage(row.telegram_id, self._message(callout, text, row.locale), None, row.id)
                        for row in people if row.telegram_id is not None]
            if messages:
                await self.delivery.add_broadcast(
                    session, MESSAGE_KIND, DeliveryLane.EMERGENCY, actor, messages, title=callout.text,
                    subject=callout_subject(callout_id))
                self.delivery.wake_after_commit(session, DeliveryLane.EMERGENCY)
            AuditRepository(session).record(at=now, actor=actor, action="callout.message", allowed=True,
                                            target=str(callout_id), details={"recipients": len(messages)})
        return len(messages)

    # --- hours ----------------------------------------------------------------------------

    async def hours_of(self, callout_id: int) -> list[tuple[CalloutHours, str | None]]:
        async with self.db.read() as session:
            return await CalloutRepository(session).hours_of(callout_id)

    async def set_hours(self, hours_id: int, callout_id: int, actor: int, hours: float) -> CalloutHours | None:
        """Change one person's hours on this call-out; None when approved already (or unknown)."""
        now = self.clock.now()
        async with self.db.session() as session:
            row = await CalloutRepository(session).get_hours(hours_id)
            if row is None or row.callout_id != callout_id or row.approved_at is not None:
                return None
            before = row.hours
            row.hours = hours
            AuditRepository(session).record(at=now, actor=actor, action="callout.hours.edit", allowed=True,
                                            target=str(row.callout_id),
                                            details={"volunteer": row.volunteer_id, "from": before, "to": hours})
            await session.flush()
            return row

    async def approve_hours(self, callout_id: int, actor: int) -> int:
        """Approve every unapproved row: the hours are added to the volunteers' totals, and
        anyone whose level they raise is congratulated in the same transaction."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CalloutRepository(session)
            pending = await repo.unapproved_hours(callout_id)
            before = {row.volunteer_id: await self.levels.level_now(session, row.volunteer_id) for row in pending}
            approved = await repo.approve_hours(pending, actor, now)
            people = VolunteerRepository(session)
            congratulated = 0
            for row in approved:
                volunteer = await people.by_id(row.volunteer_id)
                if volunteer is not None and await self.levels.after_change(session, volunteer,
                                                                            before[row.volunteer_id]):
                    congratulated += 1
            if congratulated:
                self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
            AuditRepository(session).record(at=now, actor=actor, action="callout.hours.approve", allowed=True,
                                            target=str(callout_id),
                                            details={"approved": len(approved), "levels": congratulated})
        return len(approved)

    def _standdown(self, callout: Callout, locale: str | None) -> str:
        locale = locale or self.i18n.default_locale
        return "🏁 " + self.i18n.gettext(
            "Stand down: the call-out “{what}” is closed. Thank you for answering so quickly!", locale=locale,
        ).format(what=html.quote(what_of(self.i18n, callout, locale)))

    def _message(self, callout: Callout, text: str, locale: str | None) -> str:
        locale = locale or self.i18n.default_locale
        header = self.i18n.gettext("Message from the coordinator of the call-out “{what}”:", locale=locale)
        return "📣 " + header.format(what=html.quote(what_of(self.i18n, callout, locale))) + "\n\n" + html.quote(text)
