"""Rules about names, phones and ages."""

from __future__ import annotations

import pytest

from bot.domain.catalog import DIRECTIONS, REGIONS, keep_known
from bot.domain.people import normalize_phone, parse_birth_year, parse_city, parse_full_name


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
    [("2000", 2000), ("2019", 2019), ("2020", None), ("1926", 1926), ("1925", None), ("abc", None), ("20 00", None)],
)
def test_birth_year_gives_age_7_to_100(raw: str, expected: int | None) -> None:
    assert parse_birth_year(raw, current_year=2026) == expected


def test_city() -> None:
    assert parse_city(" Алматы, Бостандық ауданы ") == "Алматы, Бостандық ауданы"
    assert parse_city("123") is None
    assert parse_city("x" * 81) is None


def test_catalog_shape() -> None:
    assert len(REGIONS) == 20
    assert len({r.code for r in REGIONS}) == 20
    assert len(DIRECTIONS) == 8
    assert keep_known(["education", "bogus", "health", "health"], DIRECTIONS) == ["health", "education"]
