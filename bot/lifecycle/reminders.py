"""Reminders to volunteers, and their answers.

Each sign-up holding a place ("going") on a task starting within PLAN_AHEAD gets one row
per reminder kind (bot/domain/reminders.py has the times), written by the lifecycle
pass: pending if it falls due after the person got their place, skipped otherwise (a
late sign-up gets only the reminders still ahead). A later pass finds the due rows,
drops those no longer useful (cancelled task or sign-up, task started, past its use:
logged), and queues the rest in the delivery engine (personal lane), marking the rows
sent in the same transaction: a row is queued once, and the engine sends it once.

Answers: "Yes, I'm coming" records the confirmation (signups.confirmed_at); "I can't"
(after a confirmation) cancels the sign-up through the sign-up service, which frees the
place and offers it to the waitlist at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n

from bot.domain.delivery import DeliveryLane
from bot.domain.reminders import PLAN_AHEAD, ReminderKind, ReminderState, reminder_due, send_moment, useful_until
from bot.domain.signups import Outcome, SignupStatus
from bot.domain.tasks import open_for_signups
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.lifecycle.texts import LifeTexts
from bot.tasks.signups import Result, SignupService
from storage.db import Database
from storage.models import Task
from storage.repositories.lifecycle import DueReminder, LifecycleRepository

log = logging.getLogger(__name__)

REMINDER_KIND = "reminder"  # the delivery engine's broadcast kind
PLAN_BATCH = 2000


class _Raced(Exception):
    pass


@dataclass(slots=True)
class ReminderPass:
    planned: int = 0
    queued: int = 0
    dropped: int = 0
    held_until: datetime | None = None
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Coordinator:
    telegram_id: int
    name: str


class ReminderService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, tz: ZoneInfo, delivery: DeliveryService,
                 signups: SignupService, texts: LifeTexts) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.tz = tz
        self.delivery = delivery
        self.signups = signups
        self.texts = texts

    # -- the pass ---------------------------------------------------------------------------

    async def plan(self) -> int:
        """Write the reminder rows of new sign-ups (a transaction per PLAN_BATCH sign-ups,
        so people pressing buttons never wait long); move those of tasks whose start changed."""
        now = self.clock.now()
        planned = 0
        while True:
            async with self.db.session() as session:
                repo = LifecycleRepository(session)
                batch = await repo.unplanned_signups(now, now + PLAN_AHEAD, PLAN_BATCH)
                rows = []
                for new in batch:
                    for kind in ReminderKind:
                        due = reminder_due(kind, new.starts_at, self.tz)
                        state = ReminderState.PENDING if due > new.placed_at else ReminderState.SKIPPED
                        rows.append({"signup_id": new.signup_id, "task_id": new.task_id, "kind": kind,
                                     "due_at": due, "planned_start": new.starts_at, "state": state,
                                     "created_at": now, "done_at": None if state == ReminderState.PENDING else now})
                await repo.add_reminders(rows)
            planned += len(rows)
            if len(batch) < PLAN_BATCH:
                break
        async with self.db.session() as session:
            repo = LifecycleRepository(session)
            for reminder, starts_at in await repo.moved_reminders():
                await repo.replan_reminder(reminder.id, reminder_due(reminder.kind, starts_at, self.tz), starts_at)
        return planned

    async def send_due(self, batch: int = 5000) -> ReminderPass:
        """Queue every due reminder that is still useful; drop the others (logged). In
        transactions of up to `batch` reminders, until none is due."""
        total = ReminderPass()
        while True:
            try:
                done = await self._send_due(batch)
            except _Raced:  # another pass took some of the rows: this batch queued nothing
                log.warning("reminders: a concurrent pass took the same rows; nothing queued twice")
                return total
            total.queued += done.queued
            total.dropped += done.dropped
            total.held_until = done.held_until or total.held_until
            for kind, count in done.by_kind.items():
                total.by_kind[kind] = total.by_kind.get(kind, 0) + count
            if done.queued + done.dropped < batch:
                return total

    async def _send_due(self, limit: int) -> ReminderPass:
        now = self.clock.now()
        stats = ReminderPass()
        async with self.db.read() as session:  # read: plain rows, then the tasks
            repo = LifecycleRepository(session)
            due = await repo.due_reminders(now, limit)
            if not due:
                return stats
            tasks = await repo.tasks_by_id([item.task_id for item in due])
            names = await repo.names_by_telegram_id([task.coordinator_telegram_id for task in tasks.values()])
        # One broadcast per pass (a person with two reminders in one pass: a second one,
        # since a broadcast holds a chat once); a broadcast per task would cost a
        # few queries per task when thousands are due at once.
        layers: list[dict[int, OutgoingMessage]] = []
        pins: list[dict[int, OutgoingMessage]] = []  # location pins, after the texts (a higher id each)
        sent: list[int] = []
        dropped: list[int] = []
        rendered: dict[tuple[int, str, str], tuple[str, dict[str, Any] | None]] = {}
        hold: datetime | None = None
        for item in due:
            task = tasks[item.task_id]
            reason = self._why_not(item, task, now)
            moment = None
            if reason is None:
                moment = send_moment(useful_until(item.kind, task.starts_at, self.tz), now, self.tz)
                if moment is None:
                    reason = "no longer useful"
            if reason is not None:
                log.info("reminder %s (%s, task %s, sign-up %s, due %s) dropped: %s", item.id, item.kind, task.id,
                         item.signup_id, item.due_at.isoformat(), reason)
                dropped.append(item.id)
                continue
            assert moment is not None and item.telegram_id is not None
            hold = moment if moment > now else None
            locale = item.locale or self.i18n.default_locale
            key = (task.id, item.kind, locale)
            if key not in rendered:
                coordinator = names.get(task.coordinator_telegram_id) or task.organisation
                rendered[key] = self.texts.reminder(item.kind, task, locale, coordinator)
            text, markup = rendered[key]
            layer = next((each for each in layers if item.telegram_id not in each), None)
            if layer is None:
                layer = {}
                layers.append(layer)
            layer[item.telegram_id] = OutgoingMessage(item.telegram_id, text, markup, item.volunteer_id)
            pin = self.texts.pin(task) if item.kind == ReminderKind.TWO_HOURS else None
            if pin is not None:
                pin_layer = next((each for each in pins if item.telegram_id not in each), None)
                if pin_layer is None:
                    pin_layer = {}
                    pins.append(pin_layer)
                pin_layer[item.telegram_id] = OutgoingMessage(item.telegram_id, "📍 " + pin["address"],
                                                              volunteer_id=item.volunteer_id, venue=pin)
            sent.append(item.id)
            stats.by_kind[item.kind] = stats.by_kind.get(item.kind, 0) + 1
        async with self.db.session() as session:  # write: the queue rows and the states together
            repo = LifecycleRepository(session)
            stats.queued = await repo.finish_reminders(sent, ReminderState.SENT, now)
            stats.dropped = await repo.finish_reminders(dropped, ReminderState.DROPPED, now)
            if stats.queued != len(sent):
                raise _Raced  # rolls the whole transaction back
            for layer in [*layers, *pins]:
                await self.delivery.add_broadcast(session, REMINDER_KIND, DeliveryLane.PERSONAL, None,
                                                  list(layer.values()), not_before=hold)
            stats.held_until = hold
            self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
        return stats

    def _why_not(self, item: DueReminder, task: Task, now: datetime) -> str | None:
        if not task.status.accepts_signups:
            return f"task is {task.status.value}"
        if task.starts_at <= now:
            return "task has started"
        if item.signup_status != SignupStatus.GOING:
            return f"sign-up is {item.signup_status}"
        if item.telegram_id is None or item.deleted_at is not None:
            return "volunteer cannot be reached"
        return None

    async def _coordinator_name(self, repo: LifecycleRepository, task: Task) -> str | None:
        person = await repo.volunteer_by_telegram_id(task.coordinator_telegram_id)
        if person is not None and person.full_name and person.deleted_at is None:
            return person.full_name
        return task.organisation

    # -- answers ----------------------------------------------------------------------------

    async def confirm(self, task_id: int, telegram_id: int) -> Result:
        """"Yes, I'm coming"."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = LifecycleRepository(session)
            volunteer = await repo.volunteer_by_telegram_id(telegram_id)
            task = await repo.task(task_id)
            if task is None:
                return Result(Outcome.MISSING)
            if volunteer is None or not volunteer.is_registered:
                return Result(Outcome.NOT_REGISTERED, task)
            signup = await repo.signup_of(task_id, volunteer.id)
            if signup is None or signup.status != SignupStatus.GOING:
                return Result(Outcome.NOT_SIGNED_UP, task, signup.status if signup else None)
            if not open_for_signups(task.status, task.starts_at, now):
                return Result(Outcome.CLOSED, task, signup.status)
            if not await repo.confirm(signup.id, now):
                return Result(Outcome.ALREADY, task, SignupStatus.GOING)
            return Result(Outcome.CONFIRMED, task, SignupStatus.GOING)

    async def may_cancel(self, task_id: int, telegram_id: int) -> Result:
        """May this person answer "I can't" now (before the confirmation is asked)?"""
        status = await self.signups.status_of(task_id, telegram_id)
        task = await self.signups.task(task_id)
        if task is None:
            return Result(Outcome.MISSING)
        if status != SignupStatus.GOING:
            return Result(Outcome.NOT_SIGNED_UP, task, status)
        if not open_for_signups(task.status, task.starts_at, self.clock.now()):
            return Result(Outcome.CLOSED, task, status)
        return Result(Outcome.ALREADY, task, status)

    async def cant(self, task_id: int, telegram_id: int) -> Result:
        """"I can't", confirmed: the sign-up is cancelled, the place offered to the waitlist."""
        check = await self.may_cancel(task_id, telegram_id)
        if check.outcome != Outcome.ALREADY:
            return check
        return await self.signups.cancel(task_id, telegram_id)

    async def coordinator_for(self, task_id: int, telegram_id: int) -> Coordinator | None:
        """The task's coordinator, for someone signed up for it (going or confirmed)."""
        async with self.db.read() as session:
            repo = LifecycleRepository(session)
            volunteer = await repo.volunteer_by_telegram_id(telegram_id)
            task = await repo.task(task_id)
            if volunteer is None or task is None or not task.status.is_live:
                return None
            signup = await repo.signup_of(task_id, volunteer.id)
            if signup is None or signup.status != SignupStatus.GOING:
                return None
            name = await self._coordinator_name(repo, task)
        return Coordinator(task.coordinator_telegram_id, name or "")
