"""Reading .csv and .xlsx sheets as (row number, cells) with a checked header row."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

COLUMNS = (
    "full_name", "phone", "telegram_id", "birth_year", "region", "city", "directions", "skills", "availability",
    "languages", "locale",
)
KEY_COLUMNS = ("phone", "telegram_id")
EXTENSIONS = (".csv", ".xlsx")


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, wrong type, unreadable, no usable header).
    The message is one line meant for the operator."""


@dataclass(slots=True)
class Sheet:
    """An open sheet: where each known column is, and the data rows after the header."""

    columns: dict[str, int]  # known column name -> cell index
    header: list[str]  # the header cells as written in the file
    ignored: list[str]  # header cells that name no known column
    total: int | None  # number of data rows (after the header) if known up front
    rows: Iterator[tuple[int, list[str]]] = field(repr=False)  # (spreadsheet row number, cells)


_HEADER_JUNK = re.compile(r"[\s\-]+")


def normalize_header(cell: str) -> str:
    """' Full Name ' -> 'full_name'; 'Telegram-ID' -> 'telegram_id'."""
    return _HEADER_JUNK.sub("_", cell.replace("\ufeff", "").strip().lower()).strip("_")


def parse_header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        name = normalize_header(cell)
        if not name:
            continue
        if name in COLUMNS:
            if name in columns:
                raise ImportFileError(f"the column {name!r} appears twice in the header row")
            columns[name] = index
        else:
            ignored.append(cell.strip())
    if not columns:
        raise ImportFileError(
            "no header row: the first row must name the columns (" + ", ".join(COLUMNS) + ")"
        )
    if not any(key in columns for key in KEY_COLUMNS):
        raise ImportFileError(
            "the header row has neither a 'phone' nor a 'telegram_id' column; every volunteer needs one of them"
        )
    return columns, ignored


def cell_text(value: Any) -> str:
    """A cell as the text a person sees (Excel keeps 77011234567 and 1995 as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@contextmanager
def open_sheet(path: Path) -> Iterator[Sheet]:
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    if not path.is_file():
        raise ImportFileError(f"{path}: not a file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with _open_csv(path) as sheet:
            yield sheet
    elif suffix == ".xlsx":
        with _open_xlsx(path) as sheet:
            yield sheet
    else:
        shown = suffix or "(none)"
        raise ImportFileError(f"{path}: unsupported file type {shown}; use .csv (UTF-8) or .xlsx")


def detect_delimiter(header_line: str) -> str:
    """Semicolon (what Excel writes where the decimal separator is a comma) or comma."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


@contextmanager
def _open_csv(path: Path) -> Iterator[Sheet]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header_line = handle.readline()
            delimiter = detect_delimiter(header_line)
            handle.seek(0)
            # A first pass counts the rows for the progress line and finds a broken
            # encoding before anything is written (about 0.3 s per 100,000 rows).
            total = sum(1 for _ in csv.reader(handle, delimiter=delimiter)) - 1
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{path}: not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8' and try again"
        ) from None
    except csv.Error as error:
        raise ImportFileError(f"{path}: not a readable CSV file ({error})") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, [])
        columns, ignored = parse_header(header)

        def rows() -> Iterator[tuple[int, list[str]]]:
            for number, cells in enumerate(reader, start=2):
                yield number, cells

        yield Sheet(columns=columns, header=header, ignored=ignored, total=max(total, 0), rows=rows())


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ImportFileError(f"{path}: not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(f"{path}: the workbook has no sheets")
        sheet = workbook.worksheets[0]
        cells_iter = sheet.iter_rows(values_only=True)
        first = next(cells_iter, None)
        header = [cell_text(value) for value in first] if first else []
        columns, ignored = parse_header(header)
        max_row = sheet.max_row if isinstance(sheet.max_row, int) else None
        total = max_row - 1 if max_row and max_row > 1 else None

        def rows() -> Iterator[tuple[int, list[str]]]:
            # Read-only worksheets yield empty tuples for missing rows, so counting keeps
            # the numbers the spreadsheet shows.
            for number, values in enumerate(cells_iter, start=2):
                yield number, [cell_text(value) for value in values]

        yield Sheet(columns=columns, header=header, ignored=ignored, total=total, rows=rows())
    finally:
        workbook.close()
