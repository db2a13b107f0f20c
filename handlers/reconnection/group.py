"""The bot in a reconnection group chat. /find and /safe are answered with a button that
opens a private chat with the bot (a deep link), so personal data is never posted in the
group; a message with a phone number gets a gentle suggestion to use the private chat.
Anything else in a group is left alone (the bot is not a participant of the talk).
Status lines ("R-1001: reached, safe") come through the delivery engine, which keeps
a group within 20 messages a minute."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.reconnection import looks_like_phone

GROUPS = F.chat.type.in_({"group", "supergroup"})


async def _link(bot: Bot, payload: str) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}?start={payload}"


async def find_in_group(message: Message, bot: Bot) -> None:
    url = await _link(bot, f"find_g{abs(message.chat.id)}")
    await message.reply(_("To protect personal data, requests are made in a private chat with me."),
                        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                            InlineKeyboardButton(text="🔎 " + _("Ask to check on someone"), url=url)]]))


async def safe_in_group(message: Message, bot: Bot) -> None:
    url = await _link(bot, "safe")
    await message.reply(_("To protect personal data, tell me you are safe in a private chat."),
                        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                            InlineKeyboardButton(text="🟢 " + _("I am safe"), url=url)]]))


async def phone_in_group(message: Message, bot: Bot) -> None:
    url = await _link(bot, f"find_g{abs(message.chat.id)}")
    await message.reply(_("Please do not post phone numbers in the group: everyone here can see them. Send the "
                          "request to me privately; only the volunteer who calls will see the number."),
                        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                            InlineKeyboardButton(text="🔎 " + _("Ask to check on someone"), url=url)]]))


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
    return router
