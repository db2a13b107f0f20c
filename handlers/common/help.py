"""/help and the menu's Help button: what Birge does and the person's own commands."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.access.menus import MenuService
from handlers.callbacks import MenuCb
from handlers.common.menu import help_text
from handlers.ui import bot_of, sender_id


async def help_command(message: Message, menus: MenuService) -> None:
    await message.answer(help_text(await menus.audience(bot_of(message), sender_id(message))))


async def help_button(query: CallbackQuery, menus: MenuService) -> None:
    await query.answer()
    if query.message is not None:
        await query.message.answer(help_text(await menus.audience(bot_of(query), query.from_user.id)))


def build_help_router() -> Router:
    router = Router(name="help")
    router.message.register(help_command, Command("help"))
    router.callback_query.register(help_button, MenuCb.filter(F.action == "help"))
    return router
