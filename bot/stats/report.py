"""The report file as `birge report` and /stats make it: tables, charts, then XLSX
bytes or a zip of CSV files, named after the period and the region."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.stats.charts import ChartRenderer, chart_specs
from bot.stats.format import Translate, made_at_text
from bot.stats.service import StatsResult
from bot.stats.tables import report_tables
from bot.stats.workbook import csv_zip_bytes, xlsx_bytes


class ReportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class Gettext(Protocol):
    def gettext(self, singular: str, *, locale: str | None = None) -> str: ...


def translator(i18n: Gettext, locale: str) -> Translate:
    return lambda msgid: i18n.gettext(msgid, locale=locale)


@dataclass(frozen=True, slots=True)
class ReportFile:
    content: bytes
    filename: str


def report_filename(result: StatsResult, fmt: ReportFormat) -> str:
    query = result.query
    where = "-" + "-".join(sorted(query.regions)) if query.regions is not None and len(query.regions) <= 3 else ""
    extension = "xlsx" if fmt is ReportFormat.XLSX else "zip"
    return f"birge-stats-{query.period.first:%Y%m%d}-{query.period.last:%Y%m%d}{where}.{extension}"


async def build_report(result: StatsResult, locale: str, tr: Translate, renderer: ChartRenderer,
                       fmt: ReportFormat = ReportFormat.XLSX) -> ReportFile:
    query = result.query
    made_at = made_at_text(query.now, locale, query.tz.key, lambda moment: moment.astimezone(query.tz))
    sheets = report_tables(result, locale, tr, made_at)
    if fmt is ReportFormat.CSV:
        return ReportFile(csv_zip_bytes(sheets), report_filename(result, fmt))
    specs = chart_specs(result, locale, tr)
    pngs = await renderer.render(specs)
    charts = {spec.key: png for spec, png in zip(specs, pngs, strict=True)}
    return ReportFile(xlsx_bytes(sheets, charts), report_filename(result, fmt))
