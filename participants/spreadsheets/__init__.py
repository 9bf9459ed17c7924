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

import codecs
import csv
import io
import itertools
import re
import sys
import zipfile
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from participants import hooks, workbooks
from participants.validators import EMPTY_MARKS, clean_text, clean_texts  # noqa: F401
from participants.workbooks import NumberCell

__all__ = ["NumberCell", "ROW_COLUMN", "read_table", "check_upload", "check_size"]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 500
MAX_ROWS = 50_000
MAX_CELL_CHARACTERS = 2_000
HEADER_SCAN_ROWS = workbooks.SCAN_ROWS
# Rows read first: the header's search, and the 50 rows below it that size the columns.
SCAN_LIMIT = HEADER_SCAN_ROWS + 52

ROW_COLUMN = "_row"  # the spreadsheet's own row number, kept for messages
IGNORE = "-"  # a column deliberately left out

# Header aliases, compared without case, spaces, punctuation and remarks in brackets.
ALIASES = {
    "full_name": [
        "nama",
        "nama lengkap",
        "name",
        "full name",
        "nama peserta",
        "nama lengkap peserta",
        "nama ibu",
        "nama anggota",
        "nama lengkap sesuai ktp",
        "nama sesuai ktp",
    ],
    "phone": [
        "no hp",
        "hp",
        "wa",
        "no wa",
        "nomor hp",
        "nomor wa",
        "telepon",
        "telp",
        "no telp",
        "no telepon",
        "nomor telepon",
        "phone",
        "phone number",
        "whatsapp",
        "no whatsapp",
        "nomor whatsapp",
        "no hp/wa",
        "nomor hp/wa",
        "hp/wa",
        "no wa/hp",
        "nomor wa/hp",
        "wa/hp",
        "no hp/whatsapp",
        "nomor hp/whatsapp",
        "kontak",
        "no kontak",
    ],
    "nik": [
        "nik",
        "no ktp",
        "nomor ktp",
        "nik ktp",
        "no nik",
        "nomor nik",
        "nomor induk kependudukan",
    ],
    "dusun": ["dusun", "nama dusun", "dukuh"],
    "rt": ["rt", "no rt"],
    "rw": ["rw", "no rw"],
    "rt_rw": ["rt/rw", "rt rw", "rtrw"],
    "address": ["alamat", "address", "alamat lengkap", "alamat rumah"],
    "birth_year": ["tahun lahir", "birth year", "year of birth", "thn lahir"],
    IGNORE: ["no", "no urut", "nomor", "timestamp", "cap waktu", "tanda tangan", "ttd", "paraf"],
}

FIELD_LABELS = {
    "full_name": _lazy("Name"),
    "phone": _lazy("Phone number"),
    "nik": _lazy("NIK"),
    "birth_year": _lazy("Birth year"),
    "dusun": _lazy("Dusun"),
    "rt": _lazy("RT"),
    "rw": _lazy("RW"),
    "rt_rw": _lazy("RT/RW"),
    "address": _lazy("Address"),
    IGNORE: _lazy("Ignored"),
}


_REMARK = re.compile(r"\([^)]*\)")
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() and "_"


def header_key(header):
    text = _REMARK.sub(" ", str(header or ""))  # "NIK (16 digit)" → "NIK"
    return _NOT_ALNUM.sub("", text.lower())


IMPORT_FIELDS_BASE = (
    "full_name",
    "phone",
    "nik",
    "birth_year",
    "dusun",
    "rt",
    "rw",
    "rt_rw",
    "address",
)


class _ImportFields:
    """The fields a column can be mapped to, with those the apps above register."""

    def __iter__(self):
        yield from IMPORT_FIELDS_BASE
        for column in hooks.import_columns:
            yield column.field

    def __contains__(self, name):
        return name in set(self)


IMPORT_FIELDS = _ImportFields()


def header_map():
    """Normalised header → field, with the columns the apps above register."""
    aliases = {field: list(names) for field, names in ALIASES.items()}
    for column in hooks.import_columns:
        aliases.setdefault(column.field, []).extend(column.aliases)
    return {header_key(alias): field for field, names in aliases.items() for alias in names}


def field_label(field):
    extra = {column.field: column.label for column in hooks.import_columns}
    return FIELD_LABELS.get(field) or extra.get(field, field)


@dataclass(frozen=True)
class Limits:
    """The caps of one read: the web's, or scaled up with a larger `max_bytes` (the
    command's --max-size), so that a 20 MB file may hold four times the rows."""

    max_bytes: int = MAX_UPLOAD_BYTES
    rows: int = MAX_ROWS
    unpacked: int = MAX_XLSX_UNPACKED_BYTES
    caps: workbooks.Caps = workbooks.CAPS

    @classmethod
    def for_size(cls, max_bytes=None):
        if not max_bytes or max_bytes <= MAX_UPLOAD_BYTES:
            return cls()
        factor = max_bytes / MAX_UPLOAD_BYTES
        return cls(
            max_bytes=max_bytes,
            rows=int(MAX_ROWS * factor),
            unpacked=int(MAX_XLSX_UNPACKED_BYTES * factor),
            caps=workbooks.CAPS.scaled(factor),
        )


WEB_LIMITS = Limits()


@dataclass
class Column:
    index: int  # 0-based position in the sheet
    header: str
    field: str  # "" unknown, IGNORE, or a field name


@dataclass
class Table:
    sheet: str
    sheet_names: list
    header_rows: list  # the header's row numbers
    columns: list
    rows: list  # [(row number, {field: text})]
    skipped: list = field(default_factory=list)  # [(row number, reason)]


# -- checks before anything is parsed ------------------------------------------


def check_upload(content, file_name, limits=WEB_LIMITS):
    """Refuse a file before any parser opens it: too large, or a zip bomb."""
    check_size(len(content), limits)
    if (file_name or "").lower().endswith((".xlsx", ".ods")):
        _check_archive(content, limits)


def check_size(size, limits=WEB_LIMITS):
    """Also called on an upload's declared size, before it is read into memory."""
    if size > limits.max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": limits.max_bytes // (1024 * 1024)},
            code="too_large",
        )


def _check_archive(content, limits=WEB_LIMITS):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("This spreadsheet file cannot be read."), code="corrupt") from None
    if len(entries) > MAX_XLSX_ENTRIES or sum(e.file_size for e in entries) > limits.unpacked:
        raise ValidationError(
            _("This spreadsheet unpacks to an implausible size; it was not opened."),
            code="zip_bomb",
        )


# -- reading ------------------------------------------------------------------


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


def decode_text(content):
    """Text of a csv as Excel, LibreOffice, WPS or Google saved it."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if content.startswith(bom):
            return _decode(content[len(bom) :], encoding)
    head = content[:200]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return _decode(content, "utf-16-le")
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return _decode(content, "utf-16-be")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def _decode(content, encoding):
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError(
            _("This file's text encoding cannot be read; save it again as CSV UTF-8."),
            code="encoding",
        ) from None


def _csv_sheet(content, limit, limits=WEB_LIMITS):
    return workbooks.Sheet(name="CSV", rows=list(_csv_rows(content, limit, limits)))


def _lines(text):
    """The lines of `text`, each with its "\n" (a quoted cell may hold one): a
    StringIO would copy the whole file again, four bytes a character."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _csv_rows(content, limit, limits):
    text = decode_text(content).replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac line endings too
    # Over the first lines, not the first alone: a title row above the
    # header may hold no separator at all.
    head = text[:20000].split("\n")[:20]
    counts = {d: sum(line.count(d) for line in head) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    kept = 0
    csv.field_size_limit(MAX_UPLOAD_BYTES)  # the file's size caps a field; length is checked later
    reader = csv.reader(_lines(text), delimiter=delimiter)
    del text
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > workbooks.MAX_COLUMNS or number > limits.caps.row_number:
                raise workbooks.too_large(limits.caps)
            if "".join(row).strip():  # any cell not blank
                kept += 1
                yield number, row
            if limit and kept >= limit:
                break
    except csv.Error:
        raise ValidationError(
            _(
                "This CSV file cannot be read (a cell is too long or a quote is not closed); "
                "open it in a spreadsheet and save it again."
            ),
            code="csv",
        ) from None


# -- the header ---------------------------------------------------------------


def _header_score(cells):
    fields = [header_map().get(header_key(c)) for c in cells]
    known = {f for f in fields if f and f != IGNORE}
    return 10 + len(known) if "full_name" in known else 0


def _fill_merges(sheet):
    """Copy a merged header cell's text into every cell it covers."""
    by_number = dict(sheet.rows[: HEADER_SCAN_ROWS + 2])
    for r1, c1, r2, c2 in sheet.merges:
        top = by_number.get(r1)
        if not top or c1 > len(top) or not top[c1 - 1]:
            continue
        value = top[c1 - 1]
        for r in range(r1, min(r2, r1 + 2) + 1):
            row = by_number.get(r)
            if row is None:
                continue
            row.extend([""] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                if not row[c - 1]:
                    row[c - 1] = value


def _find_header(sheet):
    """(index in sheet.rows of the header, score) among the first rows."""
    best, best_score = None, 0
    for index, (number, cells) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        if number > HEADER_SCAN_ROWS + 10:
            break
        score = _header_score(cells)
        if score:
            return index, score  # the first row that names the name column
    return best, best_score


def _columns(sheet, index):
    number, top = sheet.rows[index]
    header_rows = [number]
    width = max(len(top), *(len(r) for _n, r in sheet.rows[index : index + 50]))
    top = top + [""] * (width - len(top))
    headers = [str(c).strip() for c in top]
    fields = [header_map().get(header_key(h), "") for h in headers]
    if index + 1 < len(sheet.rows):
        below_number, below = sheet.rows[index + 1]
        below = below + [""] * (width - len(below))
        name_at = fields.index("full_name") if "full_name" in fields else 0
        below_fields = [header_map().get(header_key(c), "") for c in below]
        # A second header row: no name under "Nama", and header words elsewhere.
        if (
            below_number == number + 1
            and (not below[name_at] or below[name_at] == top[name_at])
            and any(f and f != IGNORE for f in below_fields)
        ):
            header_rows.append(below_number)
            for i, sub in enumerate(below):
                sub = str(sub).strip()
                if not sub or sub == headers[i]:
                    continue
                combined = f"{headers[i]} {sub}".strip()
                # The sub-header names the column ("Alamat" over "Dusun"
                # is the dusun); the group name only helps when it doesn't.
                fields[i] = below_fields[i] or header_map().get(header_key(combined), "")
                headers[i] = f"{headers[i]} / {sub}" if headers[i] else sub
    columns = [
        Column(index=i, header=h, field=f)
        for i, (h, f) in enumerate(zip(headers, fields, strict=True))
    ]
    return header_rows, columns


class NameColumnMissing(ValidationError):
    """No column is known to hold the names; `table` is the best guess at the
    header (columns without rows) so that a person can say which one does."""

    def __init__(self, table=None):
        super().__init__(
            _("No name column found. Name it “Nama” (or “Nama Lengkap”, “Name”)."),
            code="no_name_column",
        )
        self.table = table


def _no_name_column(table=None):
    return NameColumnMissing(table)


def _guess_header(sheet):
    """The first row with two different texts that are not numbers: a header
    whose words we do not know, below any title row (merged, so repeated)."""
    for index, (_number, cells) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        texts = {str(c).strip() for c in cells if str(c).strip()}
        words = {t for t in texts if not t.replace(".", "").replace(",", "").isdigit()}
        if len(words) >= 2:
            return index
    return None


def _unmapped_table(sheet, sheet_names):
    index = _guess_header(sheet)
    if index is None:
        return None
    header_rows, columns = _columns(sheet, index)
    return Table(
        sheet=sheet.name,
        sheet_names=sheet_names,
        header_rows=header_rows,
        columns=columns,
        rows=[],
    )


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


def _find_header_with(sheet, mapping):
    if not mapping:
        return _find_header(sheet)
    best, best_score = None, 0
    for index, (_number, cells) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        fields = {mapping.get(header_key(c)) or header_map().get(header_key(c)) for c in cells}
        fields.discard(None)
        fields.discard(IGNORE)
        score = 10 + len(fields) if "full_name" in fields else 0
        if score:
            return index, score
    return best, best_score


# -- cleaning -----------------------------------------------------------------

# Control, format (zero-width, bidi overrides, BOM) and separator characters
# other than the space: invisible, and a bidi override makes a name read backwards.
_TOTALS = re.compile(
    r"^(jumlah|total|jml|sub ?total|grand total)\b|^\d+\s*(orang|peserta|org)$", re.I
)
_SIGNATURE = re.compile(
    r"^(mengetahui|menyetujui|ttd|tanda tangan|hormat kami|ketua\b|sekretaris\b|bendahara\b"
    r"|kepala desa|kades\b|\(\s*\.{3,}|\(.+\)$|nip\b)",
    re.I,
)
_PLACE_DATE = re.compile(r"^[\w .'-]+,\s*\d{1,2}\s+\w+\s+\d{4}$")
EXAMPLE_NAME = "Contoh: Siti Aminah"


# Values a whole village shares: kept once in memory however many rows repeat them.
_SHARED_VALUES = frozenset({"dusun", "rt", "rw", "rt_rw", "village", "birth_year"})


def _clean_rows(table, raw_rows, limits=WEB_LIMITS):
    """(row number, {field: text}) for each row that holds a person; the others
    go to `table.skipped` with the reason."""
    columns = [
        (c.index, c.field, c.field in _SHARED_VALUES)
        for c in table.columns
        if c.field and c.field != IGNORE
    ]
    # Two columns mapped to one field: the first filled one counts.
    merged = len({target for _i, target, _s in columns}) < len(columns)
    header_keys = {header_key(c.header) for c in table.columns if c.header}
    in_signature = False
    kept = 0
    for number, cells in raw_rows:
        if kept >= limits.rows:
            raise ValidationError(
                _("More than %(n)s rows; split the file.") % {"n": limits.rows},
                code="too_many_rows",
            )
        texts = clean_texts(cells)
        if not any(texts):
            table.skipped.append((number, _("empty row")))
            continue
        values = {}
        width = len(cells)
        for index, target, shared in columns:
            if index < width:
                raw, text = cells[index], texts[index]
            else:
                raw = text = ""
            if text and isinstance(raw, NumberCell):
                text = NumberCell(text)
            elif shared:
                text = sys.intern(text)  # "Dusun II" once, not once per row of a 50,000-row list
            if merged and values.get(target):
                continue
            values[target] = text
        name = values.get("full_name", "")
        keyed = values.get("phone") or values.get("nik")
        if name == EXAMPLE_NAME or (
            EXAMPLE_NAME in texts and next(t for t in texts if t) == EXAMPLE_NAME
        ):
            table.skipped.append((number, _("the template's example row")))
            continue
        # The name cell first: a cheap test that nearly every row fails.
        if (
            name
            and header_key(name) in header_keys
            and {header_key(t) for t in texts if t} <= header_keys
        ):
            table.skipped.append((number, _("the header repeated")))
            continue
        if not keyed and any(_TOTALS.match(t) for t in texts if t):
            table.skipped.append((number, _("a totals row")))
            continue
        if not keyed and any(_SIGNATURE.match(t) or _PLACE_DATE.match(t) for t in texts if t):
            in_signature = True
        if in_signature and not keyed:
            table.skipped.append((number, _("the signature block")))
            continue
        if not any(values.values()):
            table.skipped.append((number, _("nothing in the imported columns")))
            continue
        if "rt_rw" in values:
            rt, _slash, rw = values.pop("rt_rw").partition("/")
            values.setdefault("rt", "")
            values.setdefault("rw", "")
            values["rt"] = values["rt"] or rt.strip()
            values["rw"] = values["rw"] or rw.strip()
        kept += 1
        yield number, values


def to_dataset(table):
    """The cleaned rows as a tablib Dataset (field names as headers, a _row column)."""
    used = []
    for column in table.columns:
        name = column.field
        if name == "rt_rw":
            used += [f for f in ("rt", "rw") if f not in used]
        elif name and name != IGNORE and name not in used:
            used.append(name)
    dataset = tablib.Dataset(headers=[ROW_COLUMN, *used])
    for number, values in table.rows:
        dataset.append([number, *[values.get(f, "") for f in used]])
    return dataset
