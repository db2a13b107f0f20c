"""Requests to check on someone: /find creates one (or joins the open request for the
same phone), /myrequests lists them, a requester withdraws theirs. A new or joined
request meets the "I'm safe" reports already made (bot/reconnection/matching.py).

The normalised phone is the strong key: an open request with the same phone takes the
new ask (merged; every requester is told). A similar name is only ever shown to callers
as "possibly the same person" (similar()), never merged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.domain.names import fold_name
from bot.domain.reconnection import ASKS_PER_HOUR, MAX_OPEN_ASKS, OPEN_STATUSES, RequestStatus, reference
from bot.infra.clock import Clock
from bot.reconnection.matching import REQUEST, SafeMatcher, add_name, open_requests_named
from bot.reconnection.notify import Notifier
from storage.db import Database
from storage.models import ReconnectionAsk, ReconnectionRequest
from storage.repositories.reconnection import ReconnectionRepository


@dataclass(frozen=True, slots=True)
class NewRequest:
    full_name: str
    phone: str  # E.164
    region: str
    language: str
    city: str | None = None
    elderly: bool = False
    medical: bool = False
    message: str | None = None
    relation: str | None = None
    group_chat_id: int | None = None


class Created(StrEnum):
    CREATED = "created"
    MERGED = "merged"
    TOO_MANY = "too_many"
    TOO_FAST = "too_fast"


@dataclass(frozen=True, slots=True)
class CreateResult:
    outcome: Created
    reference: str | None = None
    request_id: int | None = None
    answered: bool = False  # by a safe report with the phone, made earlier (the requester is told)


@dataclass(frozen=True, slots=True)
class MyRequest:
    ask: ReconnectionAsk
    request: ReconnectionRequest

    @property
    def reference(self) -> str:
        return reference(self.ask.id)

    @property
    def can_withdraw(self) -> bool:
        return self.ask.withdrawn_at is None and self.request.status in OPEN_STATUSES


class RequestService:
    def __init__(self, db: Database, clock: Clock, notifier: Notifier, matcher: SafeMatcher) -> None:
        self.db = db
        self.clock = clock
        self.notifier = notifier
        self.matcher = matcher

    async def create(self, requester_id: int, locale: str, new: NewRequest) -> CreateResult:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            if await repo.open_asks_count(requester_id) >= MAX_OPEN_ASKS:
                return CreateResult(Created.TOO_MANY)
            if await repo.asks_since(requester_id, now - timedelta(hours=1)) >= ASKS_PER_HOUR:
                return CreateResult(Created.TOO_FAST)
            request = await repo.open_by_phone(new.phone)
            merged = request is not None
            if request is None:
                request = await repo.add_request(ReconnectionRequest(
                    full_name=new.full_name, phone=new.phone, region=new.region, city=new.city,
                    language=new.language, elderly=new.elderly, medical=new.medical, status=RequestStatus.OPEN,
                    attempts=0, next_call_at=now, created_at=now, updated_at=now,
                ))
                await add_name(repo, REQUEST, request.id, fold_name(new.full_name))
            else:
                request.elderly = request.elderly or new.elderly
                request.medical = request.medical or new.medical
                request.updated_at = now
            earlier = await repo.active_asks(request.id) if merged else []
            ask = await repo.add_ask(ReconnectionAsk(
                request_id=request.id, requester_id=requester_id, locale=locale, relation=new.relation,
                message=new.message, group_chat_id=new.group_chat_id, created_at=now,
            ))
            if merged:
                await self.notifier.merged(session, request, earlier, ask.id)
            answered = await self.matcher.request_made(session, request)
            return CreateResult(Created.MERGED if merged else Created.CREATED, reference(ask.id), request.id,
                                answered)

    async def mine(self, requester_id: int) -> list[MyRequest]:
        async with self.db.read() as session:
            return [MyRequest(ask, request) for ask, request in await ReconnectionRepository(session).asks_of(
                requester_id)]

    async def withdraw(self, ask_id: int, requester_id: int) -> bool:
        """The requester's ask is withdrawn; the request too once nobody else waits on it."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            ask = await repo.ask(ask_id)
            if ask is None or not await repo.withdraw_ask(ask_id, requester_id, now):
                return False
            if not await repo.active_asks(ask.request_id):
                await repo.change(ask.request_id, OPEN_STATUSES, now, status=RequestStatus.WITHDRAWN, closed_at=now)
            return True

    async def similar(self, request: ReconnectionRequest, limit: int = 3) -> list[ReconnectionRequest]:
        """Other open requests in the same region whose name matches: "possibly the same
        person" for the caller."""
        async with self.db.read() as session:
            found = [other for other in await open_requests_named(ReconnectionRepository(session),
                                                                  fold_name(request.full_name), request.region)
                     if other.id != request.id]
        found.sort(key=lambda other: other.created_at)
        return found[:limit]

