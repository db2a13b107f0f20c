"""Requests and "I'm safe" reports find each other, whichever came first: the one place
for the rules.

- The same normalised phone: the request is answered at once ("reported themselves
  safe"), its requesters told in their language, in the transaction that made the
  second of the two.
- A matching name (the stored name index, bot/domain/names/stored.py) where the report
  names the request's region, or names none: every requester is offered the report
  as a possible match, with only its name, city and time (never a phone), to confirm
  or reject. Never closed on the name alone.

A report counts until retention erases it (its phone and message go, its name leaves
the index)."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import FoldedName, compare_names, fold_name
from bot.domain.names.stored import name_query, query_keys, stored_words, vocabulary
from bot.domain.reconnection import OPEN_STATUSES, MatchStatus, RequestStatus, SafeSource, reference
from bot.domain.texts import N_
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.reconnection.buttons import SafeMatchCb
from bot.reconnection.notify import Notifier
from storage.models import ReconnectionAsk, ReconnectionRequest, SafeMatch, SafeReport
from storage.repositories.reconnection import ReconnectionRepository

REQUEST = "request"
SAFE = "safe"

POSSIBLE_MATCH = N_("🔎 {ref}: someone reported themselves safe through the bot: <b>{name}</b>, {city}, {time}. "
                    "Is this the person you are looking for?")
YES = N_("✅ Yes, it is them")
NO = N_("❌ No, someone else")


def region_fits(report_region: str | None, request_region: str) -> bool:
    """A report (or a search) in `report_region` concerns a request of `request_region`:
    the same region, or the report names none."""
    return report_region is None or report_region == request_region


async def add_name(repo: ReconnectionRepository, kind: str, record_id: int, name: FoldedName) -> None:
    """Store a request's or report's name for searching (bot/domain/names/stored.py)."""
    await repo.add_name(kind, record_id, stored_words(name), vocabulary(name))


async def _candidates(repo: ReconnectionRepository, kind: str, name: FoldedName) -> set[int]:
    """The records of `kind` worth comparing with `name` in full: the vocabulary gives
    the stored words like the name's, the words table the records having them, and
    only those with enough of them are kept."""
    query = name_query(name, await repo.vocabulary(query_keys(name)))
    if query is None:
        return set()
    return query.candidates(await repo.records_with_words(kind, query.words))


async def open_requests_named(repo: ReconnectionRepository, name: FoldedName,
                              region: str | None = None) -> list[ReconnectionRequest]:
    """Open requests whose name matches `name` and whose region fits `region` (None: any)
    (the search of /safe and of the callers' "possibly the same person")."""
    ids = await _candidates(repo, REQUEST, name)
    return [request for request in await repo.requests(ids)
            if request.status in OPEN_STATUSES and region_fits(region, request.region)
            and compare_names(name, request.full_name).matched]


async def safe_reports_named(repo: ReconnectionRepository, name: FoldedName, region: str) -> list[SafeReport]:
    """Safe reports not erased whose name matches `name` and that fit a request of `region`."""
    ids = await _candidates(repo, SAFE, name)
    return [report for report in await repo.reports(ids)
            if report.erased_at is None and region_fits(report.region, region)
            and compare_names(name, report.full_name).matched]


class SafeMatcher:
    """Applies the rules above when a report is made and when a request is made (or
    joined), inside the caller's transaction."""

    def __init__(self, clock: Clock, notifier: Notifier, local_time: LocalTime) -> None:
        self.clock = clock
        self.notifier = notifier
        self.local_time = local_time

    async def report_made(self, session: AsyncSession, report: SafeReport) -> tuple[int, int]:
        """A new report: (requests answered by its phone, requesters offered it by name)."""
        repo = ReconnectionRepository(session)
        folded = fold_name(report.full_name)
        await add_name(repo, SAFE, report.id, folded)
        answered = offered = 0
        by_phone = await repo.open_by_phone(report.phone) if report.phone else None
        if by_phone is not None and await self.close_safe(session, by_phone.id, report.message):
            answered = 1
        for request in await open_requests_named(repo, folded, report.region or None):
            if by_phone is None or request.id != by_phone.id:
                offered += await self.offer(session, request, report)
        return answered, offered

    async def request_made(self, session: AsyncSession, request: ReconnectionRequest) -> bool:
        """A new or joined request meets the reports already made; True: answered at once
        by a report with its phone (else the matching names were offered)."""
        repo = ReconnectionRepository(session)
        if request.phone:
            report = await repo.report_by_phone(request.phone)
            if report is not None:
                return await self.close_safe(session, request.id, report.message)
        for report in await safe_reports_named(repo, fold_name(request.full_name), request.region):
            await self.offer(session, request, report)
        return False

    async def close_safe(self, session: AsyncSession, request_id: int, message: str | None) -> bool:
        """The request is answered: the person reported themselves safe."""
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

    async def offer(self, session: AsyncSession, request: ReconnectionRequest, report: SafeReport) -> int:
        """Ask every requester not yet asked about this report; how many were asked."""
        repo = ReconnectionRepository(session)
        asked = await repo.asks_offered(report.id)
        asks = [ask for ask in await repo.active_asks(request.id) if ask.id not in asked]
        if not asks:
            return 0
        texts, markups = [], []
        for ask in asks:
            match = SafeMatch(ask_id=ask.id, report_id=report.id, status=MatchStatus.OFFERED,
                              created_at=self.clock.now())
            session.add(match)
            await session.flush()
            texts.append(self._offer_text(ask, report))
            markups.append(self._offer_buttons(ask, match.id))
        await self.notifier.tell(session, request, asks, texts, "reconnection_match",
                                 f"reconnection:{request.id}:match:{report.id}:{asks[0].id}", markups)
        return len(asks)

    def _offer_text(self, ask: ReconnectionAsk, report: SafeReport) -> str:
        return self.notifier.t(POSSIBLE_MATCH, ask.locale, ref=reference(ask.id), name=html.escape(report.full_name),
                               city=html.escape(report.city or "—"),
                               time=self.local_time.datetime(report.created_at, ask.locale, "short"))

    def _offer_buttons(self, ask: ReconnectionAsk, match_id: int) -> InlineKeyboardMarkup:
        t = self.notifier.t
        return InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=t(YES, ask.locale), callback_data=SafeMatchCb(match_id=match_id, yes=1).pack()),
            InlineKeyboardButton(text=t(NO, ask.locale), callback_data=SafeMatchCb(match_id=match_id, yes=0).pack()),
        ]])
