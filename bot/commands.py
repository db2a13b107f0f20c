"""The command menu Telegram shows, in each language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES
from bot.domain.texts import N_

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu or registration")),
    ("profile", N_("My profile")),
    ("tasks", N_("Tasks for me")),
    ("my", N_("My sign-ups")),
    ("language", N_("Change language")),
    ("newtask", N_("New task (coordinators)")),
    ("mytasks", N_("My tasks (coordinators)")),
    ("help", N_("What Birge can do")),
    ("cancel", N_("Cancel the current step")),
    ("delete_me", N_("Delete my data")),
)


def commands_for(i18n: I18n, locale: str) -> list[BotCommand]:
    return [BotCommand(command=name, description=i18n.gettext(text, locale=locale)) for name, text in COMMANDS]


async def register_commands(bot: Bot, i18n: I18n) -> None:
    """setMyCommands for each language, plus the default (DEFAULT_LOCALE) for everyone else."""
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(commands_for(i18n, locale), scope=BotCommandScopeDefault(), language_code=locale)
    await bot.set_my_commands(commands_for(i18n, i18n.default_locale), scope=BotCommandScopeDefault())
