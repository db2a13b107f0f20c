"""/safe: "I'm safe" reports. A report whose phone matches an open request answers it at
once; an open request whose name matches is offered to its requesters as a possible
match (only the name, city and time of the report, never a phone) to confirm or reject
(the rules, in both directions: bot/reconnection/matching.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.reconnection import MatchStatus
from bot.infra.clock import Clock
from bot.reconnection.matching import SafeMatcher
from storage.db import Database
from storage.models import ReconnectionRequest, SafeMatch, SafeReport
from storage.repositories.reconnection import ReconnectionRepository


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
    def __init__(self, db: Database, clock: Clock, matcher: SafeMatcher) -> None:
        self.db = db
        self.clock = clock
        self.matcher = matcher

    async def report(self, reporter_id: int, full_name: str, city: str | None, region: str | None,
                     phone: str | None, message: str | None) -> SafeResult:
        async with self.db.session() as session:
            report = SafeReport(reporter_id=reporter_id, full_name=full_name, city=city, region=region, phone=phone,
                                message=message, created_at=self.clock.now())
            session.add(report)
            await session.flush()
            answered, offered = await self.matcher.report_made(session, report)
            return SafeResult(report.id, answered, offered)

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
                await self.matcher.close_safe(session, ask.request_id, report.message if report else None)
            return Confirmed(True, await repo.request(ask.request_id))
