"""The first words of the bot: the greeting above the language buttons.

Someone whose Telegram app speaks Kazakh, Russian or English is greeted in that language;
anyone else (or an app that does not say) is greeted in all three at once, one short
line each, since the bot cannot know yet which of them they read.
"""

from __future__ import annotations

from aiogram.types import User
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.config import SUPPORTED_LOCALES
from bot.domain.texts import N_
from bot.infra.i18n import app_locale

GREETING = N_("👋 Hello! I am Birge, the volunteer bot. Please choose your language:")


def greets_in_all_languages(user: User | None, locale_chosen: bool) -> bool:
    """True when the person has not chosen a language and their app's is none of ours."""
    return not locale_chosen and app_locale(user) is None


def language_greeting(all_languages: bool) -> str:
    if not all_languages:
        return _(GREETING)
    i18n = get_i18n()
    return "\n".join(i18n.gettext(GREETING, locale=code) for code in SUPPORTED_LOCALES)
