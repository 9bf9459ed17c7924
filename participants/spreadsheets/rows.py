"""Cleaning the rows below the header: control, zero-width and bidi characters
stripped, "-" is empty; empty, totals and signature rows skipped with the reason."""

import re
import sys

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants.spreadsheets.headers import IGNORE, header_key
from participants.spreadsheets.limits import WEB_LIMITS
from participants.validators import clean_texts
from participants.workbooks import NumberCell

ROW_COLUMN = "_row"  # the spreadsheet's own row number, kept for messages

# Rows that are not a person: a total ("Jumlah", "30 orang"), a signature
# block ("Mengetahui, Kepala Desa", "( ....... )"), the place and date above it.
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
