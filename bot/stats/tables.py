"""The report as tables (one per sheet), before it becomes a workbook or CSV files:
a summary (what, where, when made, every figure) and one table per breakdown. Only
counts, rates and hours: no names, phones or ids of anyone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.statistics import SUPPRESSED
from bot.domain.texts import N_
from bot.stats.figures import Kind
from bot.stats.format import SUPPRESSED_NOTE, Translate, figure_cell, period_text, regions_text, row_cell, row_label
from bot.stats.service import StatsResult

Cell = int | float | str | None
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "0.0"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(slots=True)
class Sheet:
    key: str  # "summary" or the breakdown's key (its chart has the same key)
    name: str  # in the report's language, a valid sheet name
    rows: list[list[Cell]]
    bold_rows: set[int] = field(default_factory=set)  # 0-based
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 0-based


def sheet_name(title: str, taken: set[str]) -> str:
    """At most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = name[:31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def report_tables(result: StatsResult, locale: str, tr: Translate, made_at: str) -> list[Sheet]:
    query = result.query
    taken: set[str] = set()
    summary = Sheet("summary", sheet_name(tr(N_("Summary")), taken), [
        [tr(N_("Birge: volunteering statistics"))],
        [tr(N_("Region")), regions_text(query.regions, tr)],
        [tr(N_("Period")), period_text(query.period, locale)],
        [tr(N_("Made")), made_at],
        [],
        [tr(N_("Figure")), tr(N_("Value"))],
    ], bold_rows={0, 5})
    for section in result.sections:
        summary.bold_rows.add(len(summary.rows))
        summary.rows.append([tr(section.title)])
        for figure in section.figures:
            if figure.kind is Kind.PERCENT and not figure.hidden and figure.value is not None:
                summary.formats[(len(summary.rows), 1)] = PERCENT_FORMAT
            elif figure.kind in (Kind.HOURS, Kind.MINUTES) and not figure.hidden and figure.value is not None:
                summary.formats[(len(summary.rows), 1)] = HOURS_FORMAT
            summary.rows.append([tr(figure.label), figure_cell(figure)])
        summary.rows.append([])
    summary.rows.append([tr(SUPPRESSED_NOTE)
                         .format(suppressed=SUPPRESSED)])
    sheets = [summary]
    for breakdown in result.breakdowns():
        rows: list[list[Cell]] = [[tr(breakdown.column), tr(breakdown.value_column)]]
        rows += [[row_label(breakdown, row, locale, tr), row_cell(row, breakdown.kind)] for row in breakdown.rows]
        sheet = Sheet(breakdown.key, sheet_name(tr(breakdown.title), taken), rows, bold_rows={0})
        if breakdown.kind is Kind.HOURS:
            sheet.formats = {(index, 1): HOURS_FORMAT for index, row in enumerate(breakdown.rows, start=1)
                             if not row.hidden}
        sheets.append(sheet)
    return sheets
