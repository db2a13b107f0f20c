"""/myrequests: a requester's requests with their status, and withdrawing one (after a
confirmation). Also the requester's answer to a possible name match from /safe."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.reconnection.buttons import SafeMatchCb
from bot.reconnection.notify import Notifier
from bot.reconnection.requests import RequestService
from bot.reconnection.safe import SafeService
from handlers.reconnection.common import RcCb
from handlers.ui import answer_stale, sender_id, show


async def my_requests(message: Message, requests: RequestService, notifier: Notifier, locale: str) -> None:
    mine = await requests.mine(sender_id(message))
    if not mine:
        await message.answer(_("You have no requests. Send /find to ask a volunteer to check on someone."))
        return
    lines = ["<b>" + _("My requests") + "</b>"]
    buttons = []
    for item in mine:
        status = _("withdrawn") if item.ask.withdrawn_at is not None else notifier.status_name(item.request.status,
                                                                                                locale)
        lines.append(f"{item.reference} · {html.escape(item.request.full_name)} · {status}")
        if item.can_withdraw:
            buttons.append([InlineKeyboardButton(text=_("Withdraw {ref}").format(ref=item.reference),
                                                 callback_data=RcCb(action="withdraw", ref=item.ask.id).pack())])
    await message.answer("\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons) if buttons
                         else None)


async def withdraw_button(query: CallbackQuery, callback_data: RcCb, requests: RequestService) -> None:
    mine = {item.ask.id: item for item in await requests.mine(query.from_user.id)}
    item = mine.get(callback_data.ref)
    if item is None or not item.can_withdraw:
        await answer_stale(query)
        return
    await query.answer()
    await show(query, _("Withdraw {ref}? Volunteers will not call {name} for you.").format(
        ref=item.reference, name=html.escape(item.request.full_name)), InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=_("Yes, withdraw"), callback_data=RcCb(action="withdraw_yes",
                                                                            ref=item.ask.id).pack()),
            InlineKeyboardButton(text=_("No, keep it"), callback_data=RcCb(action="keep").pack()),
        ]]))


async def withdraw_yes(query: CallbackQuery, callback_data: RcCb, requests: RequestService) -> None:
    if not await requests.withdraw(callback_data.ref, query.from_user.id):
        await answer_stale(query)
        return
    await query.answer()
    await show(query, _("The request is withdrawn."))


async def keep(query: CallbackQuery) -> None:
    await query.answer()
    await show(query, _("The request stays open."))


async def match_answer(query: CallbackQuery, callback_data: SafeMatchCb, safe: SafeService) -> None:
    result = await safe.answer_match(callback_data.match_id, query.from_user.id, bool(callback_data.yes))
    if not result.ok:
        await answer_stale(query)
        return
    await query.answer()
    if callback_data.yes:
        await show(query, _("✅ Thank you. The request is closed: they are safe."))
    else:
        await show(query, _("Thank you. The request stays open and a volunteer will call."))


def build_mine_router() -> Router:
    router = Router(name="reconnection-mine")
    router.message.filter(F.chat.type == "private")
    router.message.register(my_requests, Command("myrequests"))
    router.callback_query.register(withdraw_button, RcCb.filter(F.action == "withdraw"))
    router.callback_query.register(withdraw_yes, RcCb.filter(F.action == "withdraw_yes"))
    router.callback_query.register(keep, RcCb.filter(F.action == "keep"))
    router.callback_query.register(match_answer, SafeMatchCb.filter())
    return router
