"""The coordinator's live board of a call-out: one message, edited in place.

Driven by events, never by polling: the delivery engine's events about the call-out's
broadcasts (subscribed in bot/app.py: a sent message marks the answer row delivered)
and every change an answer or a coordinator's action makes (`touch`). Changes are
coalesced: a board is edited at most once every `interval` seconds (3 s, within what
Telegram allows for one message; measured on the injected clock, so tests move it rather
than wait), with the numbers as they are when the edit is made,
so a burst of 500 answers costs a handful of edits and the last one is exact. Edits go
through the bot's one limiter for all outgoing traffic (the bot's session middleware).
After a restart the next touch redraws the board from the database."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aiogram import html
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.callouts.cards import CalloutCards, what_of
from bot.domain.callouts import LAST_WAVE, AnswerStatus, BoardCounts, CalloutStatus
from bot.infra.clock import Clock
from bot.infra.delivery import MessageEvent, MessageSent
from bot.infra.delivery.outbox import after_commit
from bot.infra.i18n import LocalTime
from storage.db import Database, current_unit_of_work
from storage.models import Callout
from storage.repositories.callouts import CalloutRepository

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)

BOARD_INTERVAL = 3.0  # seconds between two edits of one board
NAMES_SHOWN = 25  # per list on the board


class BoardCb(CallbackData, prefix="cob"):
    """A coordinator's button on the board: wave | stop | msg | filled | reopen | close |
    close_yes | hours_ok | hours (the list to edit) | hours_edit (n = the hours row)."""

    action: str
    callout_id: int
    n: int = 0


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    status: AnswerStatus
    eta: int | None
    answered_at: datetime | None
    arrived_at: datetime | None


@dataclass(frozen=True, slots=True)
class BoardState:
    callout: Callout
    counts: BoardCounts
    people: list[Person]
    hours: list[tuple[str, float, bool]]  # name, hours, approved


class BoardRenderer:
    def __init__(self, i18n: I18n, local_time: LocalTime, cards: CalloutCards) -> None:
        self.i18n = i18n
        self.local_time = local_time
        self.cards = cards

    def _(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)

    def text(self, state: BoardState) -> str:
        callout, counts = state.callout, state.counts
        locale = callout.coordinator_locale
        _ = self._
        what = html.quote(what_of(self.i18n, callout, locale))
        lines = ["🚨 <b>" + _("Call-out", locale) + f" #{callout.id}: " + what + "</b>",
                 "📍 " + self.cards.region_name(callout.region, locale)
                 + (", " + html.quote(callout.place) if callout.place else "")]
        lines.append("👥 " + _("Needed: {needed}", locale).format(needed=callout.needed) + " · 🕒 "
                     + (_("from {time}", locale).format(time=self.local_time.time(callout.starts_at, locale))
                        if callout.starts_at > callout.created_at else _("now", locale)))
        lines.append(self._state_line(callout, counts, locale))
        lines.append("")
        lines.append(_("Invited: {invited} · delivered: {delivered}", locale).format(
            invited=counts.invited, delivered=counts.delivered))
        lines.append("✅ " + _("Coming: {coming}", locale).format(coming=counts.coming)
                     + " · 📍 " + _("arrived: {arrived}", locale).format(arrived=counts.arrived))
        lines.append("🙅 " + _("Can't: {declined}", locale).format(declined=counts.declined)
                     + " · ⏳ " + _("no answer: {waiting}", locale).format(waiting=counts.no_answer))
        if counts.standby:
            lines.append("🕒 " + _("On standby: {standby}", locale).format(standby=counts.standby))
        if counts.cancelled:
            lines.append("↩️ " + _("Cancelled after saying coming: {cancelled}", locale).format(
                cancelled=counts.cancelled))
        if callout.status == CalloutStatus.FILLED and counts.counted < callout.needed:
            lines.append("⚠️ <b>" + _("Someone coming cancelled: {counted} of {needed} now. Reopen to find more.",
                                      locale).format(counted=counts.counted, needed=callout.needed) + "</b>")
        coming = [p for p in state.people if p.status == AnswerStatus.COMING]
        arrived = [p for p in state.people if p.status == AnswerStatus.ARRIVED]
        if coming:
            lines += ["", "<b>" + _("Coming", locale) + ":</b>"]
            lines += [self._person(p, locale) for p in coming[:NAMES_SHOWN]]
            if len(coming) > NAMES_SHOWN:
                lines.append(f"… +{len(coming) - NAMES_SHOWN}")
        if arrived:
            lines += ["", "<b>" + _("Arrived", locale) + ":</b>"]
            lines += ["• " + html.quote(p.name) + (" · " + self.local_time.time(p.arrived_at, locale)
                                                   if p.arrived_at else "") for p in arrived[:NAMES_SHOWN]]
            if len(arrived) > NAMES_SHOWN:
                lines.append(f"… +{len(arrived) - NAMES_SHOWN}")
        if state.hours:
            lines += ["", "<b>" + _("Hours", locale) + ":</b>"]
            lines += [f"• {html.quote(name)}: {hours:g} " + _("h", locale) + (" ✅" if approved else "")
                      for name, hours, approved in state.hours]
        return "\n".join(lines)

    def _person(self, person: Person, locale: str) -> str:
        line = "• " + html.quote(person.name)
        if person.eta and person.answered_at:
            by = self.local_time.time(person.answered_at + timedelta(minutes=person.eta), locale)
            line += " · " + self._("~{minutes} min, by {time}", locale).format(minutes=person.eta, time=by)
        return line

    def _state_line(self, callout: Callout, counts: BoardCounts, locale: str) -> str:
        _ = self._
        if callout.status == CalloutStatus.CLOSED:
            return "🏁 <b>" + _("Closed", locale) + "</b>"
        if callout.status == CalloutStatus.FILLED:
            return "✅ <b>" + _("Filled", locale) + "</b>"
        wave = _("Wave {wave} of {last}", locale).format(wave=callout.wave, last=LAST_WAVE)
        if callout.waves_stopped:
            return "🌊 " + wave + " · " + _("waves stopped", locale)
        if callout.next_wave_at is not None:
            return "🌊 " + wave + " · " + _("next wave at {time} if too few are coming", locale).format(
                time=self.local_time.time(callout.next_wave_at, locale))
        return "🌊 " + wave + " · " + _("no more waves", locale)

    def markup(self, state: BoardState) -> InlineKeyboardMarkup | None:
        callout = state.callout
        locale = callout.coordinator_locale
        _ = self._

        def button(text: str, action: str) -> InlineKeyboardButton:
            return InlineKeyboardButton(text=text, callback_data=BoardCb(action=action, callout_id=callout.id).pack())

        rows: list[list[InlineKeyboardButton]] = []
        if callout.status == CalloutStatus.CLOSED:
            if any(not approved for _name, _hours, approved in state.hours):
                rows.append([button("✅ " + _("Approve hours", locale), "hours_ok"),
                             button("✏️ " + _("Edit hours", locale), "hours")])
            return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
        if callout.status == CalloutStatus.OPEN and callout.wave < LAST_WAVE:
            wave_row = [button("➡️ " + _("Next wave now", locale), "wave")]
            if not callout.waves_stopped:
                wave_row.append(button("⏹ " + _("Stop waves", locale), "stop"))
            rows.append(wave_row)
        rows.append([button("✉️ " + _("Message everyone coming", locale), "msg")])
        if callout.status == CalloutStatus.OPEN:
            rows.append([button("✅ " + _("Mark filled", locale), "filled"), button("🏁 " + _("Close", locale), "close")])
        else:
            rows.append([button("🔄 " + _("Reopen", locale), "reopen"), button("🏁 " + _("Close", locale), "close")])
        return InlineKeyboardMarkup(inline_keyboard=rows)


class BoardService:
    """Reads a board's state and keeps every board up to date (coalesced edits)."""

    def __init__(self, db: Database, renderer: BoardRenderer, clock: Clock, *,
                 interval: float = BOARD_INTERVAL) -> None:
        self.db = db
        self.renderer = renderer
        self.clock = clock
        self.interval = timedelta(seconds=interval)
        self.bot: Bot | None = None
        self._pending: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()
        self._last_edit: dict[int, datetime] = {}
        self._shown: dict[int, str] = {}

    async def state(self, callout_id: int) -> BoardState | None:
        async with self.db.read() as session:
            repo = CalloutRepository(session)
            callout = await repo.get(callout_id)
            if callout is None:
                return None
            by_status, delivered = await repo.status_counts(callout_id)
            rows = await repo.people(callout_id, (AnswerStatus.COMING, AnswerStatus.ARRIVED))
            hours = await repo.hours_of(callout_id)
        counts = BoardCounts(
            invited=sum(by_status.values()), delivered=delivered, coming=by_status.get(AnswerStatus.COMING, 0),
            arrived=by_status.get(AnswerStatus.ARRIVED, 0), declined=by_status.get(AnswerStatus.DECLINED, 0),
            standby=by_status.get(AnswerStatus.STANDBY, 0), cancelled=by_status.get(AnswerStatus.CANCELLED, 0))
        people = [Person(row.full_name or "—", AnswerStatus(row.status), row.eta_minutes, row.answered_at,
                         row.arrived_at) for row in rows]
        return BoardState(callout, counts, people,
                          [(name or "—", row.hours, row.approved_at is not None) for row, name in hours])

    async def render(self, callout_id: int) -> tuple[str, InlineKeyboardMarkup | None] | None:
        state = await self.state(callout_id)
        if state is None:
            return None
        return self.renderer.text(state), self.renderer.markup(state)

    async def set_message(self, callout_id: int, message_id: int, text: str,
                          markup: InlineKeyboardMarkup | None) -> None:
        """The board message was just shown (by the handler) as `text` and `markup`."""
        async with self.db.session() as session:
            await CalloutRepository(session).set_board(callout_id, message_id)
        self._shown[callout_id] = text + repr(markup)
        self._last_edit[callout_id] = self.clock.now()

    # --- keeping boards up to date -------------------------------------------------------

    def start(self, bot: Bot) -> None:
        self.bot = bot

    async def stop(self) -> None:
        tasks = list(self._pending.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping
                pass
        self._pending.clear()

    def touch(self, callout_id: int) -> None:
        """Something on this board changed: redraw it soon (coalesced). Inside an update
        that has written and not committed yet (the unit of work commits at its end),
        only once it commits: a redraw started earlier would read the board as it was
        (on PostgreSQL nothing makes that read wait for the commit) and miss the change."""
        if self.bot is None:
            return
        uow = current_unit_of_work()
        if uow is not None and uow.writing:
            after_commit(uow.session, lambda: self._touch(callout_id))
            return
        self._touch(callout_id)

    def _touch(self, callout_id: int) -> None:
        self._dirty.add(callout_id)
        if callout_id not in self._pending:
            self._pending[callout_id] = asyncio.get_running_loop().create_task(self._redraw(callout_id))

    async def on_event(self, event: MessageEvent) -> None:
        """A delivery event about a call-out's broadcast (subscribed in bot/app.py)."""
        if event.subject is None:
            return
        if isinstance(event, MessageSent) and event.volunteer_id is not None:
            async with self.db.session() as session:
                await CalloutRepository(session).mark_delivered(event.subject.id, event.volunteer_id)
        self.touch(event.subject.id)

    async def _redraw(self, callout_id: int) -> None:
        try:
            while callout_id in self._dirty:
                last = self._last_edit.get(callout_id)
                if last is not None:
                    await self.clock.sleep_until(last + self.interval)
                self._dirty.discard(callout_id)
                await self._edit(callout_id)
                self._last_edit[callout_id] = self.clock.now()
        except Exception:  # noqa: BLE001 - a board must never break what touched it
            log.exception("could not redraw the board of call-out %s", callout_id)
        finally:
            self._pending.pop(callout_id, None)

    async def _edit(self, callout_id: int) -> None:
        state = await self.state(callout_id)
        if state is None or state.callout.board_message_id is None or self.bot is None:
            return
        text, markup = self.renderer.text(state), self.renderer.markup(state)
        if self._shown.get(callout_id) == text + repr(markup):
            return
        try:
            await self.bot.edit_message_text(text=text, chat_id=state.callout.coordinator_telegram_id,
                                             message_id=int(state.callout.board_message_id), reply_markup=markup)
        except TelegramBadRequest as error:
            if "not modified" not in str(error).lower():
                log.info("board of call-out %s not edited: %s", callout_id, error)
        except TelegramAPIError as error:
            log.warning("board of call-out %s not edited: %s", callout_id, error)
            return
        self._shown[callout_id] = text + repr(markup)
