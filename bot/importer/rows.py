"""Checking one spreadsheet row: every problem of the row is named in one reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from bot.config import SUPPORTED_LOCALES
from bot.domain.birth_year import parse_birth_year
from bot.domain.people import MAX_AGE, MIN_AGE, clean_text, normalize_phone, parse_city, parse_full_name
from bot.domain.vocabulary import Vocabulary

# Telegram user ids are positive and fit in 52 bits today; anything beyond int64 is garbage.
MAX_TELEGRAM_ID = 2**63 - 1
# Columns holding lists of codes, read by name with bot.domain.vocabulary.
LIST_COLUMNS = ("directions", "skills", "availability", "languages")
LIST_ITEM = {"directions": "direction", "skills": "skill", "languages": "language"}
_SHOWN = 40


@dataclass(slots=True)
class VolunteerRow:
    """A valid row. None (or, for lists, None) means the cell was empty: keep what is stored."""

    row: int
    full_name: str
    phone: str | None
    telegram_id: int | None
    birth_year: int | None = None
    region: str | None = None
    city: str | None = None
    locale: str | None = None
    directions: list[str] | None = None
    skills: list[str] | None = None
    availability: list[str] | None = None
    languages: list[str] | None = None


_PLAIN_PHONE = re.compile(r"\+?[0-9 ()\-]{10,30}")


def fast_normalize_phone(raw: str) -> str | None:
    """bot.domain.people.normalize_phone, about twice as fast for the usual shapes of a
    +7 number ("+7 701 123 45 67", "8 (701) 1234567", "87011234567"): the same checks,
    without the general parser. Anything else goes to normalize_phone itself."""
    text = raw.strip()
    if _PLAIN_PHONE.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) == 11 and digits[1] != "0" and (
            (text[0] == "+" and text[1] == "7") or (text[0] != "+" and digits[0] in "78")
        ):
            national = digits[1:]
            number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
            return "+7" + national if phonenumbers.is_valid_number(number) else None
    return normalize_phone(raw)


def shown(text: str) -> str:
    """A cell quoted for a message, cut to a readable length."""
    text = clean_text(text)
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def _items(values: list[str]) -> str:
    return ", ".join(shown(value) for value in values)


def parse_row(number: int, cells: dict[str, str], vocabulary: Vocabulary, current_year: int) -> VolunteerRow | str:
    """The row as a VolunteerRow, or the reason it is bad."""
    problems: list[str] = []

    raw_name = cells.get("full_name", "")
    full_name = parse_full_name(raw_name)
    if full_name is None:
        problems.append(
            "full_name is missing" if not raw_name.strip()
            else f"invalid full_name {shown(raw_name)} (2-100 characters with a letter)"
        )

    phone: str | None = None
    raw_phone = cells.get("phone", "").strip()
    if raw_phone:
        phone = fast_normalize_phone(raw_phone)
        if phone is None:
            problems.append(f"invalid phone {shown(raw_phone)}")

    telegram_id: int | None = None
    raw_telegram = cells.get("telegram_id", "").strip()
    if raw_telegram:
        if re.fullmatch(r"\d{1,19}", raw_telegram) and 0 < int(raw_telegram) <= MAX_TELEGRAM_ID:
            telegram_id = int(raw_telegram)
        else:
            problems.append(f"invalid telegram_id {shown(raw_telegram)} (a positive number)")

    if not raw_phone and not raw_telegram:
        problems.append("no phone and no telegram_id (one of them is needed)")

    row = VolunteerRow(row=number, full_name=full_name or "", phone=phone, telegram_id=telegram_id)

    raw_year = cells.get("birth_year", "").strip()
    if raw_year:
        row.birth_year = parse_birth_year(raw_year, current_year)
        if row.birth_year is None:
            problems.append(f"invalid birth_year {shown(raw_year)} (the age must be {MIN_AGE}-{MAX_AGE})")

    raw_region = cells.get("region", "").strip()
    if raw_region:
        match = vocabulary.region(raw_region)
        row.region = match.preferred
        if row.region is None and match.codes:
            problems.append(f"unclear region {shown(raw_region)} (could be {' or '.join(match.codes)})")
        elif row.region is None:
            problems.append(f"unknown region {shown(raw_region)}")

    raw_city = cells.get("city", "").strip()
    if raw_city:
        row.city = parse_city(raw_city)
        if row.city is None:
            problems.append(f"invalid city {shown(raw_city)}")

    raw_locale = cells.get("locale", "").strip()
    if raw_locale:
        locale = raw_locale.lower()
        if locale in SUPPORTED_LOCALES:
            row.locale = locale
        else:
            problems.append(f"unknown locale {shown(raw_locale)} (kk, ru, en or empty)")

    for name in LIST_COLUMNS:
        raw = cells.get(name, "")
        if not raw.strip():
            continue
        picked = vocabulary.pick(name, raw)
        codes, unknown = picked.codes, picked.unknown
        if unknown:
            what = LIST_ITEM.get(name, name) if len(unknown) == 1 else name
            problems.append(f"unknown {what} {_items(unknown)}")
        elif codes:
            setattr(row, name, codes)

    if problems:
        return "; ".join(problems)
    return row
