"""Reading the spreadsheets villages keep: xlsx, or csv from Excel/WPS in any usual encoding.

Everything is checked before a parser sees it: the size, and for xlsx and ods
(zip archives) the unpacked size and the number of entries, so that a zip bomb
is refused without being opened. Workbooks are read by calamine (Rust, through
python-calamine), whose XML reader expands no entities and which reads 10,000
rows in a tenth of a second; openpyxl, used for writing, parses XML through
defusedxml.
"""

import csv
import io
import zipfile

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants import hooks

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 500
MAX_ROWS = 50_000

ROW_COLUMN = "_row"  # the spreadsheet's own row number, kept for messages

# Header aliases, compared without case, spaces, dots and dashes.
ALIASES = {
    "full_name": ["nama", "nama lengkap", "name", "full name", "nama peserta"],
    "phone": [
        "no hp",
        "hp",
        "wa",
        "no wa",
        "nomor hp",
        "nomor wa",
        "telepon",
        "no telepon",
        "nomor telepon",
        "phone",
        "whatsapp",
        "no whatsapp",
    ],
    "nik": ["nik", "no ktp", "nomor ktp", "nik ktp"],
    "dusun": ["dusun"],
    "rt": ["rt"],
    "rw": ["rw"],
    "address": ["alamat", "address"],
    "birth_year": ["tahun lahir", "birth year", "year of birth"],
}


def _key(header):
    return "".join(ch for ch in str(header or "").lower() if ch.isalnum())


def header_map():
    """Normalised header → field, with the columns the apps above register."""
    aliases = {field: list(names) for field, names in ALIASES.items()}
    for column in hooks.import_columns:
        aliases.setdefault(column.field, []).extend(column.aliases)
    return {_key(alias): field for field, names in aliases.items() for alias in names}


def check_upload(content, file_name):
    """Refuse a file before any parser opens it: too large, or a zip bomb."""
    check_size(len(content))
    if (file_name or "").lower().endswith((".xlsx", ".ods")):
        _check_archive(content)


def check_size(size):
    """Also called on an upload's declared size, before it is read into memory."""
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )


def read_table(content, file_name):
    """A tablib.Dataset with our field names as headers and a _row column.

    Blank rows are dropped; a ValidationError explains what is wrong with the file.
    """
    check_upload(content, file_name)
    name = (file_name or "").lower()
    if name.endswith((".xlsx", ".ods")):
        rows = _workbook_rows(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(content)
    else:
        raise ValidationError(_("Upload an .xlsx, .ods or .csv file."), code="format")
    return _dataset(rows)


def _check_archive(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(_("This spreadsheet file cannot be read."), code="corrupt") from None
    if (
        len(entries) > MAX_XLSX_ENTRIES
        or sum(e.file_size for e in entries) > MAX_XLSX_UNPACKED_BYTES
    ):
        raise ValidationError(
            _("This spreadsheet unpacks to an implausible size; it was not opened."),
            code="zip_bomb",
        )


def _workbook_rows(content):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError):
        raise ValidationError(_("This spreadsheet file cannot be read."), code="corrupt") from None
    for row in rows:
        yield [_workbook_cell(value) for value in row]


class NumberCell(str):
    """The text of a cell that the spreadsheet stored as a number (NIKs get rounded)."""


def _workbook_cell(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return NumberCell(str(int(value)))
    if isinstance(value, int | float):
        return NumberCell(str(value))
    return str(value)


def _csv_rows(content):
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def normalize_dataset(dataset):
    """Give a dataset read by django-import-export (the admin) our headers and row numbers."""
    if ROW_COLUMN in (dataset.headers or []):
        return
    normalized = _dataset([dataset.headers or [], *dataset])
    dataset.wipe()
    dataset.headers = normalized.headers
    for row in normalized:
        dataset.append(row)


def _dataset(rows):
    rows = iter(rows)
    header = next(rows, None)
    if not header:
        raise ValidationError(_("The file is empty."), code="empty")
    known = header_map()
    fields = [known.get(_key(h), "") for h in header]
    if "full_name" not in fields:
        raise ValidationError(
            _("No name column found. Name it “Nama” (or “Nama Lengkap”, “Name”)."),
            code="no_name_column",
        )
    used = [f for f in fields if f]
    dataset = tablib.Dataset(headers=[ROW_COLUMN, *used])
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationError(
                _("More than %(n)s rows; split the file.") % {"n": MAX_ROWS}, code="too_many_rows"
            )
        values = {f: (row[i] if i < len(row) else "") for i, f in enumerate(fields) if f}
        if not any(str(v).strip() for v in values.values()):
            continue  # blank rows are common between groups of names
        dataset.append([number, *[values[f] for f in used]])
    return dataset
