"""Rules about people: names, birth years, ages, phones."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

MIN_AGE = 7
MAX_AGE = 100
ADULT_AGE = 18
# Below this age a volunteer can register only with a guardian's consent already given;
# between this and ADULT_AGE the guardian's consent is asked but registration explains it.
GUARDIAN_REQUIRED_AGE = 14
MAX_NAME_LENGTH = 100
MAX_CITY_LENGTH = 80
DEFAULT_PHONE_REGION = "KZ"

_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC), drop control characters and squeeze whitespace."""
    if text.isprintable():
        # Fast path (the spreadsheet import calls this ~10 times a row): no control
        # characters and no whitespace but " ", so only NFC and squeezing can change it.
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t\n")
    return _SPACES.sub(" ", text).strip()


def parse_full_name(text: str, *, min_words: int = 1) -> str | None:
    """A full name: 2..MAX_NAME_LENGTH characters with at least one letter and at least
    `min_words` words that have a letter ("Айгерім Нұрланқызы" is two), else None."""
    name = clean_text(text)
    if not (2 <= len(name) <= MAX_NAME_LENGTH):
        return None
    if not any(ch.isalpha() for ch in name):
        return None
    if name_words(name) < min_words:
        return None
    return name


def name_words(name: str) -> int:
    """How many words of a name have a letter ("Әлия Қ." has two; "А.-Б. Ли" two)."""
    return sum(1 for word in clean_text(name).split(" ") if any(ch.isalpha() for ch in word))


def parse_city(text: str) -> str | None:
    city = clean_text(text)
    if not (1 <= len(city) <= MAX_CITY_LENGTH) or not any(ch.isalpha() for ch in city):
        return None
    return city


def normalize_phone(raw: str, default_region: str = DEFAULT_PHONE_REGION) -> str | None:
    """E.164 form of a phone number (+7 assumed when no country code), or None if invalid.

    Telegram contacts come with or without '+', people type 8 701 ..., +7 (701) ... etc.
    """
    text = clean_text(raw)
    if not text or len(text) > 32:
        return None
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and len(digits) == 11 and digits[0] in "78":
        # Kazakh and Russian habits: 8 701 123 45 67 or 7 701 123 45 67.
        text = "+7" + digits[1:]
    elif not text.startswith("+") and len(digits) > 11:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(phone: str | None) -> str:
    """A stored (E.164) phone as people read it: "+7 701 061 00 01".

    phonenumbers' international format, with the last four digits of a +7 number split
    in two pairs and its dashes made spaces, as numbers are written in Kazakhstan.
    Anything that does not parse is shown as stored ("" for None)."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return phone
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if number.country_code == 7:
        text = text.replace("-", " ")
        text = re.sub(r" (\d\d)(\d\d)$", r" \1 \2", text)
    return text


def age_in(year_of_birth: int, current_year: int) -> int:
    """Age reached during the current year (birth dates are not collected)."""
    return current_year - year_of_birth


def needs_guardian(year_of_birth: int, current_year: int) -> bool:
    return age_in(year_of_birth, current_year) < ADULT_AGE
