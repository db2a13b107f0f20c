"""Reading a year of birth as people type it (bot.domain.birth_year), in 2026."""

from __future__ import annotations

import pytest

from bot.domain.birth_year import YearGuess, YearProblem, parse_birth_year, read_birth_year

NOW = 2026


@pytest.mark.parametrize(
    "typed",
    ["1957", "1957 г.", "1957г", "1957 г", "1957 ж.", "1957 ж", "1957 года", "1957 год", "1957 жылы", "1957 жыл",
     "в 1957", "В 1957 году", "1957 year", "born in 1957", "12.05.1957", "12/05/1957", "1957-05-12", " 1957 "],
)
def test_a_year_stated_for_sure(typed: str) -> None:
    assert read_birth_year(typed, NOW).year == 1957
    assert parse_birth_year(typed, NOW) == 1957


@pytest.mark.parametrize(
    ("typed", "guesses"),
    [
        ("57", (YearGuess(1957), YearGuess(1969, 57))),  # the year 1957, or 57 years old
        ("69", (YearGuess(1969), YearGuess(1957, 69))),
        ("15", (YearGuess(2015), YearGuess(2011, 15))),
        ("'57", (YearGuess(1957),)),
        ("57 г.", (YearGuess(1957),)),
        ("57 ж.", (YearGuess(1957),)),
        ("05", (YearGuess(2005),)),  # 5 years old is too young: only the year
        ("20", (YearGuess(2006, 20),)),  # 2020 gives 6 years: only the age
        ("63", (YearGuess(1963),)),  # both readings give 1963
        ("69 лет", (YearGuess(1957, 69),)),
        ("69 жас", (YearGuess(1957, 69),)),
        ("69 жаста", (YearGuess(1957, 69),)),
        ("69 жастамын", (YearGuess(1957, 69),)),
        ("69 years", (YearGuess(1957, 69),)),
        ("69 years old", (YearGuess(1957, 69),)),
        ("мне 69", (YearGuess(1957, 69),)),
        ("Мне 69 лет", (YearGuess(1957, 69),)),
        ("I am 69", (YearGuess(1957, 69),)),
        ("21 год", (YearGuess(2005, 21),)),
        ("22 года", (YearGuess(2004, 22),)),
        ("7", (YearGuess(2019, 7),)),
        ("100", (YearGuess(1926, 100),)),
    ],
)
def test_what_needs_a_confirmation(typed: str, guesses: tuple[YearGuess, ...]) -> None:
    reading = read_birth_year(typed, NOW)
    assert reading.year is None and reading.problem is None
    assert reading.guesses == guesses
    assert parse_birth_year(typed, NOW) is None


@pytest.mark.parametrize(
    ("typed", "problem", "year"),
    [
        ("2030", YearProblem.FUTURE, 2030),
        ("2027 г.", YearProblem.FUTURE, 2027),
        ("2020", YearProblem.TOO_YOUNG, 2020),
        ("2019", None, None),  # 7 in 2026: allowed
        ("5", YearProblem.TOO_YOUNG, 2021),
        ("5 лет", YearProblem.TOO_YOUNG, 2021),
        ("1925", YearProblem.TOO_OLD, 1925),
        ("1900", YearProblem.TOO_OLD, 1900),
        ("101", YearProblem.TOO_OLD, 1925),
        ("120 лет", YearProblem.TOO_OLD, 1906),
        ("abc", YearProblem.NOT_A_YEAR, None),
        ("", YearProblem.NOT_A_YEAR, None),
        ("0", YearProblem.NOT_A_YEAR, None),
        ("957", YearProblem.NOT_A_YEAR, None),
        ("0999", YearProblem.NOT_A_YEAR, 999),
        ("20 00", YearProblem.NOT_A_YEAR, None),
        ("1957 or 1958", YearProblem.NOT_A_YEAR, None),
        ("+7 701 234 56 78", YearProblem.NOT_A_YEAR, None),  # a phone typed one step late
        ("87012345678", YearProblem.NOT_A_YEAR, None),
        ("19570", YearProblem.NOT_A_YEAR, None),
    ],
)
def test_refusals_say_why(typed: str, problem: YearProblem | None, year: int | None) -> None:
    reading = read_birth_year(typed, NOW)
    assert reading.problem == problem
    if problem is not None:
        assert reading.year is None and reading.guesses == ()
        assert reading.problem_year == year
