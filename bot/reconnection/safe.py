"""/safe: "I'm safe" reports. A report whose phone matches an open request answers it at
once; an open request whose name matches is offered to its requesters as a possible
match (only the name, city and time of the report, never a phone) to confirm or reject."""

from __future__ import annotations

import html
from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import fold_name
from bot.domain.reconnection import OPEN_STATUSES, MatchStatus, RequestStatus, SafeSource, reference
from bot.domain.texts import N_
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.reconnection.buttons import SafeMatchCb
from bot.reconnection.notify import Notifier
from bot.reconnection.requests import SAFE, add_name, open_requests_named
from storage.db import Database
from storage.models import ReconnectionRequest, SafeMatch, SafeReport
from storage.repositories.reconnection import ReconnectionRepository

POSSIBLE_MATCH = N_("🔎 {ref}: someone reported themselves safe through the bot: <b>{name}</b>, {city}, {time}. "
                    "Is this the person you are looking for?")
YES = N_("✅ Yes, it is them")
NO = N_("❌ No, someone else")


@dataclass(frozen=True, slots=True)
class SafeResult:
    report_id: int
    answered: int  # requests answered by the phone
    offered: int  # requesters asked to confirm a name match


@dataclass(frozen=True, slots=True)
class Confirmed:
    ok: bool
    request: ReconnectionRequest | None = None


class SafeService:
    def __init__(self, db: Database, clock: Clock, notifier: Notifier, local_time: LocalTime) -> None:
        self.db = db
        self.clock = clock
        self.notifier = notifier
        self.local_time = local_time

    async def report(self, reporter_id: int, full_name: str, city: str | None, region: str | None,
                     phone: str | None, message: str | None) -> SafeResult:
        now = self.clock.now()
        answered = offered = 0
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            report = SafeReport(reporter_id=reporter_id, full_name=full_name, city=city, region=region, phone=phone,
                                message=message, created_at=now)
            session.add(report)
            await session.flush()
            folded = fold_name(full_name)
            await add_name(repo, SAFE, report.id, folded)
            by_phone = await repo.open_by_phone(phone) if phone else None
            if by_phone is not None and await self._close_safe(session, by_phone.id, message):
                answered = 1
            for request in await open_requests_named(repo, folded, region or None):
                if by_phone is None or request.id != by_phone.id:
                    offered += await self._offer(session, request, report)
            return SafeResult(report.id, answered, offered)

    async def _close_safe(self, session: AsyncSession, request_id: int, message: str | None) -> bool:
        now = self.clock.now()
        repo = ReconnectionRepository(session)
        if not await repo.change(request_id, OPEN_STATUSES, now, status=RequestStatus.SAFE,
                                 safe_source=SafeSource.SELF_REPORT, closed_at=now, claimed_until=None,
                                 note=message):
            return False
        request = await repo.request(request_id)
        assert request is not None
        await self.notifier.status_changed(session, request, await repo.active_asks(request_id), self_report=True)
        return True

    async def _offer(self, session: AsyncSession, request: ReconnectionRequest, report: SafeReport) -> int:
        repo = ReconnectionRepository(session)
        asks = await repo.active_asks(request.id)
        texts, markups = [], []
        for ask in asks:
            match = SafeMatch(ask_id=ask.id, report_id=report.id, status=MatchStatus.OFFERED,
                              created_at=self.clock.now())
            session.add(match)
            await session.flush()
            t = self.notifier.t
            texts.append(t(POSSIBLE_MATCH, ask.locale, ref=reference(ask.id), name=html.escape(report.full_name),
                           city=html.escape(report.city or "—"),
                           time=self.local_time.datetime(report.created_at, ask.locale, "short")))
            markups.append(InlineKeyboardMarkup(inline_keyboard=[[
                InlineKeyboardButton(text=t(YES, ask.locale), callback_data=SafeMatchCb(match_id=match.id, yes=1).pack()),
                InlineKeyboardButton(text=t(NO, ask.locale), callback_data=SafeMatchCb(match_id=match.id, yes=0).pack()),
            ]]))
        await self.notifier.tell(session, request, asks, texts, "reconnection_match",
                                 f"reconnection:{request.id}:match:{report.id}", markups)
        return len(asks)

    async def answer_match(self, match_id: int, requester_id: int, yes: bool) -> Confirmed:
        """The requester's answer; only theirs, only once."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = ReconnectionRepository(session)
            match = await session.get(SafeMatch, match_id)
            ask = await repo.ask(match.ask_id) if match is not None else None
            if match is None or ask is None or ask.requester_id != requester_id or match.status != MatchStatus.OFFERED:
                return Confirmed(False)
            match.status = MatchStatus.CONFIRMED if yes else MatchStatus.REJECTED
            match.answered_at = now
            if yes:
                report = await session.get(SafeReport, match.report_id)
                await self._close_safe(session, ask.request_id, report.message if report else None)
            return Confirmed(True, await repo.request(ask.request_id))
