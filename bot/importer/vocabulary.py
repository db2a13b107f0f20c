"""Regions, directions and skills written as codes or as names in kk, ru or en."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES
from bot.domain.catalog import DIRECTIONS, REGIONS, SKILLS, Choice
from bot.domain.people import clean_text

_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_LIST_SEPARATORS = re.compile(r"[;,]")
_REGION_SUFFIX = " region"


def fold(text: str) -> str:
    """The form names are compared in: case, extra spaces, ё/е and dash variants ignored."""
    text = clean_text(text).casefold().replace("ё", "е")
    return _DASHES.sub("-", text)


def _table(choices: Iterable[Choice], i18n: I18n, locales: Iterable[str], *, strip_region: bool) -> dict[str, str]:
    """folded code or name -> code. A name that two codes share is left out (ambiguous)."""
    table: dict[str, str] = {}
    ambiguous: set[str] = set()
    choices = tuple(choices)

    def add(key: str, code: str) -> None:
        if not key or key in ambiguous:
            return
        if table.setdefault(key, code) != code:
            ambiguous.add(key)
            del table[key]

    for choice in choices:
        add(fold(choice.code), choice.code)
    for choice in choices:
        add(fold(choice.name), choice.code)  # the English msgid, even without an en catalog
        for locale in locales:
            add(fold(i18n.gettext(choice.name, locale=locale)), choice.code)
    if strip_region:
        # "Akmola" for "Akmola Region", unless the short form names something else
        # ("Almaty" is the city KZ-75, not Almaty Region).
        for choice in choices:
            english = fold(choice.name)
            if english.endswith(_REGION_SUFFIX):
                short = english.removesuffix(_REGION_SUFFIX)
                if short not in table and short not in ambiguous:
                    table[short] = choice.code
    return table


@dataclass(frozen=True, slots=True)
class Vocabulary:
    regions: dict[str, str]
    directions: dict[str, str]
    skills: dict[str, str]

    @classmethod
    def from_i18n(cls, i18n: I18n, locales: Iterable[str] = SUPPORTED_LOCALES) -> Vocabulary:
        locales = tuple(locales)
        return cls(
            regions=_table(REGIONS, i18n, locales, strip_region=True),
            directions=_table(DIRECTIONS, i18n, locales, strip_region=False),
            skills=_table(SKILLS, i18n, locales, strip_region=False),
        )

    def region(self, text: str) -> str | None:
        key = fold(text)
        code = self.regions.get(key)
        if code is None and re.fullmatch(r"kz\d{2}", key):
            code = self.regions.get(f"{key[:2]}-{key[2:]}")  # KZ75
        return code

    @staticmethod
    def codes(text: str, table: dict[str, str]) -> tuple[list[str], list[str]]:
        """Codes of a `;`- or `,`-separated list (once each, in order) and the unknown items."""
        codes: list[str] = []
        unknown: list[str] = []
        for item in _LIST_SEPARATORS.split(text):
            if not item.strip():
                continue
            code = table.get(fold(item))
            if code is None:
                unknown.append(clean_text(item))
            elif code not in codes:
                codes.append(code)
        return codes, unknown
