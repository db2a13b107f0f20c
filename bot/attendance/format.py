"""Hours as people read them: `2.5` -> "2,5" in kk and ru, "2.5" in en."""

from __future__ import annotations

from babel.numbers import format_decimal


def format_hours(hours: float, locale: str) -> str:
    return format_decimal(hours, format="0.##", locale=locale)
