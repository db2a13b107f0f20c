"""Telling requesters (and the group a request came from) what became of a request,
each in their own language, through the delivery engine. No message here ever carries
a phone number: only the reference, the name, the city and the person's own words."""

from __future__ import annotations

import html
from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.delivery import DeliveryLane
from bot.domain.reconnection import MAX_ATTEMPTS, RequestStatus, reference
from bot.domain.subjects import Subject, SubjectType
from bot.domain.texts import N_
from bot.infra.delivery import DeliveryService, OutgoingMessage
from storage.models import ReconnectionAsk, ReconnectionRequest

STATUS_NAMES = {
    RequestStatus.OPEN: N_("waiting for a call"),
    RequestStatus.CLAIMED: N_("a volunteer is calling"),
    RequestStatus.SAFE: N_("reached, safe"),
    RequestStatus.NEEDS_HELP: N_("reached, needs help"),
    RequestStatus.NOT_REACHED: N_("could not reach"),
    RequestStatus.WRONG_NUMBER: N_("wrong number"),
    RequestStatus.WITHDRAWN: N_("withdrawn"),
}

_UPDATES = {
    RequestStatus.SAFE: N_("✅ {ref}: {name} was reached by phone and is safe."),
    RequestStatus.NEEDS_HELP: N_("⚠️ {ref}: {name} was reached by phone and needs help. The coordinators of the "
                                 "region have been told."),
    RequestStatus.NOT_REACHED: N_("📵 {ref}: we could not reach {name}: nobody answered after {attempts} calls."),
    RequestStatus.WRONG_NUMBER: N_("❌ {ref}: the number you gave for {name} is wrong: the person who answered is "
                                   "someone else. You can send a new request with /find."),
}
NO_ANSWER = N_("📞 {ref}: a volunteer called {name} but nobody answered. We will call again in 30 minutes "
               "(attempt {attempts} of {max}).")
CALLING = N_("📞 {ref}: a volunteer is calling {name} now.")
BACK_IN_QUEUE = N_("🔁 {ref}: the volunteer could not finish the call to {name}. Your request is back in the queue: "
                   "another volunteer will call.")
SELF_SAFE = N_("✅ {ref}: {name} reported themselves safe through the bot.")
MERGED_NEW = N_("Someone else is already looking for this person. Your requests are joined: one volunteer call "
                "answers both of you.")
MERGED_OLD = N_("🔗 {ref}: another person is also looking for {name}. The requests are joined; nothing changes "
                "for you.")
FROM_PERSON = N_("Their message: «{note}»")
GROUP_LINE = N_("{ref}: {status}")


class Notifier:
    def __init__(self, i18n: I18n, delivery: DeliveryService) -> None:
        self.i18n = i18n
        self.delivery = delivery

    def t(self, msgid: str, locale: str, **values: object) -> str:
        text = self.i18n.gettext(msgid, locale=locale)
        return text.format(**values) if values else text

    def status_name(self, status: RequestStatus, locale: str) -> str:
        return self.t(STATUS_NAMES[status], locale)

    def update_text(self, request: ReconnectionRequest, ask: ReconnectionAsk, *, self_report: bool = False) -> str:
        values = {"ref": reference(ask.id), "name": html.escape(request.full_name), "attempts": request.attempts,
                  "max": MAX_ATTEMPTS}
        if self_report:
            text = self.t(SELF_SAFE, ask.locale, **values)
        elif request.status == RequestStatus.OPEN:
            text = self.t(NO_ANSWER, ask.locale, **values)
        else:
            text = self.t(_UPDATES[request.status], ask.locale, **values)
        if request.note and request.status in (RequestStatus.SAFE, RequestStatus.NEEDS_HELP):
            text += "\n" + self.t(FROM_PERSON, ask.locale, note=html.escape(request.note))
        return text

    async def tell(self, session: AsyncSession, request: ReconnectionRequest, asks: Sequence[ReconnectionAsk],
                   texts: Sequence[str], kind: str, key: str,
                   markups: Sequence[InlineKeyboardMarkup | None] | None = None) -> None:
        """Queue one message per ask (same transaction as the change); the groups the asks
        came from get a short status line, no names and no phones."""
        messages = [OutgoingMessage(ask.requester_id, text, markups[n] if markups else None)
                    for n, (ask, text) in enumerate(zip(asks, texts, strict=True))]
        if messages:
            await self.delivery.add_broadcast(session, kind, DeliveryLane.PERSONAL, None, messages, key=key,
                                              subject=Subject(SubjectType.RECONNECTION, request.id))
            self.delivery.wake_after_commit(session, DeliveryLane.PERSONAL)
        lines = [OutgoingMessage(ask.group_chat_id, self.t(GROUP_LINE, ask.locale, ref=reference(ask.id),
                                                           status=self.status_name(request.status, ask.locale)))
                 for ask in asks if ask.group_chat_id is not None]
        if lines and kind == "reconnection_status":
            await self.delivery.add_broadcast(session, "reconnection_group", DeliveryLane.ROUTINE, None, lines,
                                              key=key + ":group", subject=Subject(SubjectType.RECONNECTION, request.id))
            self.delivery.wake_after_commit(session, DeliveryLane.ROUTINE)

    async def status_changed(self, session: AsyncSession, request: ReconnectionRequest,
                             asks: Sequence[ReconnectionAsk], *, self_report: bool = False) -> None:
        key = f"reconnection:{request.id}:{request.status.value}:{request.attempts}:{int(self_report)}"
        await self.tell(session, request, asks, [self.update_text(request, ask, self_report=self_report)
                                                 for ask in asks], "reconnection_status", key)

    async def calling(self, session: AsyncSession, request: ReconnectionRequest,
                      asks: Sequence[ReconnectionAsk]) -> None:
        """A caller took the request (each claim; see back_in_queue for its end without an
        outcome)."""
        texts = [self.t(CALLING, ask.locale, ref=reference(ask.id), name=html.escape(request.full_name))
                 for ask in asks]
        await self.tell(session, request, asks, texts, "reconnection_calling",
                        f"reconnection:{request.id}:calling:{request.attempts}:{_stamp(request)}")

    async def back_in_queue(self, session: AsyncSession, request: ReconnectionRequest,
                            asks: Sequence[ReconnectionAsk]) -> None:
        """A claim ended without an outcome (ran out or released): the requesters, told
        "a volunteer is calling", hear it went back to the queue, once per claim
        (`request` as it was while claimed)."""
        texts = [self.t(BACK_IN_QUEUE, ask.locale, ref=reference(ask.id), name=html.escape(request.full_name))
                 for ask in asks]
        await self.tell(session, request, asks, texts, "reconnection_requeued",
                        f"reconnection:{request.id}:requeued:{request.attempts}:{_stamp(request)}")

    async def merged(self, session: AsyncSession, request: ReconnectionRequest,
                     earlier: Sequence[ReconnectionAsk], new_ask_id: int) -> None:
        texts = [self.t(MERGED_OLD, ask.locale, ref=reference(ask.id), name=html.escape(request.full_name))
                 for ask in earlier]
        await self.tell(session, request, earlier, texts, "reconnection_merged",
                        f"reconnection:{request.id}:merged:{new_ask_id}")


def _stamp(request: ReconnectionRequest) -> str:
    """Which claim: its end, unique per claim of a request."""
    return request.claimed_until.isoformat() if request.claimed_until else ""
