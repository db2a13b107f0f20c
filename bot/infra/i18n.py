"""Languages: catalogs, the locale of each update, and local-time formatting.

The user's own choice (stored in the database) wins over Telegram's language_code,
which is only the first guess; DEFAULT_LOCALE is the last resort.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n.middleware import I18nMiddleware
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.config import SUPPORTED_LOCALES
from bot.domain.vocabulary import Vocabulary

log = logging.getLogger(__name__)

DOMAIN = "messages"
# The catalogs live next to the packages in a source checkout; LOCALES_DIR overrides.
LOCALES_DIR = Path(os.environ.get("LOCALES_DIR", Path(__file__).resolve().parents[2] / "locales"))

LocaleLookup = Callable[[int], Awaitable[str | None]]


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    """Compile every `.po` whose `.mo` is missing or older; returns what was written.

    aiogram's I18n refuses a `.po` without `.mo`, and `.mo` files are not kept in git.
    """
    written = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    if written:
        log.info("compiled %d message catalog(s)", len(written))
    return written


def make_i18n(default_locale: str, locales_dir: Path = LOCALES_DIR) -> I18n:
    compile_catalogs(locales_dir)
    return I18n(path=locales_dir, default_locale=default_locale, domain=DOMAIN)


def make_vocabulary(i18n: I18n) -> Vocabulary:
    """The typed-name lookup, knowing every catalog name in every interface language."""
    return Vocabulary.build(lambda msgid: [i18n.gettext(msgid, locale=locale) for locale in SUPPORTED_LOCALES])


def app_locale(user: User | None) -> str | None:
    """The Telegram app's language ("ru", "kk", "en-US"...) if it is one of ours, else None."""
    if user is None or not user.language_code:
        return None
    code = user.language_code.split("-")[0].lower()
    return code if code in SUPPORTED_LOCALES else None


def guess_locale(user: User | None, default_locale: str) -> str:
    """First guess from Telegram's language_code, else the default."""
    return app_locale(user) or default_locale


class UserLocaleMiddleware(I18nMiddleware):
    """Sets the locale of every update from the user's stored choice."""

    def __init__(self, i18n: I18n, lookup: LocaleLookup) -> None:
        super().__init__(i18n)
        self._lookup = lookup

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user: User | None = data.get("event_from_user")
        stored = await self._lookup(user.id) if user is not None else None
        locale = stored or guess_locale(user, self.i18n.default_locale)
        data["locale"] = locale
        data["locale_chosen"] = stored is not None
        return locale


# Dates in Kazakhstan's order in every language: day, month, year, and the 24-hour clock.
# CLDR's English is American ("November 30, 2026", "11/30/26", "9:00 PM"), and its Kazakh
# short date has a two-digit year; those are replaced, the rest is CLDR's own wording
# (kk "2026 ж. 30 қараша", ru "30 ноября 2026 г.").
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "long": {"en": "d MMMM y"},  # 30 November 2026
    "medium": {"en": "d MMM y"},  # 30 Nov 2026
    "short": {"kk": "dd.MM.y", "ru": "dd.MM.y", "en": "dd.MM.y"},  # 30.11.2026
}
TIME_PATTERN = "HH:mm"


Moment = datetime


class LocalTime:
    """Shows UTC moments in the configured time zone, worded in the user's language."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def date(self, moment: datetime, locale: str, fmt: str = "long") -> str:
        """fmt: long (30 November 2026), medium (30 Nov 2026) or short (30.11.2026)."""
        pattern = DATE_PATTERNS[fmt].get(locale, fmt)
        return format_date(self.local(moment).date(), format=pattern, locale=locale)

    def time(self, moment: datetime, locale: str) -> str:
        """21:00 (the 24-hour clock in every language)."""
        return format_time(self.local(moment), format=TIME_PATTERN, tzinfo=self.tz, locale=locale)

    def datetime(self, moment: datetime, locale: str, fmt: str = "medium") -> str:
        """The date (`fmt` as in `date`) and the time: "30.11.2026, 21:00"."""
        return f"{self.date(moment, locale, fmt)}, {self.time(moment, locale)}"

    # (after the method `datetime` above, the class body would read that name as the method)
    def span(self, start: Moment, end: Moment, locale: str, fmt: str = "long") -> str:
        """"30 November 2026, 10:00 – 14:00", or both dates when it ends on another day."""
        end_text = self.time(end, locale)
        if self.local(end).date() != self.local(start).date():
            end_text = self.datetime(end, locale, fmt)
        return f"{self.datetime(start, locale, fmt)} – {end_text}"
