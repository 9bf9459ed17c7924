"""A csv in any usual encoding and line ending, as Excel, LibreOffice, WPS or Google saved it."""

import codecs
import csv

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants import workbooks
from participants.spreadsheets.limits import MAX_UPLOAD_BYTES, WEB_LIMITS


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
