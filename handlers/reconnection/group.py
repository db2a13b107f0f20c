"""The bot in a reconnection group chat. /find and /safe are answered with a button that
opens a private chat with the bot (a deep link), so personal data is never posted in the
group; a message with a phone number gets a gentle suggestion to use the private chat (and,
when the bot is an administrator that may delete messages, a button with which the
author has it deleted).
Anything else in a group is left alone (the bot is not a participant of the talk).
Status lines ("R-1001: reached, safe") come through the delivery engine, which keeps
a group within 20 messages a minute."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot.domain.group_links import group_payload, link_key
from bot.domain.reconnection import looks_like_phone
from handlers.ui import show

log = logging.getLogger(__name__)

GROUPS = F.chat.type.in_({"group", "supergroup"})


class GroupCb(CallbackData, prefix="grp"):
    """"Delete my message" under the suggestion: the message and its author."""

    message_id: int
    author: int


async def _link(bot: Bot, payload: str) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}?start={payload}"


def find_link_payload(bot: Bot, chat_id: int) -> str:
    """The signed start parameter naming this group (bot/domain/group_links.py)."""
    return group_payload(link_key(bot.token), chat_id)


async def is_member(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Is the user in the group now? Any failure (the bot was removed, the group is gone)
    counts as no."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramAPIError as error:
        log.info("could not check %s in %s: %s", user_id, chat_id, error)
        return False
    if isinstance(member, ChatMemberLeft | ChatMemberBanned):
        return False
    return not isinstance(member, ChatMemberRestricted) or member.is_member


async def find_in_group(message: Message, bot: Bot) -> None:
    url = await _link(bot, find_link_payload(bot, message.chat.id))
    await message.reply(_("To protect personal data, requests are made in a private chat with me."),
                        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                            InlineKeyboardButton(text="🔎 " + _("Ask to check on someone"), url=url)]]))


async def safe_in_group(message: Message, bot: Bot) -> None:
    url = await _link(bot, "safe")
    await message.reply(_("To protect personal data, tell me you are safe in a private chat."),
                        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                            InlineKeyboardButton(text="🟢 " + _("I am safe"), url=url)]]))


async def _can_delete(bot: Bot, chat_id: int) -> bool:
    """Is the bot an administrator of the group that may delete messages?"""
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except TelegramAPIError as error:
        log.info("could not read the bot's rights in %s: %s", chat_id, error)
        return False
    return isinstance(member, ChatMemberAdministrator) and member.can_delete_messages


async def phone_in_group(message: Message, bot: Bot) -> None:
    url = await _link(bot, find_link_payload(bot, message.chat.id))
    rows = [[InlineKeyboardButton(text="🔎 " + _("Ask to check on someone"), url=url)]]
    if message.from_user is not None and await _can_delete(bot, message.chat.id):
        rows.append([InlineKeyboardButton(text="🗑 " + _("Delete my message"), callback_data=GroupCb(
            message_id=message.message_id, author=message.from_user.id).pack())])
    await message.reply(_("Please do not post phone numbers in the group: everyone here can see them. Send the "
                          "request to me privately; only the volunteer who calls will see the number."),
                        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def delete_posted(query: CallbackQuery, callback_data: GroupCb, bot: Bot) -> None:
    """Only the author may have their message deleted."""
    if query.from_user.id != callback_data.author or not isinstance(query.message, Message):
        await query.answer(_("Only the author of the message can delete it."), show_alert=True)
        return
    try:
        await bot.delete_message(query.message.chat.id, callback_data.message_id)
    except TelegramAPIError:
        await query.answer(_("I could not delete it: please delete it yourself."), show_alert=True)
        return
    await query.answer()
    await show(query, _("The message with the phone number is deleted. Thank you!"))


async def ignore(message: Message) -> None:
    return None


def has_phone(message: Message) -> bool:
    return looks_like_phone(message.text or message.caption or "")


def build_group_router() -> Router:
    router = Router(name="reconnection-group")
    router.message.filter(GROUPS)
    router.message.register(find_in_group, Command("find"))
    router.message.register(safe_in_group, Command("safe"))
    router.message.register(phone_in_group, has_phone)
    router.message.register(ignore)
    router.callback_query.register(delete_posted, GroupCb.filter())
    return router
