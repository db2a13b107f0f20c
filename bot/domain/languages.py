"""Languages a volunteer speaks, as ISO 639-1 codes ("kk", "ru", "uz"...).

Kazakh, Russian and English are the catalog's buttons (bot.domain.catalog.SPOKEN_LANGUAGES,
named through gettext); any other ISO 639-1 language can be typed by name and is named
from the CLDR data Babel ships (in the person's interface language), so no language
needs a hand-made translation. Family-reconnection callers are chosen by these codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from bot.domain.catalog import SPOKEN_LANGUAGES

MAIN_LANGUAGES: tuple[str, ...] = tuple(choice.code for choice in SPOKEN_LANGUAGES)
NAME_LOCALES = ("en", "ru", "kk")


@lru_cache(maxsize=1)
def language_codes() -> tuple[str, ...]:
    """Every ISO 639-1 code CLDR names in English, the main three first."""
    others = sorted(code for code in Locale.parse("en").languages
                    if isinstance(code, str) and len(code) == 2 and code.isalpha())
    return MAIN_LANGUAGES + tuple(code for code in others if code not in MAIN_LANGUAGES)


def is_language(code: str) -> bool:
    return code in _code_set()


@lru_cache(maxsize=1)
def _code_set() -> frozenset[str]:
    return frozenset(language_codes())


def keep_languages(codes: Iterable[str]) -> list[str]:
    """Known codes once each: the main three in catalog order, then the others in the
    order given (stale or forged codes drop out)."""
    wanted = list(dict.fromkeys(code for code in codes if is_language(code)))
    return [code for code in MAIN_LANGUAGES if code in wanted] + [c for c in wanted if c not in MAIN_LANGUAGES]


def language_name(code: str, locale: str) -> str:
    """CLDR's name of the language in `locale`, capitalised ("Узбекский"); the code if unknown."""
    name = _locale(locale).languages.get(code) or _locale("en").languages.get(code) or code
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=8)
def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=1)
def names_of_languages() -> dict[str, list[str]]:
    """code -> its CLDR names in kk, ru and en. (Not each language's name for itself:
    loading every CLDR locale for that costs over 100 MB; the few self-names people
    type, "Türkçe", "Deutsch", are in bot.domain.aliases.)"""
    locales = [Locale.parse(locale) for locale in NAME_LOCALES]
    return {
        code: [name for name in (locale.languages.get(code) for locale in locales) if name]
        for code in language_codes()
    }
