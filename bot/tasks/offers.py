"""Sending a task to the volunteers who match it (after the coordinator confirms).

`broadcast_task` takes the matching volunteers in the order of sending and, in ONE
transaction, writes a TaskOffer row and a delivery row (the card in the volunteer's
language) for each, in a broadcast about the task (subject TASK <id>) under the
idempotency key "task:<id>:offer". So a repeated Confirm returns the same broadcast and
adds only volunteers who were not offered the task yet.

Limits for routine offers (every direction but "emergency"):
- the daily cap: at most DAILY_BROADCAST_CAP routine offers per volunteer per local day
  (settings.tz), counted from TaskOffer rows of the day the card will be delivered;
- quiet hours 22:00-08:00 local: the cards are written at once but held until 08:00
  (the delivery rows' next_attempt_at), and count for the day they are delivered on.
Emergency tasks go on the emergency lane, at any hour, and do not count for the cap.

The coordinator's progress message shows "accepted so far": the people going on the
task (`accepted_so_far`, registered with the delivery engine for TASK subjects when the
application is wired).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from aiogram.utils.i18n import I18n

from bot.domain.delivery import DeliveryLane
from bot.domain.eligibility import EMERGENCY_DIRECTION, Candidate
from bot.domain.quiet_hours import QUIET_END, QUIET_START, next_send_moment
from bot.domain.signups import SignupStatus
from bot.domain.subjects import Subject, SubjectType
from bot.domain.tasks import open_for_signups
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.tasks.cards import Card, CardRenderer
from bot.tasks.matching import MatchingService
from storage.db import Database
from storage.models import Task
from storage.repositories.signups import SignupRepository

OFFER_KIND = "task_offer"


def offer_key(task_id: int) -> str:
    """The idempotency key of a task's offers (a repeated Confirm tops the broadcast up)."""
    return f"task:{task_id}:offer"


def task_subject(task_id: int) -> Subject:
    """What the task feature's broadcasts are about."""
    return Subject(SubjectType.TASK, task_id)


@dataclass(frozen=True, slots=True)
class BroadcastPlan:
    """What a broadcast did (or would do, when nothing was sent)."""

    task_id: int
    broadcast_id: int | None
    matched: int  # eligible volunteers
    queued: int  # cards written now
    already_offered: int  # had the card already (a repeated confirm)
    capped: int  # skipped: their daily cap is reached
    send_at: datetime | None = None  # when the cards go out (later than now in quiet hours)
    reason: str | None = None  # "closed" when the task cannot be offered
    recipients: list[int] = field(default_factory=list)  # volunteer ids, in the order of sending
    held: bool = False  # quiet hours: the cards wait until send_at


class OfferService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, delivery: DeliveryService,
                 matching: MatchingService, cards: CardRenderer, tz, *, daily_cap: int = 5) -> None:  # noqa: ANN001
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.delivery = delivery
        self.matching = matching
        self.cards = cards
        self.tz = tz
        self.daily_cap = daily_cap

    def render_card(self, task: Task, locale: str) -> Card:
        return self.cards.offer(task, locale)

    async def count_matching(self, task: Task) -> int:
        """For the coordinator's preview: how many volunteers match."""
        return await self.matching.count(task)

    async def broadcast_task(self, task_id: int, coordinator_id: int, coordinator_locale: str) -> BroadcastPlan:
        now = self.clock.now()
        async with self.db.read() as session:
            task = await SignupRepository(session).task(task_id)
        if task is None or not open_for_signups(task.status, task.starts_at, now):
            return BroadcastPlan(task_id, None, 0, 0, 0, 0, reason="closed")
        emergency = task.direction == EMERGENCY_DIRECTION
        candidates = await self.matching.candidates(task)
        send_at = next_send_moment(now, self.tz, emergency)
        lane = DeliveryLane.EMERGENCY if emergency else DeliveryLane.ROUTINE
        async with self.db.session() as session:
            repo = SignupRepository(session)
            task = await repo.task(task_id)  # fresh, inside the write transaction
            assert task is not None
            offered = await repo.offered_volunteers(task_id)
            fresh = [c for c in candidates if c.volunteer_id not in offered]
            capped: list[Candidate] = []
            if not emergency and fresh:
                day_start, day_end = self._local_day(send_at)
                counts = await repo.routine_offers_between([c.volunteer_id for c in fresh], day_start, day_end,
                                                           EMERGENCY_DIRECTION)
                capped = [c for c in fresh if counts.get(c.volunteer_id, 0) >= self.daily_cap]
                fresh = [c for c in fresh if counts.get(c.volunteer_id, 0) < self.daily_cap]
            await repo.add_offers(task_id, [c.volunteer_id for c in fresh], send_at)
            rendered: dict[str, Card] = {}
            messages = []
            for candidate in fresh:
                locale = candidate.locale or self.i18n.default_locale
                if locale not in rendered:
                    rendered[locale] = self.cards.offer(task, locale)
                card = rendered[locale]
                messages.append(OutgoingMessage(candidate.telegram_id, card.text, card.markup, candidate.volunteer_id))
            broadcast_id = await self.delivery.add_broadcast(
                session, OFFER_KIND, lane, coordinator_id, messages, progress_chat_id=coordinator_id,
                progress_locale=coordinator_locale, title=task.title, key=offer_key(task_id),
                not_before=send_at if send_at > now else None, subject=task_subject(task_id),
            )
            self.delivery.wake_after_commit(session, lane)
        return BroadcastPlan(
            task_id=task_id, broadcast_id=broadcast_id, matched=len(candidates), queued=len(messages),
            already_offered=len(candidates) - len(fresh) - len(capped), capped=len(capped), send_at=send_at,
            recipients=[c.volunteer_id for c in fresh], held=send_at > now,
        )

    async def accepted_so_far(self, task_id: int) -> int:
        """"Accepted so far" for the progress message of a broadcast about the task: the
        people going on it."""
        async with self.db.read() as session:
            return await SignupRepository(session).count(task_id, (SignupStatus.GOING,))

    def _local_day(self, moment: datetime) -> tuple[datetime, datetime]:
        local = moment.astimezone(self.tz)
        start = datetime.combine(local.date(), time(0, 0), tzinfo=self.tz)
        end = datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=self.tz)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


__all__ = ["OFFER_KIND", "QUIET_END", "QUIET_START", "BroadcastPlan", "OfferService", "next_send_moment", "offer_key",
           "task_subject"]
