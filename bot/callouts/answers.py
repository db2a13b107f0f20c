"""A volunteer's answer to a call-out: "I'm coming" (with an arrival estimate), "Can't",
"I've arrived", "Stay on standby". Checked on the server, never trusted from the button:
only someone the call-out was sent to may answer, and only while it is not closed.

In ONE transaction (the call-out row is read FOR UPDATE; SQLite's writers queue): when
the needed number is reached the call-out is filled (no further waves); a later "I'm
coming" gets "already filled" and the offer to stand by. Someone coming who says "Can't"
is "cancelled"; a filled call-out stays filled and the board shows the gap, for the
coordinator to reopen with one tap. Answers may change while the call-out is open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callouts import COUNTED, ETA_CHOICES, AnswerStatus, CalloutStatus, is_filled
from bot.infra.clock import Clock
from storage.db import Database
from storage.models import Callout
from storage.repositories.audit import AuditRepository
from storage.repositories.callouts import CalloutRepository


class Outcome(StrEnum):
    COMING = "coming"
    FILLED_NOW = "filled_now"  # coming, and that filled it
    ALREADY_FILLED = "already_filled"
    STANDBY = "standby"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    ARRIVED = "arrived"
    NOT_COMING = "not_coming"  # "I've arrived" without having said "coming"
    UNCHANGED = "unchanged"
    CLOSED = "closed"
    NOT_INVITED = "not_invited"


@dataclass(frozen=True, slots=True)
class AnswerResult:
    outcome: Outcome
    callout: Callout | None = None
    status: AnswerStatus | None = None  # the answer now
    eta: int | None = None

    @property
    def filled(self) -> bool:
        return self.callout is not None and self.callout.status == CalloutStatus.FILLED


class AnswerService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.on_change: Callable[[int], None] = lambda callout_id: None

    async def answer(self, telegram_id: int, callout_id: int, action: str, eta: int = 0) -> AnswerResult:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CalloutRepository(session)
            callout = await repo.get_for_update(callout_id)
            volunteer_id = await repo.volunteer_id_of(telegram_id)
            answer = await repo.answer_of(callout_id, volunteer_id) if callout and volunteer_id else None
            if callout is None or answer is None:
                AuditRepository(session).record(at=now, actor=telegram_id, action="callout.answer", allowed=False,
                                                target=str(callout_id), details={"action": action[:16]})
                return AnswerResult(Outcome.NOT_INVITED)
            if callout.status == CalloutStatus.CLOSED:
                return AnswerResult(Outcome.CLOSED, callout, answer.status, answer.eta_minutes)
            current = answer.status
            outcome, new, values = self._decide(action, eta, current, callout, await repo.counted(callout_id),
                                                answer.eta_minutes)
            if new is not None and (new != current or values):
                await repo.set_answer(answer.id, new, when=(current,), **values)
                if outcome == Outcome.FILLED_NOW:
                    await repo.set_status(callout_id, CalloutStatus.FILLED, when=(CalloutStatus.OPEN,),
                                          filled_at=now, next_wave_at=None)
                AuditRepository(session).record(at=now, actor=telegram_id, action="callout.answer", allowed=True,
                                                target=str(callout_id),
                                                details={"from": str(current), "to": str(new), "eta": values.get(
                                                    "eta_minutes")})
                await session.flush()
                await session.refresh(callout)
            result = AnswerResult(outcome, callout, new or current,
                                  values.get("eta_minutes", answer.eta_minutes))  # type: ignore[arg-type]  # the stored value or the new one, both minutes
        if new is not None and outcome not in (Outcome.UNCHANGED,):
            self.on_change(callout_id)
        return result

    def _decide(self, action: str, eta: int, current: AnswerStatus, callout: Callout, counted: int,
                answer_eta: int | None = None) -> tuple[Outcome, AnswerStatus | None, dict[str, object]]:
        now = self.clock.now()
        if action == "go":
            if eta not in ETA_CHOICES:
                return Outcome.NOT_INVITED, None, {}
            if current == AnswerStatus.ARRIVED:
                return Outcome.UNCHANGED, None, {}
            if current == AnswerStatus.COMING:
                if eta == answer_eta:
                    return Outcome.UNCHANGED, None, {}
                return Outcome.COMING, AnswerStatus.COMING, {"eta_minutes": eta}
            if callout.status == CalloutStatus.FILLED or is_filled(counted, callout.needed):
                return Outcome.ALREADY_FILLED, None, {}
            filled = is_filled(counted + 1, callout.needed)
            return (Outcome.FILLED_NOW if filled else Outcome.COMING), AnswerStatus.COMING, {
                "eta_minutes": eta, "answered_at": now}
        if action == "standby":
            if current in COUNTED or current == AnswerStatus.STANDBY:
                return Outcome.UNCHANGED, None, {}
            return Outcome.STANDBY, AnswerStatus.STANDBY, {"answered_at": now}
        if action == "no":
            if current in COUNTED:
                return Outcome.CANCELLED, AnswerStatus.CANCELLED, {"answered_at": now}
            if current in (AnswerStatus.DECLINED, AnswerStatus.CANCELLED):
                return Outcome.UNCHANGED, None, {}
            return Outcome.DECLINED, AnswerStatus.DECLINED, {"answered_at": now}
        if action == "here":
            if current == AnswerStatus.ARRIVED:
                return Outcome.UNCHANGED, None, {}
            if current not in (AnswerStatus.COMING, AnswerStatus.STANDBY):
                return Outcome.NOT_COMING, None, {}
            return Outcome.ARRIVED, AnswerStatus.ARRIVED, {"arrived_at": now}
        return Outcome.NOT_INVITED, None, {}
