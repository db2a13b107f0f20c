"""Call-out and reconnection counts for the statistics, as SQL aggregates.

A call-out belongs to the period in which it was created and to its region; a
reconnection request likewise (the region of the person to call)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.callouts import COUNTED
from bot.domain.reconnection import RequestStatus
from storage.models import Callout, CalloutAnswer, ReconnectionRequest
from storage.repositories.stats_sql import Regions, in_regions, median, seconds_between

# Reached: the person answered a call, or reported themselves safe.
REACHED: tuple[RequestStatus, ...] = (RequestStatus.SAFE, RequestStatus.NEEDS_HELP)
# Could not reach: every call unanswered, or the number was wrong.
NOT_REACHED: tuple[RequestStatus, ...] = (RequestStatus.NOT_REACHED, RequestStatus.WRONG_NUMBER)


@dataclass(frozen=True, slots=True)
class CalloutCounts:
    callouts: int
    filled: int  # reached the people needed
    median_fill_seconds: float | None
    by_waves: dict[int, int]  # waves sent -> call-outs


@dataclass(frozen=True, slots=True)
class ReconnectionCounts:
    requests: int
    reached: int
    not_reached: int
    called: int  # requests a caller took at least once
    median_first_call_seconds: float | None


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class EmergencyStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def callouts(self, regions: Regions, start: datetime, end: datetime) -> CalloutCounts:
        where = (Callout.created_at >= start, Callout.created_at < end, in_regions(Callout.region, regions))
        by_waves = {int(wave): int(count) for wave, count in (await self.session.execute(
            select(Callout.wave, func.count()).where(*where).group_by(Callout.wave))).all()}
        # The answer that completed a call-out: the n-th "coming" (or arrived) by the time
        # it was given, n being the people needed. Its delay after the call-out is the time.
        counted = (
            select(Callout.needed, Callout.created_at.label("called_at"), CalloutAnswer.answered_at,
                   func.row_number().over(partition_by=CalloutAnswer.callout_id,
                                          order_by=(CalloutAnswer.answered_at, CalloutAnswer.id)).label("n"))
            .join(Callout, Callout.id == CalloutAnswer.callout_id)
            .where(*where, CalloutAnswer.status.in_(COUNTED), CalloutAnswer.answered_at.is_not(None))
            .subquery()
        )
        filled, seconds = await median(self.session, select(
            seconds_between(counted.c.called_at, counted.c.answered_at)).where(counted.c.n == counted.c.needed))
        return CalloutCounts(callouts=sum(by_waves.values()), filled=filled, median_fill_seconds=seconds,
                             by_waves=by_waves)

    async def reconnection(self, regions: Regions, start: datetime, end: datetime) -> ReconnectionCounts:
        r = ReconnectionRequest
        where = (r.created_at >= start, r.created_at < end, in_regions(r.region, regions))
        requests, reached, not_reached = (await self.session.execute(
            select(func.count(), _count(r.status.in_(REACHED)), _count(r.status.in_(NOT_REACHED))).where(*where)
        )).one()
        called, seconds = await median(self.session, select(seconds_between(r.created_at, r.first_claimed_at))
                                       .where(*where, r.first_claimed_at.is_not(None)))
        return ReconnectionCounts(requests=int(requests), reached=int(reached), not_reached=int(not_reached),
                                  called=called, median_first_call_seconds=seconds)
