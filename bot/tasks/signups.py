"""Sign-ups: "I'll go", "Can't", the waitlist, cancelling, and promotions from the waitlist.

Slots: `tasks.taken` counts the places held (going, or offered to a promoted waitlister).
A place is taken by one conditional UPDATE (`taken < slots AND status = 'open'`) inside
the transaction that writes the sign-up, so however many people press at once, no more
sign-ups than slots can ever exist; the task turns "full" with its last place and
"open" again when one is freed.

Who may press a task's buttons: a volunteer who was sent its card (a TaskOffer row), or
one who is eligible for it right now by the matching rules (that is what /tasks lists;
listing does not create TaskOffer rows, so browsing does not count against the daily cap
or fairness). Anyone else, a cancelled/started task, a full task, or a repeated press
gets a polite answer and nothing changes. Nobody gets a place on a task that overlaps
one they already hold.

Freed places go to the waitlist, first come first: the next person is "offered" the
place (it is held for them) for SIGNUP_CONFIRM_MINUTES (counted from 08:00 when it is
offered in the quiet hours; never past the task's start) and gets a card through
the outbox (lane personal, written in the same transaction) to confirm. If they do not,
`expire_due()` (run by the scheduler) passes the place to the next one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram.utils.i18n import I18n
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.domain.delivery import DeliveryLane
from bot.domain.quiet_hours import next_send_moment
from bot.domain.signups import ACTIVE_SIGNUPS, HOLDS_SLOT, OfferResponse, Outcome, SignupStatus
from bot.domain.tasks import has_free_place, open_for_signups
from bot.domain.volunteers import is_active
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService
from bot.infra.i18n import LocalTime
from bot.tasks.cards import CardRenderer
from bot.tasks.matching import MatchingService
from storage.db import Database
from storage.models import Signup, Task, Volunteer
from storage.repositories.attendance import AttendanceRepository
from storage.repositories.signups import SignupRepository
from storage.repositories.volunteers import VolunteerRepository
from storage.repositories.who import WhoRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    task: Task | None = None
    status: SignupStatus | None = None  # the person's sign-up status afterwards


@dataclass(frozen=True, slots=True)
class MySignup:
    task: Task
    status: SignupStatus
    offered_until: datetime | None


class SignupService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, local_time: LocalTime, delivery: DeliveryService,
                 matching: MatchingService, cards: CardRenderer, *, confirm_minutes: int = 120) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.local_time = local_time
        self.delivery = delivery
        self.matching = matching
        self.cards = cards
        self.confirm_window = timedelta(minutes=confirm_minutes)

    # -- what a volunteer presses ----------------------------------------------------------

    async def go(self, task_id: int, telegram_id: int) -> Result:
        """"I'll go": take a place atomically."""
        now = self.clock.now()
        found = await self._precheck(task_id, telegram_id)
        if isinstance(found, Result):
            return found
        volunteer_id, task = found  # read before the write; the write decides on fresh rows
        try:
            async with self.db.session() as session:
                repo = SignupRepository(session)
                await repo.lock_task(task_id)  # presses on one task take turns (PostgreSQL)
                existing, busy = await repo.signup_and_overlap(volunteer_id, task)
                if existing is not None and existing.status in ACTIVE_SIGNUPS:
                    return Result(Outcome.ALREADY, task, existing.status)
                if busy:
                    return Result(Outcome.BUSY, task)
                taken = await repo.take_slot(task_id, now)
                if taken is None:
                    fresh = await repo.task(task_id)
                    return Result(Outcome.CLOSED if _closed(fresh, now) else Outcome.FULL, fresh)
                # The card is redrawn from this: the places as the UPDATE left them.
                set_committed_value(task, "taken", taken[0])
                set_committed_value(task, "status", taken[1])
                set_committed_value(task, "updated_at", now)
                await repo.put_signup_over(existing, task_id, volunteer_id, SignupStatus.GOING, now)
                await repo.set_offer_response(task_id, volunteer_id, OfferResponse.GOING)
                return Result(Outcome.GOING, task, SignupStatus.GOING)
        except IntegrityError:  # a double tap raced on a backend without write serialisation
            return Result(Outcome.ALREADY, await self.task(task_id), SignupStatus.GOING)

    async def join_waitlist(self, task_id: int, telegram_id: int) -> Result:
        now = self.clock.now()
        found = await self._precheck(task_id, telegram_id)
        if isinstance(found, Result):
            return found
        volunteer_id = found[0]
        try:
            async with self.db.session() as session:
                repo = SignupRepository(session)
                task = await repo.task_for_update(task_id)
                assert task is not None
                existing = await repo.signup(task_id, volunteer_id)
                if existing is not None and existing.status in ACTIVE_SIGNUPS:
                    return Result(Outcome.ALREADY, task, existing.status)
                if _closed(task, now):
                    return Result(Outcome.CLOSED, task)
                if has_free_place(task.status, task.slots, task.taken):
                    return Result(Outcome.FREE, task)
                await repo.put_signup(task_id, volunteer_id, SignupStatus.WAITLISTED, now)
                await repo.set_offer_response(task_id, volunteer_id, OfferResponse.WAITLISTED)
                return Result(Outcome.WAITLISTED, task, SignupStatus.WAITLISTED)
        except IntegrityError:
            return Result(Outcome.ALREADY, await self.task(task_id), SignupStatus.WAITLISTED)

    async def decline(self, task_id: int, telegram_id: int) -> Result:
        """"Can't": noted on the offer; someone on the waitlist leaves it; a promoted
        waitlister gives the place to the next. Someone going cancels from /my instead."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = SignupRepository(session)
            found = await _person_and_task(session, repo, task_id, telegram_id, lock=True)
            if isinstance(found, Result):
                return found
            volunteer, task = found
            signup = await repo.signup(task_id, volunteer.id)
            if signup is not None and signup.status == SignupStatus.OFFERED:
                await self._release(session, repo, signup, SignupStatus.CANCELLED, task, now)
                return Result(Outcome.CANCELLED, await repo.task(task_id), SignupStatus.CANCELLED)
            if signup is not None and signup.status == SignupStatus.WAITLISTED:
                # "Can't" after all: off the waitlist (holds no place, nobody moves up).
                await repo.set_status(signup.id, (SignupStatus.WAITLISTED,), SignupStatus.CANCELLED, now)
            elif signup is not None and signup.status in ACTIVE_SIGNUPS:
                return Result(Outcome.ALREADY, task, signup.status)  # a place is cancelled from /my
            await repo.set_offer_response(task_id, volunteer.id, OfferResponse.DECLINED)
            return Result(Outcome.DECLINED, task)

    async def confirm(self, task_id: int, telegram_id: int) -> Result:
        """A promoted waitlister confirms the place held for them."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = SignupRepository(session)
            found = await _person_and_task(session, repo, task_id, telegram_id, lock=True)
            if isinstance(found, Result):
                return found
            volunteer, task = found
            signup = await repo.signup(task_id, volunteer.id)
            if signup is None:
                return Result(Outcome.NOT_SIGNED_UP, task)
            if signup.status == SignupStatus.GOING:
                return Result(Outcome.ALREADY, task, SignupStatus.GOING)
            if signup.status != SignupStatus.OFFERED:
                outcome = Outcome.EXPIRED if signup.status == SignupStatus.EXPIRED else Outcome.NOT_SIGNED_UP
                return Result(outcome, task, signup.status)
            if not task.status.accepts_signups:
                return Result(Outcome.CLOSED, task)
            if signup.offered_until is not None and signup.offered_until <= now:
                # Past the deadline; the scheduler has not passed it on yet: do it now.
                await self._release(session, repo, signup, SignupStatus.EXPIRED, task, now)
                return Result(Outcome.EXPIRED, await repo.task(task_id), SignupStatus.EXPIRED)
            await repo.set_status(signup.id, (SignupStatus.OFFERED,), SignupStatus.GOING, now)
            await repo.set_offer_response(task_id, volunteer.id, OfferResponse.GOING)
            return Result(Outcome.CONFIRMED, task, SignupStatus.GOING)

    async def cancel(self, task_id: int, telegram_id: int) -> Result:
        """"Cancel my sign-up": frees the place (the waitlist moves up) or leaves the waitlist."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = SignupRepository(session)
            found = await _person_and_task(session, repo, task_id, telegram_id, lock=True)
            if isinstance(found, Result):
                return found
            volunteer, task = found
            signup = await repo.signup(task_id, volunteer.id)
            if signup is None or signup.status not in ACTIVE_SIGNUPS:
                return Result(Outcome.NOT_SIGNED_UP, task, signup.status if signup else None)
            if signup.status == SignupStatus.WAITLISTED:
                await repo.set_status(signup.id, (SignupStatus.WAITLISTED,), SignupStatus.CANCELLED, now)
            else:
                await self._release(session, repo, signup, SignupStatus.CANCELLED, task, now)
            return Result(Outcome.CANCELLED, await repo.task(task_id), SignupStatus.CANCELLED)

    # -- the scheduler ---------------------------------------------------------------------------

    async def expire_due(self) -> int:
        """Promotions past their deadline: expired, the place passes to the next person.
        Returns how many expired. Safe to run from several places (each row is changed
        by a conditional UPDATE)."""
        now = self.clock.now()
        expired = 0
        async with self.db.read() as session:
            due = await SignupRepository(session).due_offers(now)
        for stale in due:
            async with self.db.session() as session:
                repo = SignupRepository(session)
                task = await repo.task_for_update(stale.task_id)
                signup = await repo.signup(stale.task_id, stale.volunteer_id)
                if signup is None or task is None or signup.status != SignupStatus.OFFERED:
                    continue
                if signup.offered_until is None or signup.offered_until > now:
                    continue
                await self._release(session, repo, signup, SignupStatus.EXPIRED, task, now)
                expired += 1
        return expired

    # -- reading --------------------------------------------------------------------------------

    async def task(self, task_id: int) -> Task | None:
        async with self.db.read() as session:
            return await SignupRepository(session).task(task_id)

    async def status_of(self, task_id: int, telegram_id: int) -> SignupStatus | None:
        async with self.db.read() as session:
            volunteer_id = (await WhoRepository(session).who(telegram_id)).volunteer_id
            if volunteer_id is None:
                return None
            signup = await SignupRepository(session).signup(task_id, volunteer_id)
            return signup.status if signup else None

    async def may_see(self, task: Task, telegram_id: int) -> bool:
        """May this person see the task's card (Details): it was offered to them, they
        are signed up for it, or they are eligible for it now."""
        async with self.db.read() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return False
            repo = SignupRepository(session)
            if await repo.has_offer(task.id, volunteer.id) or await repo.signup(task.id, volunteer.id) is not None:
                return True
        return task.status.accepts_signups and await self.matching.is_eligible(task, volunteer.id)

    async def my_upcoming(self, telegram_id: int) -> list[MySignup]:
        async with self.db.read() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return []
            rows = await SignupRepository(session).upcoming_of(volunteer.id, self.clock.now())
        return [MySignup(task, signup.status, signup.offered_until) for signup, task in rows]

    async def accepted(self, task_id: int) -> int:
        """People going (confirmed places) on the task."""
        async with self.db.read() as session:
            return await SignupRepository(session).count(task_id, (SignupStatus.GOING,))

    # -- internals -------------------------------------------------------------------------------

    async def _precheck(self, task_id: int, telegram_id: int) -> Result | tuple[int, Task]:
        """Registered, the task exists and is bookable, and the person may press its
        buttons (offered to them or eligible now): their volunteer id and the task, else
        why not. Reads only (the person as the middlewares read them); a sign-up they
        already have is found by the write that follows."""
        now = self.clock.now()
        async with self.db.read() as session:
            who = await WhoRepository(session).who(telegram_id)
            task, offered = await SignupRepository(session).task_offered_to(task_id, who.volunteer_id)
        if not who.registered or who.volunteer_id is None:
            return Result(Outcome.NOT_REGISTERED, task)
        if task is None:
            return Result(Outcome.MISSING)
        if _closed(task, now):
            return Result(Outcome.CLOSED, task)
        volunteer_id = who.volunteer_id
        if not offered and not await self.matching.is_eligible(task, volunteer_id):
            # A quick second tap: the first one's sign-up made them "not free" meanwhile.
            status = await self.status_of(task_id, telegram_id)
            if status in ACTIVE_SIGNUPS:
                return Result(Outcome.ALREADY, task, status)
            return Result(Outcome.NOT_OFFERED, task)
        return volunteer_id, task

    async def _release(self, session: AsyncSession, repo: SignupRepository, signup: Signup, to_status: SignupStatus,
                       task: Task, now: datetime) -> None:
        """A held place is given up (cancelled, declined or expired promotion): free it and
        offer it to the next person on the waitlist, all in this transaction."""
        was_going = signup.status == SignupStatus.GOING  # as loaded, before this change
        if not await repo.set_status(signup.id, HOLDS_SLOT, to_status, now):
            return
        if was_going and to_status == SignupStatus.CANCELLED:
            # A confirmed place given up: whether it was late is decided at the task's end.
            await AttendanceRepository(session).note_cancelled(signup.task_id, signup.volunteer_id, now)
        await repo.free_slot(task.id, now)
        await self._promote_next(session, repo, task.id, now)

    async def _promote_next(self, session: AsyncSession, repo: SignupRepository, task_id: int, now: datetime) -> None:
        task = await repo.task(task_id)
        if task is None or _closed(task, now):
            return
        for waiting, volunteer in await repo.waitlist(task_id):
            if not _reachable(volunteer, now) or await repo.holds_overlapping(volunteer.id, task):
                continue
            if not await repo.take_slot(task_id, now):
                return
            # Offered at night: the time to confirm counts from 08:00 (the card goes at once).
            until = min(next_send_moment(now, self.local_time.tz) + self.confirm_window, task.starts_at)
            await repo.set_status(waiting.id, (SignupStatus.WAITLISTED,), SignupStatus.OFFERED, now, offered_until=until)
            task = await repo.task(task_id)
            assert task is not None and volunteer.telegram_id is not None
            locale = volunteer.locale or self.i18n.default_locale
            deadline = self.local_time.time(until, locale)
            if self.local_time.local(until).date() != self.local_time.local(now).date():
                deadline = self.local_time.datetime(until, locale, "long")
            card = self.cards.promotion(task, locale, deadline)
            await self.delivery.add_one(session, volunteer.telegram_id, card.text, lane=DeliveryLane.PERSONAL,
                                        reply_markup=card.markup, volunteer_id=volunteer.id,
                                        key=f"signup:{waiting.id}:offer:{now.timestamp():.6f}")
            self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
            return


def _closed(task: Task | None, now: datetime) -> bool:
    return task is None or not open_for_signups(task.status, task.starts_at, now)


def _reachable(volunteer: Volunteer, now: datetime) -> bool:
    """May a freed place be offered to this waitlister (registered, not paused, reachable)?"""
    return (volunteer.telegram_id is not None and volunteer.is_registered
            and is_active(volunteer.status, volunteer.paused_until, now))


async def _person_and_task(
    session: AsyncSession, repo: SignupRepository, task_id: int, telegram_id: int, *, lock: bool = False
) -> tuple[Volunteer, Task] | Result:
    """The registered volunteer pressing and the task, or the Result that says why not.
    `lock`: before a write, the task's row is locked (see `task_for_update`)."""
    volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
    task = await (repo.task_for_update(task_id) if lock else repo.task(task_id))
    if volunteer is None or not volunteer.is_registered:
        return Result(Outcome.NOT_REGISTERED, task)
    if task is None:
        return Result(Outcome.MISSING)
    return volunteer, task
