"""Spreadsheet exports that a spreadsheet program can never execute."""

import csv
import io
import re

from django.http import HttpResponse
from django.utils.functional import Promise

# A cell starting with one of these is a formula to Excel, LibreOffice and
# WPS (CSV injection); a leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A CSV opened with the Indonesian locale splits on ";" (and on "," in the
# English one), so any piece after either separator may become a cell of its own.
SEPARATORS = re.compile(r"[,;]")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _starts_formula(text):
    return text.lstrip(" ").startswith(FORMULA_TRIGGERS)


def safe_cell(value):
    """The value as a cell no spreadsheet evaluates, whichever separator it splits on.

    A text that is, or holds after a "," or ";", a piece starting a formula
    gets an apostrophe in front and its separators' pieces are defused with
    one too (`x;=1+1` becomes `'x;'=1+1`); numbers and dates pass unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, Promise):
        # A lazy translation (a choice label, say): openpyxl knows only real str.
        value = str(value)
    if not isinstance(value, str):
        return value
    pieces = SEPARATORS.split(value)
    if not any(_starts_formula(piece) for piece in pieces):
        return value
    defused = re.sub(r"([,;])(\s*)(?=[=+\-@\t\r])", r"\1\2'", value)
    return "'" + defused


def xlsx_bytes(sheets):
    """A workbook of [(title, header, rows), …], every text cell, header included, neutralised."""
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


def no_store(response):
    """Personal data must not stay in a shared phone's or a proxy's cache."""
    response["Cache-Control"] = "no-store, private"
    response["Pragma"] = "no-cache"
    return response


def spreadsheet_response(*, rows, header, filename, file_format, sheet_title="Data"):
    """Rows (sequences) as a CSV or XLSX download, every cell neutralised, never cached.

    CSV fields are all quoted, so a separator inside a value never splits it in
    a program that honours quotes; for one that does not, safe_cell has already
    defused every piece.
    """
    if file_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # BOM: Excel opens UTF-8 (names with accents) correctly
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
        writer.writerow([safe_cell(h) for h in header])
        writer.writerows([safe_cell(v) for v in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        content = xlsx_bytes([(sheet_title, header, rows)])
        response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return no_store(response)
