"""The report file on the known world (tests/support/stats_world.py): every cell of
every sheet, in each language; the charts embedded; the CSV zip; no personal data."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image as PILImage

from bot.infra.i18n import make_i18n
from bot.stats.charts import ChartRenderer
from bot.stats.periods import Period
from bot.stats.report import ReportFormat, build_report, translator
from bot.stats.service import StatsService
from storage.db import Database
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases
from tests.support.stats_world import ALMATY, NOW, World, build_world

H1 = Period(date(2026, 1, 1), date(2026, 6, 30))
S = "< 5"
NOTE = ("“{suppressed}”: fewer than 5, or hidden so that a small number cannot be worked out from the total; "
        "not shown so that nobody can be recognised.")

# The Almaty report for the first half of 2026, as msgids (translated per language
# below) and values. Numbers were worked out by hand in tests/unit/test_stats_figures.py.
SUMMARY = [
    ["Birge: volunteering statistics"],
    ["Region", "@Almaty"],
    ["Period", "=01.01.2026 – 30.06.2026"],
    ["Made", "=15.07.2026 11:00 (Asia/Almaty)"],
    [],
    ["Figure", "Value"],
    ["Volunteers"],
    ["Volunteers registered", 18], ["New in the period", 13], ["Active in the last 30 days", 5],
    ["Paused now", S], ["Unreachable now", S],
    [],
    ["Tasks and sign-ups"],
    ["Tasks published", 7], ["Tasks cancelled", S], ["Tasks filled", 5], ["Fill rate", 0.7143],
    ["Median time to fill, hours", 5.0], ["Sign-ups", 12], ["Volunteers who signed up", 10],
    [],
    ["Attendance and hours"],
    ["Attended", 7], ["No-shows", S], ["Attendance rate", 0.7], ["No-show rate", 0.3], ["Hours approved", 34.0],
    [],
    ["Call-outs"],
    ["Call-outs", 7], ["Call-outs that got the people needed", 5], ["Median time to the people needed, minutes", 20.0],
    ["Waves sent", 10],
    [],
    ["Family reconnection"],
    ["Reconnection requests", 8], ["People reached", 5], ["People who could not be reached", S],
    ["Median time to the first call, minutes", 37.5],
    [],
    ["Broadcasts"],
    ["Broadcasts", S], ["Messages sent", 5], ["Messages failed", S], ["Recipients unreachable", S],
    [],
    ["@note"],
]
BREAKDOWNS = {
    # Elderly care (2) alone is hidden: Ecology, the smallest other, goes with it (secondary suppression).
    "By direction": [["Direction", "Volunteers"], ["Health care", 13], ["Ecology", S],
                     ["Historical and cultural heritage", 0], ["Emergencies and search", 0],
                     ["Mentoring children", 0], ["Elderly care", S], ["Education", 0], ["Social support", 0]],
    "By region": [["Region", "Volunteers"], ["Almaty", 18]],
    "By age": [["Age", "Volunteers"], ["Under 18", S], ["18–29", 7], ["30–54", 7], ["55 and over", S],
               ["Not given", S]],
    "By language": [["Interface language", "Volunteers"], ["Kazakh", 9], ["Russian", 7], ["English", S],
                    ["Not given", S]],
    "New volunteers by month": [["Month", "New volunteers"], ["@1", S], ["@2", 7], ["@3", S], ["@4", S], ["@5", 0],
                                ["@6", S]],
    # Hours as numbers with one decimal (0.0 too); April's are made of two approved rows,
    # and June's (the smallest other month) are hidden with them.
    "Hours approved by month": [["Month", "Hours approved"], ["@1", 0.0], ["@2", 0.0], ["@3", 14.5], ["@4", S],
                                ["@5", 0.0], ["@6", S]],
    "Call-outs by waves used": [["Waves used", "Call-outs"], ["No wave yet", S], ["One wave", S], ["Two waves", S],
                                ["Three waves", S]],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June"],
    "ru": ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь"],
    "kk": ["Қаңтар", "Ақпан", "Наурыз", "Сәуір", "Мамыр", "Маусым"],
}
# A few cells written out, so that a missing translation cannot pass as the English.
LITERAL = {
    "en": ("Summary", "Volunteers registered", "By direction"),
    "ru": ("Сводка", "Зарегистрировано волонтёров", "По направлениям"),
    "kk": ("Жиынтық", "Тіркелген еріктілер", "Бағыт бойынша"),
}


def expected(locale: str) -> dict[str, list[list[object]]]:
    tr = translator(make_i18n("kk"), locale)

    def cell(value: object) -> object:
        if not isinstance(value, str) or value == S:
            return value
        if value.startswith("="):  # written as it is
            return value[1:]
        if value == "@Almaty":
            return tr("Almaty")
        if value == "@note":
            return tr(NOTE).format(suppressed=S)
        if value.startswith("@"):
            return f"{MONTHS[locale][int(value[1:]) - 1]} 2026"
        return tr(value)

    sheets = {tr("Summary"): [[cell(value) for value in row] for row in SUMMARY]}
    for title, rows in BREAKDOWNS.items():
        sheets[tr(title)] = [[cell(value) for value in row] for row in rows]
    return sheets


def tr_title(locale: str, msgid: str) -> str:
    return translator(make_i18n("kk"), locale)(msgid)


def cells(rows: list[tuple[object, ...]]) -> list[list[object]]:
    out = []
    for row in rows:
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    return out


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open("stats")  # closed with the test's databases


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db, ManualClock(NOW))


@pytest.fixture
def renderer() -> ChartRenderer:
    renderer = ChartRenderer()
    yield renderer
    renderer.close()


@pytest.mark.parametrize("locale", ["en", "ru", "kk"])
async def test_every_cell_of_the_workbook(locale: str, db: Database, world: World, renderer: ChartRenderer) -> None:
    result = await StatsService(db, ManualClock(NOW), ALMATY).compute(frozenset({"KZ-75"}), H1)
    report = await build_report(result, locale, translator(make_i18n("kk"), locale), renderer)
    assert report.filename == "birge-stats-20260101-20260630-KZ-75.xlsx"
    workbook = load_workbook(io.BytesIO(report.content))
    want = expected(locale)
    assert workbook.sheetnames == list(want)
    for name, rows in want.items():
        assert cells(list(workbook[name].iter_rows(values_only=True))) == rows, name
    summary_name, first_figure, direction_name = LITERAL[locale]
    assert workbook.sheetnames[0] == summary_name and workbook.sheetnames[1] == direction_name
    assert workbook[summary_name]["A8"].value == first_figure
    assert workbook[summary_name]["B18"].number_format == "0.0%"  # the fill rate
    assert workbook[summary_name]["B19"].number_format == "0.0"  # hours
    for cell, number_format in (("B26", "0.0%"), ("B27", "0.0%"), ("B28", "0.0"), ("B33", "0.0"), ("B40", "0.0")):
        assert workbook[summary_name][cell].number_format == number_format, cell  # rates, hours, minutes
    assert workbook[summary_name]["B25"].number_format == "General"  # "< 5" stays text
    hours = workbook[tr_title(locale, "Hours approved by month")]
    assert [hours[f"B{row}"].number_format for row in range(2, 8)] == ["0.0", "0.0", "0.0", "General", "0.0", "General"]
    # The three charts, on their breakdowns' sheets (by direction, new volunteers and
    # hours by month), to the right of the table; no other pictures.
    pictures = {name: len(workbook[name]._images) for name in workbook.sheetnames}
    assert pictures == {name: int(index in (1, 5, 6)) for index, name in enumerate(workbook.sheetnames)}
    image = hours._images[0]
    assert image.anchor._from.col == 3 and image.anchor._from.row == 1  # D2
    assert (image.anchor.ext.width, image.anchor.ext.height) == (720 * 9525, 540 * 9525)  # shown 720 px wide (EMU)
    png = image._data()
    assert png.startswith(b"\x89PNG") and PILImage.open(io.BytesIO(png)).size == (1080, 810)


async def test_the_csv_zip_has_the_same_cells(db: Database, world: World, renderer: ChartRenderer) -> None:
    result = await StatsService(db, ManualClock(NOW), ALMATY).compute(frozenset({"KZ-75"}), H1)
    report = await build_report(result, "ru", translator(make_i18n("kk"), "ru"), renderer, ReportFormat.CSV)
    assert report.filename == "birge-stats-20260101-20260630-KZ-75.zip"
    with zipfile.ZipFile(io.BytesIO(report.content)) as archive:
        names = archive.namelist()
        want = expected("ru")
        assert names == [f"{number:02d} {name}.csv" for number, name in enumerate(want, start=1)]
        for file_name, (name, rows) in zip(names, want.items(), strict=True):
            text = archive.read(file_name).decode("utf-8")
            assert text.startswith("\ufeff")
            read = list(csv.reader(io.StringIO(text[1:])))
            assert read == [["" if value is None else str(value) for value in row] for row in rows], name


async def test_no_personal_data_in_a_report(db: Database, world: World, renderer: ChartRenderer) -> None:
    result = await StatsService(db, ManualClock(NOW), ALMATY).compute(None, H1)
    report = await build_report(result, "en", translator(make_i18n("kk"), "en"), renderer, ReportFormat.CSV)
    with zipfile.ZipFile(io.BytesIO(report.content)) as archive:
        everything = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert "Volunteer " not in everything and "Task T" not in everything
    assert not any(str(telegram_id) in everything for telegram_id in world.telegram.values())
    xlsx = await build_report(result, "en", translator(make_i18n("kk"), "en"), renderer)
    workbook = load_workbook(io.BytesIO(xlsx.content))
    values = [str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert not any(value.startswith("Volunteer ") or value.isdigit() and len(value) >= 4 for value in values)
    assert xlsx.filename == "birge-stats-20260101-20260630.xlsx"
