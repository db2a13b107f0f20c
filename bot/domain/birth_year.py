"""Reading a year of birth the way people type it, in kk, ru or en.

    "1957", "1957 г.", "1957 ж.", "1957 года", "в 1957", "12.05.1957"  -> 1957, understood
    "57", "'57", "57 г."                                                -> 1957, to confirm
    "69 лет", "69 жас", "69 years", "мне 69"                            -> 1957 (age 69 in 2026), to confirm
    "69"                                                                -> 1969 or 1957 (age 69): ask which

Ages are counted as the rest of the project counts them (bot.domain.people.age_in): the
age reached during the current year, so an age of 69 in 2026 means born in 1957. A
reading that gives no allowed age says why (in the future, too young, too old, not a
year), so the dialog can say so instead of repeating one hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.people import MAX_AGE, MIN_AGE, clean_text


class YearProblem(StrEnum):
    FUTURE = "future"
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    NOT_A_YEAR = "not_a_year"


@dataclass(frozen=True, slots=True)
class YearGuess:
    """A year to confirm; `age` is set when it was read from an age."""

    year: int
    age: int | None = None


@dataclass(frozen=True, slots=True)
class YearReading:
    year: int | None = None  # understood, nothing to confirm
    guesses: tuple[YearGuess, ...] = ()  # to confirm, the likeliest first
    problem: YearProblem | None = None
    problem_year: int | None = None  # the year the problem is about (when there is one)


# Words that make a number an age, or a year. "год"/"года"/"year" go with the number's
# length: "21 год" is an age, "1957 года" a year.
_AGE_WORDS = frozenset(
    {"лет", "годиков", "годика", "жас", "жаста", "жастамын", "жасым", "years", "yrs", "yo", "y.o", "old",
     "age", "aged", "возраст", "мне", "i'm", "im", "am"}
)
_YEAR_WORDS = frozenset(
    {"г", "гг", "году", "рождения", "ж", "жыл", "жылы", "жылғы", "жылы,", "born", "in", "в", "родился", "родилась",
     "туғанмын", "туылғанмын", "туған"}
)
_EITHER_WORDS = frozenset({"год", "года", "year", "yr", "y"})
_DATE = re.compile(r"\b(?:\d{1,2}[./-]\d{1,2}[./-](\d{4})|(\d{4})[./-]\d{1,2}[./-]\d{1,2})\b")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*", re.UNICODE)


def read_birth_year(text: str, current_year: int) -> YearReading:
    """What a typed answer says about the year of birth (see the module docstring)."""
    text = clean_text(text).casefold().replace("ё", "е")
    date = _DATE.search(text)
    if date is not None and len(_NUMBER.findall(text)) == 3:
        return _sure(int(date.group(1) or date.group(2)), current_year)
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1 or len(numbers[0]) > 4:
        return YearReading(problem=YearProblem.NOT_A_YEAR)
    digits = numbers[0]
    number = int(digits)
    found = {word.rstrip(".") for word in _WORD.findall(text)}
    as_age = bool(found & _AGE_WORDS) or (bool(found & _EITHER_WORDS) and len(digits) < 4)
    as_year = bool(found & _YEAR_WORDS) or bool(found & _EITHER_WORDS) or "'" in text or "’" in text

    if len(digits) == 4:
        return _sure(number, current_year)
    if len(digits) == 3 and number > 2 * MAX_AGE:
        return YearReading(problem=YearProblem.NOT_A_YEAR)
    if as_age or len(digits) in (1, 3):
        return _from_guesses([_age_guess(number, current_year)], current_year)
    two_digit_year = 2000 + number if 2000 + number <= current_year else 1900 + number
    if as_year or len(digits) != 2:
        return _from_guesses([YearGuess(two_digit_year)], current_year)
    # A bare "57": the year 1957, or an age of 57; offer what makes sense, year first.
    return _from_guesses([YearGuess(two_digit_year), _age_guess(number, current_year)], current_year)


def parse_birth_year(text: str, current_year: int) -> int | None:
    """The year when the text states it for sure ("1995", "1995 г.", "12.05.1995") and it
    gives an allowed age; None for anything to confirm or refuse."""
    return read_birth_year(text, current_year).year


def check_year(year: int, current_year: int) -> YearProblem | None:
    """Why a year of birth cannot be taken, or None when it gives an allowed age."""
    if year < 1000:
        return YearProblem.NOT_A_YEAR
    if year > current_year:
        return YearProblem.FUTURE
    age = current_year - year
    if age < MIN_AGE:
        return YearProblem.TOO_YOUNG
    if age > MAX_AGE:
        return YearProblem.TOO_OLD
    return None


def _age_guess(age: int, current_year: int) -> YearGuess:
    return YearGuess(current_year - age, age)


def _sure(year: int, current_year: int) -> YearReading:
    problem = check_year(year, current_year)
    if problem is not None:
        return YearReading(problem=problem, problem_year=year)
    return YearReading(year=year)


def _from_guesses(guesses: list[YearGuess], current_year: int) -> YearReading:
    good: list[YearGuess] = []
    for guess in guesses:
        if check_year(guess.year, current_year) is None and all(g.year != guess.year for g in good):
            good.append(guess)
    if good:
        return YearReading(guesses=tuple(good))
    last = guesses[-1]
    if last.age == 0:
        return YearReading(problem=YearProblem.NOT_A_YEAR)
    return YearReading(problem=check_year(last.year, current_year), problem_year=last.year)
