"""Spreadsheet exports that a spreadsheet program can never execute."""

import csv
import io

from django.http import HttpResponse
from django.utils.functional import Promise

# A cell starting with one of these is a formula to Excel, LibreOffice and
# WPS (CSV injection); a leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, Promise):
        # A lazy translation (a choice label, say): openpyxl knows only real str.
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_bytes(sheets):
    """A workbook of [(title, header, rows), …], every text cell neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(*, rows, header, filename, file_format, sheet_title="Data"):
    """Rows (sequences) as a CSV or XLSX download, every text cell neutralised."""
    if file_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # BOM: Excel opens UTF-8 (names with accents) correctly
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(h) for h in header])
        writer.writerows([safe_cell(v) for v in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        content = xlsx_bytes([(sheet_title, header, rows)])
        response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
