"""What the task's life tells coordinators.

- Six hours before the start (bot/domain/reminders.py: `notice_due`), the task's
  coordinator gets who has not confirmed, with two one-tap actions: offer their places
  (their sign-ups are cancelled through the sign-up service, which offers each place to
  the waitlist; each is told) and send the task again to matching volunteers (the
  usual broadcast: only those not sent it before).
- At 08:00 local, each coordinator with live tasks today or tomorrow gets one digest:
  places taken / needed and unconfirmed people per task, a button to each task's card.
  Nothing when there is nothing to say. One row per coordinator and day: never twice.

Messages go through the delivery engine (personal lane), in the coordinator's language."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.domain.delivery import DeliveryLane
from bot.domain.reminders import (
    PLAN_AHEAD,
    NoticeKind,
    ReminderState,
    digest_day,
    digest_window,
    notice_due,
    send_moment,
)
from bot.domain.signups import Outcome
from bot.domain.tasks import open_for_signups
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.lifecycle.texts import LifeTexts
from bot.tasks.signups import SignupService
from storage.db import Database
from storage.models import Task, Volunteer
from storage.repositories.lifecycle import LifecycleRepository

log = logging.getLogger(__name__)

DIGEST_KIND = "digest"  # the delivery engine's broadcast kind


class CoordinatorNotices:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, tz: ZoneInfo, delivery: DeliveryService,
                 signups: SignupService, texts: LifeTexts) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.tz = tz
        self.delivery = delivery
        self.signups = signups
        self.texts = texts

    # -- the 6-hours-before list --------------------------------------------------------------

    async def plan(self) -> int:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = LifecycleRepository(session)
            rows = []
            for task in await repo.unplanned_notice_tasks(now, now + PLAN_AHEAD):
                due = notice_due(NoticeKind.UNCONFIRMED, task.starts_at, self.tz)
                state = ReminderState.PENDING if due > task.created_at else ReminderState.SKIPPED
                rows.append({"task_id": task.id, "kind": NoticeKind.UNCONFIRMED, "due_at": due,
                             "planned_start": task.starts_at, "state": state, "created_at": now,
                             "done_at": None if state == ReminderState.PENDING else now})
            await repo.add_notices(rows)
            for notice, starts_at in await repo.moved_notices():
                await repo.replan_notice(notice.id, notice_due(notice.kind, starts_at, self.tz), starts_at)
        return len(rows)

    async def send_due(self) -> int:
        now = self.clock.now()
        queued = 0
        async with self.db.session() as session:
            repo = LifecycleRepository(session)
            for notice, task in await repo.due_notices(now):
                moment = send_moment(task.starts_at, now, self.tz)
                if not open_for_signups(task.status, task.starts_at, now) or moment is None:
                    log.info("notice %s (%s, task %s, due %s) dropped: task is %s", notice.id, notice.kind, task.id,
                             notice.due_at.isoformat(), "past" if moment is None else task.status.value)
                    await repo.finish_notice(notice.id, ReminderState.DROPPED, now)
                    continue
                if not await repo.finish_notice(notice.id, ReminderState.SENT, now):
                    continue
                text, markup = await self._unconfirmed_text(repo, task)
                await self.delivery.add_one(session, task.coordinator_telegram_id, text, lane=DeliveryLane.PERSONAL,
                                            reply_markup=markup, key=f"notice:{notice.id}",
                                            not_before=moment if moment > now else None)
                queued += 1
            if queued:
                self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
        return queued

    async def _unconfirmed_text(self, repo: LifecycleRepository, task: Task
                                ) -> tuple[str, InlineKeyboardMarkup | None]:
        locale = await repo.locale_of(task.coordinator_telegram_id) or self.i18n.default_locale
        people = [volunteer for _signup, volunteer in await repo.unconfirmed(task.id)]
        going = await repo.going_count(task.id)
        return self.texts.unconfirmed(task, going, people, locale)

    async def unconfirmed_now(self, task: Task) -> list[Volunteer]:
        async with self.db.read() as session:
            return [volunteer for _signup, volunteer in await LifecycleRepository(session).unconfirmed(task.id)]

    # -- the one-tap actions (rights are checked by the handler) ------------------------------

    async def release_unconfirmed(self, task_id: int) -> int | None:
        """Offer the places of everyone not confirmed: each sign-up is cancelled (the
        place goes to the waitlist) and the person told. None if the task has started
        or is not live; else how many places were freed."""
        now = self.clock.now()
        async with self.db.read() as session:
            repo = LifecycleRepository(session)
            task = await repo.task(task_id)
            if task is None or not open_for_signups(task.status, task.starts_at, now):
                return None
            people = await repo.unconfirmed(task_id)
        freed = 0
        for signup, volunteer in people:
            if volunteer.telegram_id is None:
                continue
            result = await self.signups.cancel(task_id, volunteer.telegram_id)
            if result.outcome != Outcome.CANCELLED or result.task is None:
                continue
            freed += 1
            locale = volunteer.locale or self.i18n.default_locale
            await self.delivery.enqueue_one(volunteer.telegram_id, self.texts.released(result.task, locale),
                                            lane=DeliveryLane.PERSONAL, volunteer_id=volunteer.id,
                                            key=f"released:{signup.id}:{now.timestamp():.0f}")
        log.info("task %s: %s unconfirmed places offered to the waitlist", task_id, freed)
        return freed


class Digests:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, tz: ZoneInfo, delivery: DeliveryService,
                 texts: LifeTexts) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.tz = tz
        self.delivery = delivery
        self.texts = texts

    async def send_due(self) -> int:
        """The digest of today to every coordinator who has not had it and has tasks."""
        now = self.clock.now()
        day = digest_day(now, self.tz)
        if day is None:
            return 0
        start, end = digest_window(day, self.tz)
        async with self.db.session() as session:
            repo = LifecycleRepository(session)
            found = await repo.digest_tasks(start, end, day.isoformat())  # those without today's digest
            if not found:
                return 0
            locales = await repo.locales_of(list(found))
            messages = []
            for coordinator_id, items in found.items():
                text, markup = self.texts.digest(items, now, locales.get(coordinator_id) or self.i18n.default_locale)
                messages.append(OutgoingMessage(coordinator_id, text, markup))
            # One row per coordinator and day (unique): a concurrent pass fails here and sends nothing.
            await repo.add_digests([(coordinator_id, day.isoformat(), len(items)) for coordinator_id, items
                                    in found.items()], now)
            await self.delivery.add_broadcast(session, DIGEST_KIND, DeliveryLane.PERSONAL, None, messages)
            self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
        return len(messages)
