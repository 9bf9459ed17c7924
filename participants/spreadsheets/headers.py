"""The header: which row names the columns (a title or blank rows above it, a list
behind a cover sheet, a two-row header under merged group cells), and which field
each column holds, by aliases (and by the organization's remembered choices)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from participants import hooks
from participants.spreadsheets.limits import HEADER_SCAN_ROWS

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
