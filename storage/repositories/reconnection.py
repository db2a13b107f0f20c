"""Reconnection requests, the requesters' asks, claims by relay callers, name keys and
retention. A claim is taken, finished or released only by one conditional UPDATE, so two
callers can never hold one request."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, not_, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reconnection import OPEN_STATUSES, RequestStatus
from bot.domain.subjects import SubjectType
from storage.models import (
    DeliveryBroadcast,
    DeliveryMessage,
    NameVocabulary,
    NameWord,
    ReconnectionAsk,
    ReconnectionRequest,
    RelayCaller,
    SafeMatch,
    SafeReport,
)
from storage.repositories.results import affected_rows

# An emergency that keeps data from being erased: (its regions, declared at, closed at or None).
Hold = tuple[Sequence[str], datetime, datetime | None]

_OPEN = list(OPEN_STATUSES)


class ReconnectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- requests and asks ------------------------------------------------------------------

    async def request(self, request_id: int) -> ReconnectionRequest | None:
        return await self.session.get(ReconnectionRequest, request_id, populate_existing=True)

    async def requests(self, ids: Iterable[int]) -> list[ReconnectionRequest]:
        wanted = list(ids)
        if not wanted:
            return []
        rows = await self.session.scalars(select(ReconnectionRequest).where(ReconnectionRequest.id.in_(wanted)))
        return list(rows)

    async def open_by_phone(self, phone: str) -> ReconnectionRequest | None:
        return await self.session.scalar(
            select(ReconnectionRequest)
            .where(ReconnectionRequest.phone == phone, ReconnectionRequest.status.in_(_OPEN))
            .order_by(ReconnectionRequest.id).limit(1)
        )

    async def add_request(self, request: ReconnectionRequest) -> ReconnectionRequest:
        self.session.add(request)
        await self.session.flush()
        return request

    async def add_ask(self, ask: ReconnectionAsk) -> ReconnectionAsk:
        self.session.add(ask)
        await self.session.flush()
        return ask

    async def ask(self, ask_id: int) -> ReconnectionAsk | None:
        return await self.session.get(ReconnectionAsk, ask_id, populate_existing=True)

    async def active_asks(self, request_id: int) -> list[ReconnectionAsk]:
        rows = await self.session.scalars(
            select(ReconnectionAsk)
            .where(ReconnectionAsk.request_id == request_id, ReconnectionAsk.withdrawn_at.is_(None))
            .order_by(ReconnectionAsk.id)
        )
        return list(rows)

    async def asks_of(self, requester_id: int, limit: int = 30) -> list[tuple[ReconnectionAsk, ReconnectionRequest]]:
        rows = await self.session.execute(
            select(ReconnectionAsk, ReconnectionRequest)
            .join(ReconnectionRequest, ReconnectionRequest.id == ReconnectionAsk.request_id)
            .where(ReconnectionAsk.requester_id == requester_id)
            .order_by(ReconnectionAsk.id.desc()).limit(limit)
        )
        return [(ask, request) for ask, request in rows.all()]

    async def open_asks_count(self, requester_id: int) -> int:
        return int(await self.session.scalar(
            select(func.count(ReconnectionAsk.id))
            .join(ReconnectionRequest, ReconnectionRequest.id == ReconnectionAsk.request_id)
            .where(ReconnectionAsk.requester_id == requester_id, ReconnectionAsk.withdrawn_at.is_(None),
                   ReconnectionRequest.status.in_(_OPEN))
        ) or 0)

    async def asks_since(self, requester_id: int, since: datetime) -> int:
        return int(await self.session.scalar(
            select(func.count(ReconnectionAsk.id))
            .where(ReconnectionAsk.requester_id == requester_id, ReconnectionAsk.created_at >= since)
        ) or 0)

    async def withdraw_ask(self, ask_id: int, requester_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(ReconnectionAsk)
            .where(ReconnectionAsk.id == ask_id, ReconnectionAsk.requester_id == requester_id,
                   ReconnectionAsk.withdrawn_at.is_(None))
            .values(withdrawn_at=now).execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    async def change(self, request_id: int, from_statuses: Sequence[RequestStatus], now: datetime,
                     *, claimed_by: int | None = None, **values: Any) -> bool:
        """One conditional UPDATE: the request moves only from one of `from_statuses`
        (and, with `claimed_by`, only while that caller holds it)."""
        query = update(ReconnectionRequest).where(ReconnectionRequest.id == request_id,
                                                  ReconnectionRequest.status.in_(list(from_statuses)))
        if claimed_by is not None:
            query = query.where(ReconnectionRequest.claimed_by == claimed_by)
        result = await self.session.execute(
            query.values(updated_at=now, **values).execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    # -- the callers' queue ------------------------------------------------------------------

    async def held_by(self, caller_id: int) -> ReconnectionRequest | None:
        return await self.session.scalar(
            select(ReconnectionRequest)
            .where(ReconnectionRequest.status == RequestStatus.CLAIMED, ReconnectionRequest.claimed_by == caller_id)
            .limit(1).execution_options(populate_existing=True)
        )

    async def next_ids(self, languages: Sequence[str], region: str | None, now: datetime, limit: int = 5) -> list[int]:
        """Requests a caller may take now: a language they speak; their region first,
        then elderly or medical, then the oldest."""
        flagged = case((ReconnectionRequest.elderly | ReconnectionRequest.medical, 0), else_=1)
        mine = case((ReconnectionRequest.region == region, 0), else_=1) if region else flagged
        rows = await self.session.scalars(
            select(ReconnectionRequest.id)
            .where(ReconnectionRequest.status == RequestStatus.OPEN, ReconnectionRequest.next_call_at <= now,
                   ReconnectionRequest.language.in_(list(languages)))
            .order_by(mine, flagged, ReconnectionRequest.created_at, ReconnectionRequest.id)
            .limit(limit)
        )
        return list(rows)

    async def claim(self, request_id: int, caller_id: int, now: datetime, until: datetime) -> bool:
        result = await self.session.execute(
            update(ReconnectionRequest)
            .where(ReconnectionRequest.id == request_id, ReconnectionRequest.status == RequestStatus.OPEN,
                   ReconnectionRequest.next_call_at <= now)
            .values(status=RequestStatus.CLAIMED, claimed_by=caller_id, claimed_until=until, updated_at=now,
                    first_claimed_at=func.coalesce(ReconnectionRequest.first_claimed_at, now))
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    async def expired_claims(self, now: datetime, limit: int = 200) -> list[tuple[int, int]]:
        rows = await self.session.execute(
            select(ReconnectionRequest.id, ReconnectionRequest.claimed_by)
            .where(ReconnectionRequest.status == RequestStatus.CLAIMED, ReconnectionRequest.claimed_until <= now)
            .order_by(ReconnectionRequest.claimed_until).limit(limit)
        )
        return [(request_id, int(caller or 0)) for request_id, caller in rows.all()]

    # -- safe reports -------------------------------------------------------------------------

    async def reports(self, ids: Iterable[int]) -> list[SafeReport]:
        wanted = list(ids)
        if not wanted:
            return []
        return list(await self.session.scalars(select(SafeReport).where(SafeReport.id.in_(wanted))))

    async def report_by_phone(self, phone: str) -> SafeReport | None:
        """The latest report not erased with this phone."""
        return await self.session.scalar(
            select(SafeReport).where(SafeReport.phone == phone, SafeReport.erased_at.is_(None))
            .order_by(SafeReport.id.desc()).limit(1)
        )

    async def asks_offered(self, report_id: int) -> set[int]:
        """The asks this report was already offered to."""
        return set(await self.session.scalars(select(SafeMatch.ask_id).where(SafeMatch.report_id == report_id)))

    # -- names (bot.domain.names.stored) ------------------------------------------------------

    async def add_name(self, kind: str, record_id: int, words: Iterable[str],
                       vocabulary: Iterable[tuple[str, str]]) -> None:
        rows = [{"kind": kind, "word": word, "record_id": record_id} for word in set(words)]
        if rows:
            await self.session.execute(insert(NameWord), rows)
        # In one order everywhere: two requests adding the same new words wait for each
        # other on PostgreSQL instead of deadlocking.
        entries = [{"key": key, "word": word} for key, word in sorted(set(vocabulary))]
        if entries:
            dialect = self.session.get_bind().dialect.name
            statement = (postgresql.insert(NameVocabulary) if dialect == "postgresql"
                         else sqlite.insert(NameVocabulary)).on_conflict_do_nothing()
            await self.session.execute(statement, entries)

    async def vocabulary(self, keys: Iterable[str]) -> list[tuple[str, str]]:
        """(key, typed word) of the stored words having these keys."""
        wanted = sorted(set(keys))
        found: list[tuple[str, str]] = []
        for start in range(0, len(wanted), 500):
            rows = await self.session.execute(select(NameVocabulary.key, NameVocabulary.word)
                                              .where(NameVocabulary.key.in_(wanted[start:start + 500])))
            found.extend((key, word) for key, word in rows.all())
        return found

    async def records_with_words(self, kind: str, words: Iterable[str]) -> list[tuple[int, str]]:
        """(record, word) of the records having any of these stored words (one index
        range each, nothing else read)."""
        wanted = sorted(set(words))
        found: list[tuple[int, str]] = []
        for start in range(0, len(wanted), 500):
            rows = await self.session.execute(select(NameWord.record_id, NameWord.word).where(
                NameWord.kind == kind, NameWord.word.in_(wanted[start:start + 500])))
            found.extend((int(record_id), word) for record_id, word in rows.all())
        return found

    # -- callers --------------------------------------------------------------------------------

    async def is_caller(self, volunteer_id: int) -> bool:
        return await self.session.get(RelayCaller, volunteer_id) is not None

    async def set_caller(self, volunteer_id: int, on: bool, now: datetime) -> None:
        existing = await self.session.get(RelayCaller, volunteer_id)
        if on and existing is None:
            self.session.add(RelayCaller(volunteer_id=volunteer_id, since=now))
        elif not on and existing is not None:
            await self.session.delete(existing)

    # -- coordinators: counts, never lists of phones ------------------------------------------

    async def counts(self, regions: Sequence[str] | None) -> dict[RequestStatus, int]:
        query = select(ReconnectionRequest.status, func.count(ReconnectionRequest.id)).group_by(
            ReconnectionRequest.status)
        if regions is not None:
            query = query.where(ReconnectionRequest.region.in_(list(regions)))
        return {RequestStatus(status): int(count) for status, count in (await self.session.execute(query)).all()}

    async def needing_help(self, regions: Sequence[str] | None, limit: int = 20) -> list[ReconnectionRequest]:
        query = select(ReconnectionRequest).where(ReconnectionRequest.status == RequestStatus.NEEDS_HELP)
        if regions is not None:
            query = query.where(ReconnectionRequest.region.in_(list(regions)))
        return list(await self.session.scalars(query.order_by(ReconnectionRequest.closed_at.desc()).limit(limit)))

    # -- retention ------------------------------------------------------------------------------

    async def closed_before(self, moment: datetime, holds: Sequence[Hold] = (), limit: int = 500) -> list[int]:
        """Requests closed by `moment`, not erased, and not held by an emergency: a hold
        (regions, declared, closed or None) keeps every request of those regions that was
        open at some moment while the emergency was."""
        model = ReconnectionRequest
        held = [and_(model.region.in_(list(regions)), model.closed_at >= start,
                     model.created_at <= end if end is not None else true())
                for regions, start, end in holds if regions]
        query = select(model.id).where(model.closed_at <= moment, model.erased_at.is_(None))
        if held:
            query = query.where(not_(or_(*held)))
        return list(await self.session.scalars(query.limit(limit)))

    async def erase_requests(self, ids: Sequence[int], now: datetime) -> None:
        """Phones and messages go; names, regions and statuses stay for counts."""
        if not ids:
            return
        await self.session.execute(
            update(ReconnectionRequest).where(ReconnectionRequest.id.in_(list(ids)))
            .values(phone=None, note=None, erased_at=now, updated_at=now).execution_options(synchronize_session=False)
        )
        await self.session.execute(
            update(ReconnectionAsk).where(ReconnectionAsk.request_id.in_(list(ids)))
            .values(message=None).execution_options(synchronize_session=False)
        )
        # The status messages sent about them (they may quote the person's message).
        broadcasts = select(DeliveryBroadcast.id).where(DeliveryBroadcast.subject_type == SubjectType.RECONNECTION.value,
                                                        DeliveryBroadcast.subject_id.in_(list(ids)))
        await self.session.execute(
            update(DeliveryMessage).where(DeliveryMessage.broadcast_id.in_(broadcasts),
                                          DeliveryMessage.status.not_in(["queued", "sending"]))
            .values(text="—").execution_options(synchronize_session=False)
        )

    async def reports_before(self, moment: datetime, holds: Sequence[Hold] = (), limit: int = 500) -> list[int]:
        """Reports made by `moment`, not erased, and not made in a held emergency's
        regions while it was active (a report without a region is never held)."""
        held = [and_(SafeReport.region.is_not(None), SafeReport.region.in_(list(regions)),
                     SafeReport.created_at >= start, SafeReport.created_at <= end if end is not None else true())
                for regions, start, end in holds if regions]
        query = select(SafeReport.id).where(SafeReport.created_at <= moment, SafeReport.erased_at.is_(None))
        if held:
            query = query.where(not_(or_(*held)))
        return list(await self.session.scalars(query.limit(limit)))

    async def erase_reports(self, ids: Sequence[int], now: datetime) -> None:
        if ids:
            await self.session.execute(
                update(SafeReport).where(SafeReport.id.in_(list(ids)))
                .values(phone=None, message=None, erased_at=now).execution_options(synchronize_session=False)
            )

    async def drop_names(self, kind: str, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(delete(NameWord).where(NameWord.kind == kind, NameWord.record_id.in_(list(ids))))
