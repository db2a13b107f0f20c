"""What Telegram shows before anyone has talked to the bot: the default command menus and
the bot's description (the empty chat before START) and short description (the profile
page, shared links), each in kk, ru, en and a default for every other app language.

Set at start, and only what differs from what Telegram already has (read back with
getMyCommands / getMyDescription / getMyShortDescription), so a restart costs reads only.
A failure is logged and does not stop the bot: the previous texts stay in place.

The default (no language_code) description greets in all three languages at once, as
the first message does for someone whose app language is none of them; the default
command menu and short description are in DEFAULT_LOCALE.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.access.commands import bot_commands
from bot.config import SUPPORTED_LOCALES
from bot.domain.texts import N_

log = logging.getLogger(__name__)

# Telegram's limits (Bot API: setMyDescription 0-512, setMyShortDescription 0-120 characters).
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120

DESCRIPTION = N_(
    "Birge (“together” in Kazakh) connects volunteers in Kazakhstan with tasks that fit them: "
    "your region, directions, skills and free time. Coordinators of volunteer front offices and "
    "NGOs publish tasks and see who is coming; you sign up with one tap and get a reminder.\n\n"
    "Registration takes two minutes, in Kazakh, Russian or English. Press START to begin."
)
SHORT_DESCRIPTION = N_("Volunteer tasks in Kazakhstan that fit your region, skills and time. Sign up with one tap.")


def description(i18n: I18n, locale: str | None) -> str:
    """The description for one language; None: the default, the short text in all three."""
    if locale is None:
        return "\n\n".join(i18n.gettext(SHORT_DESCRIPTION, locale=code) for code in SUPPORTED_LOCALES)
    return i18n.gettext(DESCRIPTION, locale=locale)


def short_description(i18n: I18n, locale: str | None) -> str:
    return i18n.gettext(SHORT_DESCRIPTION, locale=locale or i18n.default_locale)


async def publish_bot_profile(bot: Bot, i18n: I18n) -> None:
    """Default command menus and descriptions in each language and the default."""
    for locale in (*SUPPORTED_LOCALES, None):
        for publish in (_default_commands, _description, _short_description):
            try:
                await publish(bot, i18n, locale)
            except TelegramAPIError as error:
                log.warning("%s (%s) failed: %s", publish.__name__.strip("_"), locale or "default", error)


async def _default_commands(bot: Bot, i18n: I18n, locale: str | None) -> None:
    wanted = bot_commands(i18n, locale or i18n.default_locale)
    current = await bot.get_my_commands(scope=BotCommandScopeDefault(), language_code=locale)
    if [(c.command, c.description) for c in current] != [(c.command, c.description) for c in wanted]:
        await bot.set_my_commands(wanted, scope=BotCommandScopeDefault(), language_code=locale)


async def _description(bot: Bot, i18n: I18n, locale: str | None) -> None:
    text = description(i18n, locale)
    if (await bot.get_my_description(language_code=locale)).description != text:
        await bot.set_my_description(description=text, language_code=locale)


async def _short_description(bot: Bot, i18n: I18n, locale: str | None) -> None:
    text = short_description(i18n, locale)
    if (await bot.get_my_short_description(language_code=locale)).short_description != text:
        await bot.set_my_short_description(short_description=text, language_code=locale)
