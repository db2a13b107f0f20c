"""The report file: an XLSX workbook (openpyxl) with the charts embedded, or a zip of
one CSV file per sheet (UTF-8 with a BOM, so spreadsheet programs read the letters)."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font

from bot.stats.tables import Sheet

# Embedded charts are scaled to this width in the sheet (the PNG keeps its pixels).
CHART_WIDTH_PX = 720


def xlsx_bytes(sheets: list[Sheet], charts: dict[str, bytes]) -> bytes:
    """`charts`: PNG bytes by sheet key, placed to the right of that sheet's table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        for row in sheet.rows:
            worksheet.append(row)
        for index in sheet.bold_rows:
            for cell in worksheet[index + 1]:
                cell.font = bold
        for (row_index, column_index), number_format in sheet.formats.items():
            worksheet.cell(row=row_index + 1, column=column_index + 1).number_format = number_format
        widths: dict[int, int] = {}
        for row in sheet.rows:
            for column, value in enumerate(row):
                if value is not None and not (sheet.key == "summary" and len(row) == 1):
                    widths[column] = max(widths.get(column, 0), len(str(value)))
        for column, width in widths.items():
            worksheet.column_dimensions[chr(ord("A") + column)].width = min(max(width + 2, 12), 60)
        png = charts.get(sheet.key)
        if png is not None:
            image = Image(io.BytesIO(png))
            scale = CHART_WIDTH_PX / image.width
            image.width, image.height = CHART_WIDTH_PX, round(image.height * scale)
            worksheet.add_image(image, "D2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_zip_bytes(sheets: list[Sheet]) -> bytes:
    """A zip with "01 <sheet name>.csv", "02 ..." in sheet order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, sheet in enumerate(sheets, start=1):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            for row in sheet.rows:
                writer.writerow(["" if value is None else value for value in row])
            archive.writestr(f"{number:02d} {sheet.name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
