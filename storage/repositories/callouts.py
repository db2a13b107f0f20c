"""Call-outs, the answers of the volunteers invited, and the hours of those who arrived."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.domain.callouts import COUNTED, AnswerStatus, CalloutStatus
from storage.models import Callout, CalloutAnswer, CalloutHours, Volunteer
from storage.repositories.results import affected_rows

LIVE = (CalloutStatus.OPEN, CalloutStatus.FILLED)


class CalloutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- call-outs ------------------------------------------------------------------------

    async def add(self, callout: Callout) -> Callout:
        self.session.add(callout)
        await self.session.flush()
        return callout

    async def get(self, callout_id: int) -> Callout | None:
        return await self.session.get(Callout, callout_id)

    async def get_for_update(self, callout_id: int) -> Callout | None:
        """The call-out, locked for this transaction (PostgreSQL; SQLite's writers queue)."""
        return await self.session.scalar(select(Callout).where(Callout.id == callout_id).with_for_update())

    async def live_in(self, regions: Iterable[str]) -> list[Callout]:
        """Open or filled call-outs of these regions, newest first."""
        return list(await self.session.scalars(
            select(Callout).where(Callout.region.in_(list(regions)), Callout.status.in_(LIVE))
            .order_by(Callout.id.desc())))

    async def live_of_emergency(self, emergency_id: int) -> list[Callout]:
        return list(await self.session.scalars(
            select(Callout).where(Callout.emergency_id == emergency_id, Callout.status.in_(LIVE))))

    async def due_waves(self, now: datetime) -> list[int]:
        return list(await self.session.scalars(
            select(Callout.id).where(Callout.status == CalloutStatus.OPEN, Callout.waves_stopped.is_(False),
                                     Callout.next_wave_at.is_not(None), Callout.next_wave_at <= now)
            .order_by(Callout.next_wave_at)))

    async def set_status(self, callout_id: int, status: CalloutStatus, *, when: Sequence[CalloutStatus],
                         **values: Any) -> bool:
        """`status` (and `values`) only if the call-out is in one of `when`."""
        result = await self.session.execute(
            update(Callout).where(Callout.id == callout_id, Callout.status.in_(list(when)))
            .values(status=status, **values))
        return bool(affected_rows(result))

    async def take_wave(self, callout_id: int, expected: int, wave: int, next_at: datetime | None) -> bool:
        """Move an open call-out from wave `expected` to `wave`, once (a race sends it once)."""
        result = await self.session.execute(
            update(Callout).where(Callout.id == callout_id, Callout.wave == expected,
                                  Callout.status == CalloutStatus.OPEN)
            .values(wave=wave, next_wave_at=next_at))
        return bool(affected_rows(result))

    async def set_board(self, callout_id: int, message_id: int) -> None:
        await self.session.execute(update(Callout).where(Callout.id == callout_id)
                                   .values(board_message_id=message_id))

    # --- answers --------------------------------------------------------------------------

    async def add_invited(self, callout_id: int, volunteer_ids: Sequence[int], wave: int, now: datetime) -> None:
        if volunteer_ids:
            await self.session.execute(insert(CalloutAnswer), [
                {"callout_id": callout_id, "volunteer_id": vid, "wave": wave, "status": AnswerStatus.INVITED,
                 "delivered": False, "invited_at": now} for vid in volunteer_ids])

    async def volunteer_id_of(self, telegram_id: int) -> int | None:
        return await self.session.scalar(select(Volunteer.id).where(Volunteer.telegram_id == telegram_id))

    async def answer_of(self, callout_id: int, volunteer_id: int) -> CalloutAnswer | None:
        return await self.session.scalar(select(CalloutAnswer).where(
            CalloutAnswer.callout_id == callout_id, CalloutAnswer.volunteer_id == volunteer_id))

    async def set_answer(self, answer_id: int, status: AnswerStatus, *, when: Sequence[AnswerStatus],
                         **values: Any) -> bool:
        result = await self.session.execute(
            update(CalloutAnswer).where(CalloutAnswer.id == answer_id, CalloutAnswer.status.in_(list(when)))
            .values(status=status, **values))
        return bool(affected_rows(result))

    async def mark_delivered(self, callout_id: int, volunteer_id: int) -> None:
        await self.session.execute(update(CalloutAnswer).where(
            CalloutAnswer.callout_id == callout_id, CalloutAnswer.volunteer_id == volunteer_id)
            .values(delivered=True))

    async def counted(self, callout_id: int) -> int:
        """People coming or arrived."""
        return int(await self.session.scalar(select(func.count()).select_from(CalloutAnswer).where(
            CalloutAnswer.callout_id == callout_id, CalloutAnswer.status.in_(COUNTED))) or 0)

    async def status_counts(self, callout_id: int) -> tuple[dict[str, int], int]:
        """({answer status: count}, delivered)."""
        rows = (await self.session.execute(
            select(CalloutAnswer.status, func.count()).where(CalloutAnswer.callout_id == callout_id)
            .group_by(CalloutAnswer.status))).all()
        delivered = await self.session.scalar(select(func.count()).select_from(CalloutAnswer).where(
            CalloutAnswer.callout_id == callout_id, CalloutAnswer.delivered.is_(True)))
        return {str(status): int(n) for status, n in rows}, int(delivered or 0)

    async def people(self, callout_id: int, statuses: Sequence[AnswerStatus]) -> list[Any]:
        """(volunteer id, telegram id, locale, full name, status, eta minutes, answered at,
        arrived at) of the answers in `statuses`, in the order they answered."""
        return list((await self.session.execute(
            select(Volunteer.id, Volunteer.telegram_id, Volunteer.locale, Volunteer.full_name, CalloutAnswer.status,
                   CalloutAnswer.eta_minutes, CalloutAnswer.answered_at, CalloutAnswer.arrived_at)
            .join(CalloutAnswer, CalloutAnswer.volunteer_id == Volunteer.id)
            .where(CalloutAnswer.callout_id == callout_id, CalloutAnswer.status.in_(list(statuses)))
            .order_by(CalloutAnswer.answered_at, CalloutAnswer.id))).all())

    async def open_answers_of(self, volunteer_id: int) -> list[tuple[Callout, CalloutAnswer]]:
        """The volunteer's answers to call-outs that are not closed (newest first)."""
        rows = (await self.session.execute(
            select(Callout, CalloutAnswer).join(CalloutAnswer, CalloutAnswer.callout_id == Callout.id)
            .where(CalloutAnswer.volunteer_id == volunteer_id, Callout.status.in_(LIVE))
            .order_by(Callout.id.desc()))).all()
        return [(callout, answer) for callout, answer in rows]

    # --- hours ----------------------------------------------------------------------------

    async def add_hours(self, rows: Sequence[CalloutHours]) -> None:
        self.session.add_all(list(rows))
        await self.session.flush()

    async def hours_of(self, callout_id: int) -> list[tuple[CalloutHours, str | None]]:
        rows = (await self.session.execute(
            select(CalloutHours, Volunteer.full_name).join(Volunteer, Volunteer.id == CalloutHours.volunteer_id)
            .where(CalloutHours.callout_id == callout_id).order_by(CalloutHours.id))).all()
        return [(hours, name) for hours, name in rows]

    async def unapproved_hours(self, callout_id: int) -> list[CalloutHours]:
        return list(await self.session.scalars(select(CalloutHours).where(
            CalloutHours.callout_id == callout_id, CalloutHours.approved_at.is_(None)).order_by(CalloutHours.id)))

    async def approve_hours(self, rows: Sequence[CalloutHours], actor: int, now: datetime) -> list[CalloutHours]:
        """Approve these rows and add their hours to the volunteers' totals; a row approved
        meanwhile (a second tap) is skipped (conditional UPDATE). Returns the rows approved."""
        approved = []
        for row in rows:
            result = await self.session.execute(
                update(CalloutHours).where(CalloutHours.id == row.id, CalloutHours.approved_at.is_(None))
                .values(approved_at=now, approved_by=actor).execution_options(synchronize_session=False))
            if not affected_rows(result):
                continue
            set_committed_value(row, "approved_at", now)
            set_committed_value(row, "approved_by", actor)
            await self.session.execute(update(Volunteer).where(Volunteer.id == row.volunteer_id)
                                       .values(hours=Volunteer.hours + row.hours))
            approved.append(row)
        await self.session.flush()
        return approved

    async def get_hours(self, hours_id: int) -> CalloutHours | None:
        return await self.session.get(CalloutHours, hours_id)
