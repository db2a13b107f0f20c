"""Numbers, names and dates of the statistics in a person's language; the same rules
for the chat, the charts and the report files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.domain.catalog import REGION_BY_CODE
from bot.domain.statistics import SUPPRESSED
from bot.domain.texts import N_
from bot.stats.figures import Breakdown, Figure, Kind, Labels, Row
from bot.stats.periods import Period

Translate = Callable[[str], str]
DASH = "—"

# What "< 5" means, said in one place: under the chat message and the report's summary,
# and under a chart (counts, or hours made of fewer than 5 approved rows). A row can also
# be hidden by secondary suppression (bot.domain.statistics.second_to_hide): the words
# say so, since "fewer than 5" is then not true of it.
SUPPRESSED_NOTE = N_("“{suppressed}”: fewer than 5, or hidden so that a small number cannot be worked out "
                     "from the total; not shown so that nobody can be recognised.")
CHART_NOTES = {
    Kind.COUNT: N_("“{suppressed}”: fewer than 5, or hidden so that a small number cannot be worked out"),
    Kind.HOURS: N_("“{suppressed}”: hours of fewer than 5 approved entries, or hidden so that such hours "
                   "cannot be worked out"),
}


def number(value: float, locale: str, pattern: str = "#,##0") -> str:
    return format_decimal(value, format=pattern, locale=locale)


def figure_text(figure: Figure, locale: str) -> str:
    """"1 234", "62,5 %", "3,5", "< 5" or "—"."""
    if figure.hidden:
        return SUPPRESSED
    if figure.value is None:
        return DASH
    if figure.kind is Kind.PERCENT:
        return number(float(figure.value) * 100, locale, "#,##0.0") + " %"
    if figure.kind in (Kind.HOURS, Kind.MINUTES):
        return number(float(figure.value), locale, "#,##0.0")
    return number(figure.value, locale)


def figure_cell(figure: Figure) -> int | float | str:
    """The value as a spreadsheet cell: a number, "< 5", or "—"."""
    if figure.hidden:
        return SUPPRESSED
    if figure.value is None:
        return DASH
    if figure.kind is Kind.PERCENT:
        return round(float(figure.value), 4)
    if figure.kind in (Kind.HOURS, Kind.MINUTES):
        return round(float(figure.value), 1)
    return int(figure.value)


def row_cell(row: Row, kind: Kind = Kind.COUNT) -> int | float | str:
    """A breakdown's number as a spreadsheet cell: a count, hours with one decimal, or "< 5"."""
    if row.hidden:
        return SUPPRESSED
    return round(float(row.value), 1) if kind is Kind.HOURS else int(row.value)


def row_text(row: Row, locale: str, kind: Kind = Kind.COUNT) -> str:
    """"1 234", hours as "14,5", or "< 5"."""
    if row.hidden:
        return SUPPRESSED
    return number(float(row.value), locale, "#,##0.0") if kind is Kind.HOURS else number(row.value, locale)


def month_name(month: date, locale: str) -> str:
    """"January 2026", "Январь 2026", "Қаңтар 2026" (the standalone month name, capitalised
    as a label in any language)."""
    name = format_date(month, format="LLLL y", locale=locale)
    return name[:1].upper() + name[1:]


def row_label(breakdown: Breakdown, row: Row, locale: str, tr: Translate) -> str:
    if breakdown.labels is Labels.MONTH:
        return month_name(row.month, locale)
    return tr(row.label)


def short_date(day: date, locale: str) -> str:
    return format_date(day, format="dd.MM.y", locale=locale)


def period_text(period: Period, locale: str) -> str:
    """"01.01.2026 – 30.06.2026"."""
    return f"{short_date(period.first, locale)} – {short_date(period.last, locale)}"


def regions_text(regions: frozenset[str] | None, tr: Translate) -> str:
    """"Kazakhstan (all regions)" or the regions' names, in catalog order."""
    if regions is None:
        return tr(N_("Kazakhstan (all regions)"))
    return ", ".join(tr(choice.name) for code, choice in REGION_BY_CODE.items() if code in regions)


def made_at_text(moment: datetime, locale: str, tz_name: str, local: Callable[[datetime], datetime]) -> str:
    """"30.11.2026 14:05 (Asia/Almaty)"."""
    when = local(moment)
    return f"{short_date(when.date(), locale)} {when:%H:%M} ({tz_name})"
