"""The coordinator's live board of a call-out and its buttons: next wave now, stop the
waves, message everyone coming, mark filled / reopen, close (with a confirmation:
stand-down and hours), then approve or edit the hours.

Only a coordinator of the call-out's region or an admin may press them: anyone else
(a forged button) is refused politely and audited; a button of a closed call-out that
would change it gets a polite answer and changes nothing."""

from __future__ import annotations

import re

from aiogram import F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.access.roles import AccessService, UserRoles
from bot.callouts.board import BoardCb, BoardService
from bot.callouts.lifecycle import MAX_HOURS, CalloutLifecycle, may_manage
from bot.callouts.service import CalloutService
from bot.domain.callouts import CalloutStatus
from handlers.access_guard import refuse
from handlers.coordinator.callout.dialog import CalloutStates
from handlers.keyboards import nav_buttons
from handlers.ui import NOT_A_COMMAND, AnyMessage, answer_stale, sender_id

ACTION = {"action": "callout.manage"}
MAX_MESSAGE = 1000
_HOURS = re.compile(r"^\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*(?:h|ч|сағ\.?)?\s*$", re.I)


async def show_board(message: AnyMessage, callout_id: int, boards: BoardService) -> None:
    """Turn `message` (the preview) into the board, or send it anew."""
    rendered = await boards.render(callout_id)
    if rendered is None:
        return
    text, markup = rendered
    shown: Message | None = None
    if isinstance(message, Message):
        try:
            edited = await message.edit_text(text, reply_markup=markup)
            shown = edited if isinstance(edited, Message) else message
        except TelegramBadRequest:  # too old to edit: a new message
            shown = None
    if shown is None:
        shown = await message.answer(text, reply_markup=markup)
    await boards.set_message(callout_id, shown.message_id, text, markup)
    boards.touch(callout_id)


async def board_button(query: CallbackQuery, callback_data: BoardCb, state: FSMContext, roles: UserRoles,
                       access: AccessService, callouts: CalloutService, callout_life: CalloutLifecycle,
                       boards: BoardService) -> None:
    callout = await callouts.get(callback_data.callout_id)
    if callout is None:
        await answer_stale(query)
        return
    action = callback_data.action
    if not may_manage(callout, roles):
        await refuse(query, access, f"callout.{action}"[:64], target=str(callout.id),
                     message=_("Sorry, only coordinators of the call-out's region can do this."))
        return
    closed = callout.status == CalloutStatus.CLOSED
    if closed and action not in ("hours_ok", "hours", "hours_edit"):
        await query.answer(_("This call-out is closed."), show_alert=True)
        return
    uid = query.from_user.id
    if action == "wave":
        sent = await callouts.next_wave(callout.id, uid)
        await query.answer(_("Wave {wave} sent: {count}.").format(wave=sent.wave, count=sent.queued)
                           if sent.wave else _("No further wave: enough are coming, or none is left."),
                           show_alert=not sent.wave)
    elif action == "stop":
        await callout_life.stop_waves(callout.id, uid)
        await query.answer(_("Waves stopped."))
    elif action == "filled":
        await callout_life.mark_filled(callout.id, uid)
        await query.answer(_("Marked filled: no further waves."))
    elif action == "reopen":
        changed = await callout_life.reopen(callout.id, uid)
        await query.answer(_("Reopened.") if changed else _("It is open already."))
    elif action == "close":
        await query.answer()
        markup = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="🏁 " + _("Yes, close it"),
                                  callback_data=BoardCb(action="close_yes", callout_id=callout.id).pack())],
            nav_buttons(back=False)])
        if query.message is not None:
            await query.message.answer(
                _("Close call-out #{id}? Everyone coming gets a stand-down and thanks, and hours are recorded for "
                  "those who arrived.").format(id=callout.id), reply_markup=markup)
    elif action == "close_yes":
        result = await callout_life.close(callout.id, uid)
        if result is None:
            await query.answer(_("This call-out is closed."), show_alert=True)
            return
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(
                "🏁 " + _("Call-out #{id} closed. Stand-down sent to {people}; hours recorded for {hours}.").format(
                    id=callout.id, people=result.stood_down, hours=result.hours))
    elif action == "msg":
        await query.answer()
        await state.set_state(CalloutStates.message)
        await state.set_data({"callout_id": callout.id})
        if query.message is not None:
            await query.message.answer(_("Type the message for everyone coming (up to {max} characters).").format(
                max=MAX_MESSAGE), reply_markup=InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=False)]))
    elif action == "hours_ok":
        approved = await callout_life.approve_hours(callout.id, uid)
        boards.touch(callout.id)
        await query.answer(ngettext("Hours approved for {count} person.", "Hours approved for {count} people.",
                                    approved).format(count=approved))
    elif action == "hours":
        await query.answer()
        rows = [[InlineKeyboardButton(text=f"✏️ {(name or '—')[:30]}: {row.hours:g}",
                                      callback_data=BoardCb(action="hours_edit", callout_id=callout.id,
                                                            n=row.id).pack())]
                for row, name in await callout_life.hours_of(callout.id) if row.approved_at is None]
        if query.message is not None and rows:
            await query.message.answer(_("Whose hours do you want to change?"),
                                       reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    elif action == "hours_edit":
        await query.answer()
        await state.set_state(CalloutStates.hours)
        await state.set_data({"callout_id": callout.id, "hours_id": callback_data.n})
        if query.message is not None:
            await query.message.answer(_("Type the hours, for example 2.5."),
                                       reply_markup=InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=False)]))
    else:
        await answer_stale(query)


async def typed_message(message: Message, state: FSMContext, roles: UserRoles, access: AccessService,
                        callouts: CalloutService, callout_life: CalloutLifecycle) -> None:
    data = await state.get_data()
    callout = await callouts.get(int(data.get("callout_id", 0)))
    text = (message.text or "").strip()
    if callout is None or not may_manage(callout, roles):
        await state.clear()
        await refuse(message, access, "callout.message", target=str(data.get("callout_id")))
        return
    if not text or len(text) > MAX_MESSAGE:
        await message.answer(_("Type the message for everyone coming (up to {max} characters).").format(
            max=MAX_MESSAGE))
        return
    await state.clear()
    count = await callout_life.message_coming(callout.id, sender_id(message), text)
    await message.answer(ngettext("Sent to {count} person.", "Sent to {count} people.", count).format(count=count)
                         if callout.status != CalloutStatus.CLOSED else _("This call-out is closed."))


async def typed_hours(message: Message, state: FSMContext, roles: UserRoles, access: AccessService,
                      callouts: CalloutService, callout_life: CalloutLifecycle, boards: BoardService) -> None:
    data = await state.get_data()
    callout = await callouts.get(int(data.get("callout_id", 0)))
    if callout is None or not may_manage(callout, roles):
        await state.clear()
        await refuse(message, access, "callout.hours.edit", target=str(data.get("callout_id")))
        return
    match = _HOURS.match(message.text or "")
    hours = float(match.group(1).replace(",", ".")) if match else -1.0
    if not 0 <= hours <= MAX_HOURS:
        await message.answer(_("Please type a number of hours from 0 to {max}, for example 2.5.").format(
            max=int(MAX_HOURS)))
        return
    await state.clear()
    row = await callout_life.set_hours(int(data.get("hours_id", 0)), callout.id, sender_id(message), hours)
    if row is None:
        await message.answer(_("These hours are approved already and cannot be changed."))
        return
    boards.touch(callout.id)
    await message.answer(_("Hours changed to {hours}.").format(hours=html.quote(f"{hours:g}")))


def build_board_router() -> Router:
    router = Router(name="callout-board")
    router.callback_query.register(board_button, BoardCb.filter(), flags=ACTION)
    router.message.register(typed_message, StateFilter(CalloutStates.message), F.text, NOT_A_COMMAND, flags=ACTION)
    router.message.register(typed_hours, StateFilter(CalloutStates.hours), F.text, NOT_A_COMMAND, flags=ACTION)
    return router
