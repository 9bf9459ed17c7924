"""Reading the spreadsheets villages keep: xlsx, ods, or csv from Excel/WPS/Google Forms.

One reader for the in-app page, the Django admin and the command:
1. Read: size and zip checks before any parser, then a streaming reader with
   caps (participants/workbooks.py); csv in any usual encoding and line ending.
2. Find the sheet and the header row (a title or blank rows above it, a list
   behind a cover sheet, a two-row header under merged group cells).
3. Map the columns by aliases (and by the organization's remembered choices).
4. Clean: control, zero-width and bidi characters stripped, "-" is empty,
   empty, totals and signature rows skipped with the reason.
"""

import itertools

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants import workbooks
from participants.spreadsheets.headers import (
    IGNORE,
    IMPORT_FIELDS,
    NameColumnMissing,
    Table,
    _columns,
    _fill_merges,
    _find_header_with,
    _no_name_column,
    _unmapped_table,
    field_label,
    header_key,
)
from participants.spreadsheets.limits import (
    MAX_UPLOAD_BYTES,
    SCAN_LIMIT,
    WEB_LIMITS,
    Limits,
    check_size,
    check_upload,
)
from participants.spreadsheets.rows import EXAMPLE_NAME, ROW_COLUMN, _clean_rows, to_dataset
from participants.spreadsheets.text import _csv_rows, _csv_sheet
from participants.validators import EMPTY_MARKS, clean_text, clean_texts
from participants.workbooks import NumberCell

# What the rest of the app reads from here; the other names live in the modules.
__all__ = [
    "EMPTY_MARKS",
    "EXAMPLE_NAME",
    "IGNORE",
    "IMPORT_FIELDS",
    "MAX_UPLOAD_BYTES",
    "ROW_COLUMN",
    "SCAN_LIMIT",
    "Limits",
    "NameColumnMissing",
    "NumberCell",
    "check_size",
    "check_upload",
    "clean_text",
    "clean_texts",
    "field_label",
    "header_key",
    "read_sheets",
    "read_table",
    "to_dataset",
]


def read_sheets(content, file_name, *, sheet=None, limit=None, limits=WEB_LIMITS):
    check_upload(content, file_name, limits)
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        return workbooks.read_xlsx(content, sheet=sheet, limit=limit, caps=limits.caps)
    if name.endswith(".ods"):
        return workbooks.read_ods(content, sheet=sheet, limit=limit, caps=limits.caps)
    if name.endswith((".csv", ".txt")):
        return iter([_csv_sheet(content, limit, limits)])
    raise ValidationError(_("Upload an .xlsx, .ods or .csv file."), code="format")


def _sheet_rows(content, file_name, sheet, limits):
    """Every row of one sheet; xlsx and csv as they are parsed, not held whole."""
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        return workbooks.xlsx_rows(content, sheet=sheet, caps=limits.caps)
    if name.endswith((".csv", ".txt")):
        return _csv_rows(content, None, limits)
    return next(read_sheets(content, file_name, sheet=sheet, limits=limits)).rows


def read_table(content, file_name, *, sheet=None, mapping=None, max_bytes=None, stream=False):
    """The list in a file: its sheet, header, mapped columns and cleaned rows.

    `mapping` ({header key: field}) overrides the aliases, e.g. the choices
    the user made in the preview or those remembered for the organization.
    `max_bytes` raises the web's size limit (and the row caps with it). With
    `stream`, `rows` is an iterator that reads the file as it goes (a csv or
    xlsx of 100,000 rows is never held whole); else a list.
    A ValidationError explains what is wrong with the file.
    """
    mapping = mapping or {}
    limits = Limits.for_size(max_bytes)
    scanned = list(read_sheets(content, file_name, sheet=sheet, limit=SCAN_LIMIT, limits=limits))
    if not scanned:
        if sheet is not None:
            raise ValidationError(
                _("The file has no sheet named %(name)s.") % {"name": sheet}, code="sheet"
            )
        raise ValidationError(_("The file is empty."), code="empty")
    sheet_names = [s.name for s in scanned]
    best = None
    for candidate in scanned:
        _fill_merges(candidate)
        index, score = _find_header_with(candidate, mapping)
        if index is not None and (best is None or score > best[2]):
            best = (candidate, index, score)
    if best is None:
        if all(not s.rows for s in scanned):
            raise ValidationError(_("The file is empty."), code="empty")
        first = next(s for s in scanned if s.rows)
        raise _no_name_column(_unmapped_table(first, sheet_names))
    chosen, index, _score = best
    header_rows, columns = _columns(chosen, index)
    for column in columns:
        key = header_key(column.header)
        if key in mapping:
            column.field = mapping[key]
    table = Table(
        sheet=chosen.name,
        sheet_names=sheet_names,
        header_rows=header_rows,
        columns=columns,
        rows=[],
    )
    if "full_name" not in [c.field for c in columns]:
        raise _no_name_column(table)
    raw_rows = chosen.rows[index + len(header_rows) :]
    if len(chosen.rows) >= SCAN_LIMIT:  # more below what was scanned
        last = chosen.rows[-1][0]
        rest = _sheet_rows(content, file_name, chosen.name, limits)
        raw_rows = itertools.chain(raw_rows, (r for r in rest if r[0] > last))
    rows = _clean_rows(table, raw_rows, limits)
    table.rows = rows if stream else list(rows)
    return table
