"""Rules about names, phones and ages."""

from __future__ import annotations

import pytest

from bot.domain.catalog import DIRECTIONS, REGIONS, keep_known
from bot.domain.people import format_phone, name_words, normalize_phone, parse_city, parse_full_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 701 123 45 67", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("7011234567", "+77011234567"),
        ("77011234567", "+77011234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+7 727 250 00 00", "+77272500000"),
        ("12345", None),
        ("phone", None),
        ("", None),
        ("+7 701 123 45 67 8888888888888888888888888888", None),
    ],
)
def test_phone_normalisation(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Айгүл Нұрланқызы", "Айгүл Нұрланқызы"),
        ("  Nursultan   Abishev ", "Nursultan Abishev"),
        ("<b>&", "<b>&"),
        ("x", None),
        ("12345", None),
        ("a" * 5000, None),
        ("Ann\u0000\u200b Lee", "Ann Lee"),
    ],
)
def test_full_name(raw: str, expected: str | None) -> None:
    assert parse_full_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Айгүл Нұрланқызы", "Айгүл Нұрланқызы"),
        ("Aigerim Nurlanovna", "Aigerim Nurlanovna"),
        ("Әлия Қ.", "Әлия Қ."),
        ("Анна-Мария Ли", "Анна-Мария Ли"),
        ("Ержан Ахметов Серікұлы", "Ержан Ахметов Серікұлы"),
        ("<b>& Co", "<b>& Co"),
        ("Айгүл", None),  # one word: a surname is needed too
        ("Aigerim", None),
        ("Анна-Мария", None),
        ("Айгүл 7", None),  # the second word has no letter
        ("x", None),
        ("a" * 5000, None),
    ],
)
def test_full_name_needs_two_words(raw: str, expected: str | None) -> None:
    assert parse_full_name(raw, min_words=2) == expected


def test_name_words() -> None:
    assert [name_words(n) for n in ("Айгүл", "Айгүл Нұрланқызы", "  A  B  C ", "7 7", "")] == [1, 2, 3, 0, 0]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+77010610001", "+7 701 061 00 01"),
        ("+77771234567", "+7 777 123 45 67"),
        ("+77272500000", "+7 7272 50 00 00"),
        ("+79161234567", "+7 916 123 45 67"),
        ("+442079460958", "+44 20 7946 0958"),
        (None, ""),
        ("not a phone", "not a phone"),
    ],
)
def test_phones_are_shown_grouped(stored: str | None, shown: str) -> None:
    assert format_phone(stored) == shown
    if stored and stored.startswith("+"):
        assert normalize_phone(shown) == stored  # what is shown reads back to what is stored


def test_city() -> None:
    assert parse_city(" Алматы, Бостандық ауданы ") == "Алматы, Бостандық ауданы"
    assert parse_city("123") is None
    assert parse_city("x" * 81) is None


def test_catalog_shape() -> None:
    assert len(REGIONS) == 20
    assert len({r.code for r in REGIONS}) == 20
    assert len(DIRECTIONS) == 8
    assert keep_known(["education", "bogus", "health", "health"], DIRECTIONS) == ["health", "education"]
