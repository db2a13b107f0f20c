"""Relay callers: opting in, /calls (one request at a time), the 20-minute claim, the
outcome, releasing, and claims that ran out.

A claim is one conditional UPDATE (status open -> claimed), like a place on a task: two
callers pressing at once can never both hold a request. Only the caller holding the
claim is ever shown the phone (the handler does that; nothing here sends it anywhere).
"Needs help" alerts the coordinators of the request's region, without the phone."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.catalog import REGION_BY_CODE
from bot.domain.delivery import DeliveryLane
from bot.domain.reconnection import CLAIM_TIME, OPEN_STATUSES, RETRY_TIME, Outcome, RequestStatus, SafeSource, status_after
from bot.domain.subjects import Subject, SubjectType
from bot.domain.texts import N_
from bot.infra.clock import Clock
from bot.infra.delivery import OutgoingMessage
from bot.reconnection.buttons import HelpCalloutCb
from bot.reconnection.notify import FROM_PERSON, Notifier
from storage.db import Database
from storage.models import ReconnectionAsk, ReconnectionRequest, Volunteer
from storage.repositories.reconnection import ReconnectionRepository
from storage.repositories.roles import RoleRepository
from storage.repositories.users import TelegramUserRepository
from storage.repositories.volunteers import VolunteerRepository

HELP_ALERT = N_("⚠️ <b>Family reconnection: needs help</b>\n{name}, {place}\nA relay caller reached them and they "
                "need help.")
CALL_OUT = N_("📣 Call out volunteers")
CLAIM_OVER = N_("⏱ Your 20 minutes for this call are over and the request went back to the queue. Send /calls "
                "for the next one.")


CLAIM_ROUNDS = 10


class Next(StrEnum):
    CLAIMED = "claimed"  # a new claim
    HOLDING = "holding"  # the caller already holds one
    EMPTY = "empty"  # nothing to call now in their languages
    NOT_CALLER = "not_caller"
    NO_LANGUAGES = "no_languages"


@dataclass(frozen=True, slots=True)
class NextCall:
    result: Next
    request: ReconnectionRequest | None = None
    asks: tuple[ReconnectionAsk, ...] = ()


class CallService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, notifier: Notifier) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.notifier = notifier

    # -- opting in ----------------------------------------------------------------------------

    async def caller(self, telegram_id: int) -> tuple[Volunteer | None, bool]:
        """The registered volunteer and whether they make relay calls."""
        async with self.db.read() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return None, False
            return volunteer, await ReconnectionRepository(session).is_caller(volunteer.id)

    async def set_caller(self, telegram_id: int, on: bool) -> bool:
        async with self.db.session() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return False
            await ReconnectionRepository(session).set_caller(volunteer.id, on, self.clock.now())
            return True

    # -- the queue ------------------------------------------------------------------------------

    async def next_call(self, telegram_id: int) -> NextCall:
        volunteer, is_caller = await self.caller(telegram_id)
        if volunteer is None or not is_caller:
            return NextCall(Next.NOT_CALLER)
        if not volunteer.languages:
            return NextCall(Next.NO_LANGUAGES)
        now = self.clock.now()
        # Reading what to take needs no write lock (SQLite WAL); only the claim itself,
        # one conditional UPDATE, is a short write transaction.
        async with self.db.read() as session:
            repo = ReconnectionRepository(session)
            held = await repo.held_by(telegram_id)
            if held is not None:
                return NextCall(Next.HOLDING, held, tuple(await repo.active_asks(held.id)))
        for _round in range(CLAIM_ROUNDS):  # other callers may take the first ones meanwhile
            async with self.db.read() as session:
                ids = await ReconnectionRepository(session).next_ids(volunteer.languages, volunteer.region, now,
                                                                     limit=10)
            if not ids:
                break
            for request_id in ids:
                async with self.db.session() as session:
                    repo = ReconnectionRepository(session)
                    if await repo.claim(request_id, telegram_id, now, now + CLAIM_TIME):
                        request = await repo.request(request_id)
                        assert request is not None
                        asks = await repo.active_asks(request_id)
                        await self.notifier.calling(session, request, asks)
                        return NextCall(Next.CLAIMED, request, tuple(asks))
        return NextCall(Next.EMPTY)

    async def held(self, telegram_id: int, request_id: int) -> NextCall | None:
        """The request, if this caller holds its claim now."""
        async with self.db.read() as session:
            repo = ReconnectionRepository(session)
            request = await repo.request(request_id)
            if request is None or request.status != RequestStatus.CLAIMED or request.claimed_by != telegram_id:
                return None
            return NextCall(Next.HOLDING, request, tuple(await repo.active_asks(request_id)))

    async def release(self, request_id: int, telegram_id: int) -> bool:
        async with self.db.session() as session:
            return await self._back_in_queue(session, request_id, telegram_id, self.clock.now())

    async def _back_in_queue(self, session: AsyncSession, request_id: int, caller: int, now: datetime) -> bool:
        """The caller's claim ends without an outcome: the request is open again and its
        requesters are told, in this transaction (nothing if the claim was not theirs)."""
        repo = ReconnectionRepository(session)
        claimed = await repo.request(request_id)
        if claimed is None or not await repo.change(request_id, (RequestStatus.CLAIMED,), now, claimed_by=caller,
                                                    status=RequestStatus.OPEN, claimed_until=None):
            return False
        await self.notifier.back_in_queue(session, claimed, await repo.active_asks(request_id))
        return True

    async def report(self, request_id: int, telegram_id: int, outcome: Outcome,
                     note: str | None = None) -> ReconnectionRequest | None:
        """The caller's outcome, only while they hold the claim; None otherwise (expired,
        withdrawn, someone else's). Requesters are told; "needs help" alerts coordinators."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            request = await repo.request(request_id)
            if request is None:
                return None
            status, attempts = status_after(outcome, request.attempts)
            values: dict[str, object] = {"status": status, "attempts": attempts, "claimed_until": None}
            if status.is_open:
                values["next_call_at"] = now + RETRY_TIME
            else:
                values["closed_at"] = now
            if outcome in (Outcome.SAFE, Outcome.NEEDS_HELP):
                values["note"] = note
            if outcome == Outcome.SAFE:
                values["safe_source"] = SafeSource.CALLER
            if not await repo.change(request_id, (RequestStatus.CLAIMED,), now, claimed_by=telegram_id, **values):
                return None
            request = await repo.request(request_id)
            assert request is not None
            await self.notifier.status_changed(session, request, await repo.active_asks(request_id))
            if status == RequestStatus.NEEDS_HELP:
                await self._alert_coordinators(session, request)
            return request

    async def _alert_coordinators(self, session, request: ReconnectionRequest) -> None:  # noqa: ANN001
        coordinators = await RoleRepository(session).coordinators_of(request.region)
        users = TelegramUserRepository(session)
        messages = []
        for telegram_id in coordinators:
            locale = await users.get_locale(telegram_id) or self.i18n.default_locale
            region = self.i18n.gettext(REGION_BY_CODE[request.region].name, locale=locale) \
                if request.region in REGION_BY_CODE else request.region
            place = html.escape(", ".join(part for part in (request.city, region) if part))
            text = self.notifier.t(HELP_ALERT, locale, name=html.escape(request.full_name), place=place)
            if request.note:
                text += "\n" + self.notifier.t(FROM_PERSON, locale, note=html.escape(request.note))
            button = InlineKeyboardButton(text=self.notifier.t(CALL_OUT, locale),
                                          callback_data=HelpCalloutCb(request_id=request.id).pack())
            messages.append(OutgoingMessage(telegram_id, text, InlineKeyboardMarkup(inline_keyboard=[[button]])))
        if messages:
            await self.notifier.delivery.add_broadcast(
                session, "reconnection_help", DeliveryLane.EMERGENCY, None, messages,
                key=f"reconnection:{request.id}:help", subject=Subject(SubjectType.RECONNECTION, request.id))
            self.notifier.delivery.wake_after_commit(session, DeliveryLane.EMERGENCY)

    async def expire_due(self) -> int:
        """Claims held 20 minutes without an outcome go back to the queue (scheduler)."""
        now = self.clock.now()
        returned = 0
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            users = TelegramUserRepository(session)
            for request_id, caller in await repo.expired_claims(now):
                if await self._back_in_queue(session, request_id, caller, now):
                    returned += 1
                    locale = await users.get_locale(caller) or self.i18n.default_locale
                    await self.notifier.delivery.add_one(session, caller, self.notifier.t(CLAIM_OVER, locale),
                                                         key=f"reconnection:{request_id}:expired:{now.isoformat()}")
        if returned:
            self.notifier.delivery.wake(DeliveryLane.PERSONAL)
        return returned

    async def needing_help(self, request_id: int) -> ReconnectionRequest | None:
        """The request, if it is a "needs help" case (a call-out can be made from it)."""
        async with self.db.read() as session:
            request = await ReconnectionRepository(session).request(request_id)
            if request is None or request.status != RequestStatus.NEEDS_HELP or request.erased_at is not None:
                return None
            return request

    async def is_open(self, request_id: int) -> bool:
        async with self.db.read() as session:
            request = await ReconnectionRepository(session).request(request_id)
            return request is not None and request.status in OPEN_STATUSES
