"""Tasks on the coordinator's side: create, list, roster, change time or place, cancel,
and tell the people signed up about it through the delivery engine (lane personal),
each in their own language.

Rights are not decided here: handlers check them with `can_manage` / `can_see_phones`
(which ask bot.access.roles.UserRoles, the one place for roles) before calling in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from aiogram import html
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.access.roles import UserRoles
from bot.domain.delivery import DeliveryLane
from bot.domain.people import needs_guardian
from bot.domain.signups import ACTIVE_SIGNUPS, HOLDS_SLOT, SignupStatus
from bot.domain.tasks import CANCELLABLE_STATUSES, TaskStatus
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.infra.i18n import LocalTime
from bot.tasks.drafts import TaskDraft
from bot.tasks.offers import OFFER_KIND, task_subject
from storage.db import Database
from storage.models import Task
from storage.repositories.audit import AuditRepository
from storage.repositories.coordinator_tasks import (
    CoordinatorTaskRepository,
    Recipient,
    RosterRow,
    TaskCounts,
)

PAGE_SIZE = 10


NOTIFY_KIND = "task_change"
MESSAGE_KIND = "task_message"


def can_manage(roles: UserRoles, task: Task) -> bool:
    """May this person open and change the task: its owner (still a coordinator) or a
    coordinator of its region (admins coordinate every region)."""
    owner = task.coordinator_telegram_id == roles.telegram_id and roles.is_coordinator
    return owner or roles.can_coordinate(task.region)


def can_see_phones(roles: UserRoles, task: Task) -> bool:
    """Phone numbers in a roster: only coordinators of the task's region (and admins)."""
    return roles.can_coordinate(task.region)


@dataclass(frozen=True, slots=True)
class Change:
    """The result of a change: the task as it is now and how many people were told."""

    task: Task
    notified: int


class TaskService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, local_time: LocalTime, delivery: DeliveryService) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.local_time = local_time
        self.delivery = delivery

    # --- reading ------------------------------------------------------------------------

    async def get(self, task_id: int) -> Task | None:
        async with self.db.read() as session:
            return await CoordinatorTaskRepository(session).get(task_id)

    async def list_for_coordinator(self, coordinator_id: int, page: int = 0) -> tuple[list[TaskCounts], int]:
        """A page of the coordinator's tasks with counts (upcoming first), and the total."""
        async with self.db.read() as session:
            return await CoordinatorTaskRepository(session).list_of_coordinator(
                coordinator_id, self.clock.now(), offset=max(page, 0) * PAGE_SIZE, limit=PAGE_SIZE
            )

    async def counts(self, task_id: int) -> tuple[int, int]:
        """(signed up, holding a slot; waitlisted)."""
        async with self.db.read() as session:
            return await CoordinatorTaskRepository(session).counts(task_id)

    async def roster(self, task_id: int) -> list[RosterRow]:
        """Everyone signed up or waitlisted. The guardian fields stay filled only for
        volunteers who are minors this year (an adult's old guardian is nobody's business);
        who may see phones at all is the handler's check (`can_see_phones`)."""
        year = self.local_time.local(self.clock.now()).year
        async with self.db.read() as session:
            rows = await CoordinatorTaskRepository(session).roster(task_id)
        return [
            row if row.birth_year is not None and needs_guardian(row.birth_year, year)
            else replace(row, guardian_name=None, guardian_phone=None, guardian_consent_at=None)
            for row in rows
        ]

    # --- writing ------------------------------------------------------------------------

    async def create(self, draft: TaskDraft, coordinator_id: int) -> Task:
        """An open task from a complete draft (the handler has checked the region scope)."""
        if not draft.complete:
            raise ValueError(f"incomplete task draft: missing {', '.join(draft.missing())}")
        assert draft.starts_at is not None and draft.ends_at is not None and draft.slots is not None
        now = self.clock.now()
        task = Task(
            title=draft.title,
            description=draft.description or "",
            direction=draft.direction,
            region=draft.region,
            place=draft.place,
            latitude=draft.latitude,
            longitude=draft.longitude,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            slots=draft.slots,
            taken=0,
            required_skills=list(draft.required_skills),
            min_age=draft.min_age,
            organisation=draft.organisation,
            coordinator_telegram_id=coordinator_id,
            status=TaskStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        async with self.db.session() as session:
            CoordinatorTaskRepository(session).add(task)
            await session.flush()
            AuditRepository(session).record(
                at=now, actor=coordinator_id, action="task.create", allowed=True, target=str(task.id),
                details={"region": task.region, "slots": task.slots},
            )
        return task

    async def change_time(self, task_id: int, starts_at: datetime, ends_at: datetime, actor_id: int) -> Change | None:
        """New start and end; everyone holding a place is told. None if the task is no
        longer live (cancelled or done)."""
        if ends_at <= starts_at:
            raise ValueError("the end must be after the start")
        return await self._change(task_id, actor_id, "time", starts_at=starts_at, ends_at=ends_at)

    async def change_place(
        self, task_id: int, place: str | None, latitude: float | None, longitude: float | None, actor_id: int
    ) -> Change | None:
        if not place and latitude is None:
            raise ValueError("a place needs an address or a location")
        return await self._change(task_id, actor_id, "place", place=place, latitude=latitude, longitude=longitude)

    async def _change(self, task_id: int, actor_id: int, what: str, **values: object) -> Change | None:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CoordinatorTaskRepository(session)
            task = await repo.get_for_update(task_id)
            if task is None or not task.status.is_live:
                return None
            for name, value in values.items():
                setattr(task, name, value)
            task.updated_at = now
            AuditRepository(session).record(
                at=now, actor=actor_id, action=f"task.edit.{what}", allowed=True, target=str(task_id)
            )
            recipients = await repo.recipients(task_id, HOLDS_SLOT)
            messages = [
                OutgoingMessage(r.telegram_id, self._change_text(task, what, r.locale), volunteer_id=r.volunteer_id)
                for r in recipients
            ]
            # Each change is its own broadcast (two changes in the same instant must both be
            # told); a redelivered update cannot repeat it: the dialog is closed before this.
            await self._queue(session, NOTIFY_KIND, actor_id, messages, task,
                              key=f"task:{task_id}:{what}:{secrets.token_hex(8)}")
        self._wake(messages)
        return Change(task, len(messages))

    async def cancel(self, task_id: int, actor_id: int) -> Change | None:
        """Cancel for good: everyone signed up, offered a place or on the waitlist is told.
        None if it was already cancelled or done (a second press changes nothing)."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CoordinatorTaskRepository(session)
            if not await repo.set_status(task_id, TaskStatus.CANCELLED, only_from=CANCELLABLE_STATUSES, now=now):
                return None
            task = await repo.get(task_id)
            assert task is not None
            await session.refresh(task)
            # Cards not sent yet (e.g. held for the quiet hours) must not go out any more.
            withdrawn = await self.delivery.withdraw(session, task_subject(task_id), OFFER_KIND)
            AuditRepository(session).record(
                at=now, actor=actor_id, action="task.cancel", allowed=True, target=str(task_id),
                details={"withdrawn_cards": withdrawn},
            )
            recipients = await repo.recipients(task_id, ACTIVE_SIGNUPS)
            messages = [
                OutgoingMessage(r.telegram_id, self._cancel_text(task, r), volunteer_id=r.volunteer_id)
                for r in recipients
            ]
            await self._queue(session, NOTIFY_KIND, actor_id, messages, task, key=f"task:{task_id}:cancel")
        self._wake(messages)
        return Change(task, len(messages))

    async def message_signed_up(self, task_id: int, actor_id: int, text: str, key: str) -> Change | None:
        """Send the coordinator's text (plain text, escaped here) to everyone holding a
        place, with the task's title as a header. `key` makes a repeated confirm send
        nothing new. None if the task is no longer live."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CoordinatorTaskRepository(session)
            task = await repo.get(task_id)
            if task is None or not task.status.is_live:
                return None
            AuditRepository(session).record(
                at=now, actor=actor_id, action="task.message", allowed=True, target=str(task_id),
                details={"length": len(text)},
            )
            recipients = await repo.recipients(task_id, HOLDS_SLOT)
            messages = [
                OutgoingMessage(r.telegram_id, self._message_text(task, text, r.locale), volunteer_id=r.volunteer_id)
                for r in recipients
            ]
            await self._queue(session, MESSAGE_KIND, actor_id, messages, task, key=f"task:{task_id}:msg:{key}"[:100])
        self._wake(messages)
        return Change(task, len(messages))

    async def recipients(self, task_id: int, statuses: tuple[SignupStatus, ...] = HOLDS_SLOT) -> list[Recipient]:
        async with self.db.read() as session:
            return await CoordinatorTaskRepository(session).recipients(task_id, statuses)

    # --- notifications ----------------------------------------------------------------

    async def _queue(
        self, session: AsyncSession, kind: str, actor_id: int, messages: list[OutgoingMessage], task: Task, *, key: str
    ) -> None:
        """Queue the notifications in the change's own transaction: a crash can never
        keep the change and lose the news of it."""
        if messages:
            await self.delivery.add_broadcast(
                session, kind, DeliveryLane.PERSONAL, actor_id, messages, title=task.title, key=key,
                subject=task_subject(task.id),
            )

    def _wake(self, messages: list[OutgoingMessage]) -> None:
        if messages:
            self.delivery.wake(DeliveryLane.PERSONAL)

    def _locale(self, locale: str | None) -> str:
        return locale if locale in self.i18n.available_locales else self.i18n.default_locale

    def _t(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)

    def _header(self, task: Task, locale: str) -> str:
        return "<b>" + html.quote(task.title) + "</b>"

    def _where(self, task: Task, locale: str) -> str:
        if task.place:
            where = html.quote(task.place)
        else:
            where = self._t("location pin", locale)
        if task.latitude is not None and task.longitude is not None:
            if task.place:
                where += " "
            where += f"(📍 {task.latitude:.5f}, {task.longitude:.5f})"
        return where

    def _change_text(self, task: Task, what: str, locale: str | None) -> str:
        loc = self._locale(locale)
        when = html.quote(self.local_time.span(task.starts_at, task.ends_at, loc))
        if what == "time":
            lines = [
                "🕒 " + self._t("The time of a task you signed up for has changed.", loc),
                "",
                self._header(task, loc),
                self._t("New time: {when}", loc).format(when=when),
                self._t("Place: {place}", loc).format(place=self._where(task, loc)),
            ]
        else:
            lines = [
                "📍 " + self._t("The place of a task you signed up for has changed.", loc),
                "",
                self._header(task, loc),
                self._t("New place: {place}", loc).format(place=self._where(task, loc)),
                self._t("Time: {when}", loc).format(when=when),
            ]
        lines += ["", self._t("If you can no longer come, please cancel your sign-up in /my.", loc)]
        return "\n".join(lines)

    def _cancel_text(self, task: Task, recipient: Recipient) -> str:
        loc = self._locale(recipient.locale)
        when = html.quote(self.local_time.span(task.starts_at, task.ends_at, loc))
        return "\n".join(
            [
                "❌ " + self._t("A task has been cancelled by its coordinator.", loc),
                "",
                self._header(task, loc),
                self._t("Time: {when}", loc).format(when=when),
                "",
                self._t("You don't need to come. Thank you for being ready to help!", loc),
            ]
        )

    def _message_text(self, task: Task, text: str, locale: str | None) -> str:
        loc = self._locale(locale)
        return "\n".join(
            [
                "✉️ " + self._t("A message from the coordinator of the task", loc),
                self._header(task, loc),
                "",
                html.quote(text),
            ]
        )


__all__ = ["PAGE_SIZE", "Change", "TaskService", "can_manage", "can_see_phones"]
