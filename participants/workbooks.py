"""Streaming readers for xlsx and ods that never allocate what a file only declares.

A workbook can declare a sheet of 16,384 × 1,048,576 cells in 1.5 KB, or
repeat one cell a billion times in 800 bytes; readers that build the whole
range (calamine, openpyxl's read-only mode with a dimension) then exhaust
memory. Here the XML is walked with expat (through defusedxml: no DTD, no
entities), only cells that hold a value are kept, and the row number,
column number and number of kept cells are capped as they are read.
Every value is kept as the text stored in the file, never through float,
so phone numbers and NIKs keep their digits.
"""

import io
import posixpath
import pyexpat
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROW_NUMBER = 60_000
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000
MAX_SHEETS = 50
SCAN_ROWS = 20  # rows read from each sheet to find the one that holds the list

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


_NS_MAIN = _MAIN[1:]  # expat names elements "namespace}local"
_ROW, _CELL, _VALUE, _TEXT_RUN = (f"{_NS_MAIN}{t}" for t in ("row", "c", "v", "t"))
_PHONETIC, _DIMENSION, _MERGE = (f"{_NS_MAIN}{t}" for t in ("rPh", "dimension", "mergeCell"))
_SHARED_ITEM = f"{_NS_MAIN}si"
_CHUNK = 64 * 1024


def _refuse_declarations(*_args):
    # What defusedxml refuses: a sheet has no business declaring a DTD or entities.
    raise corrupt()


class NumberCell(str):
    """The text of a cell that the spreadsheet stored as a number (NIKs get rounded)."""


@dataclass(frozen=True)
class Caps:
    """How far a reader goes: the web's limits, or larger ones the command allows."""

    row_number: int = MAX_ROW_NUMBER
    cells: int = MAX_CELLS

    def scaled(self, factor):
        return Caps(row_number=int(self.row_number * factor), cells=int(self.cells * factor))


CAPS = Caps()


@dataclass
class Sheet:
    name: str
    rows: list  # [(row number, [cell text, ...])], rows without any value left out
    merges: list = field(default_factory=list)  # [(first row, first col, last row, last col)]


def too_large(caps=CAPS):
    return ValidationError(
        _(
            "The sheet is larger than this import accepts (at most %(rows)s rows and "
            "%(columns)s columns); split it into smaller files."
        )
        % {"rows": caps.row_number - 10_000, "columns": MAX_COLUMNS},
        code="too_large_sheet",
    )


def corrupt():
    return ValidationError(_("This spreadsheet file cannot be read."), code="corrupt")


def _column_number(letters):
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _parse_ref(ref):
    match = _REF.match(ref or "")
    if not match:
        return None
    return int(match.group(2)), _column_number(match.group(1))


def _check_position(row, column, caps=CAPS):
    if row > caps.row_number or column > MAX_COLUMNS:
        raise too_large(caps)


# -- xlsx ---------------------------------------------------------------------


def xlsx_sheet_names(archive):
    return [name for name, _path in _xlsx_sheets(archive)]


def _xlsx_sheets(archive):
    try:
        rels = {}
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            for _event, element in iterparse(stream):
                if element.tag == f"{_PKG_REL}Relationship":
                    target = element.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    rels[element.get("Id")] = posixpath.normpath(target)
        sheets = []
        with archive.open("xl/workbook.xml") as stream:
            for _event, element in iterparse(stream):
                if element.tag == f"{_MAIN}sheet":
                    path = rels.get(element.get(f"{_REL}id"))
                    if path in archive.NameToInfo:
                        sheets.append((element.get("name", ""), path))
                    if len(sheets) > MAX_SHEETS:
                        raise too_large()
    except (KeyError, SyntaxError, ValueError):
        raise corrupt() from None
    if not sheets:
        raise corrupt()
    return sheets


def _shared_strings(archive):
    if "xl/sharedStrings.xml" not in archive.NameToInfo:
        return []
    strings, parts = [], []
    state = {"phonetic": False, "collecting": False}

    def start(name, _attrs):
        if name == _SHARED_ITEM:
            parts.clear()
        elif name == _PHONETIC:
            state["phonetic"] = True  # phonetic runs (rPh) are not part of the text
        elif name == _TEXT_RUN and not state["phonetic"]:
            state["collecting"] = True

    def end(name):
        if name == _TEXT_RUN:
            state["collecting"] = False
        elif name == _PHONETIC:
            state["phonetic"] = False
        elif name == _SHARED_ITEM:
            strings.append("".join(parts))

    def text(data):
        if state["collecting"]:
            parts.append(data)

    _parse(archive, "xl/sharedStrings.xml", start, end, text)
    return strings


_BROKEN = (zipfile.BadZipFile, SyntaxError, KeyError, ValueError, EOFError, OSError)


def read_xlsx(content, *, sheet=None, limit=None, caps=CAPS):
    """The chosen sheet (by name, else each in turn) as Sheets; `limit` rows each."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        sheets = _xlsx_sheets(archive)
        strings = _shared_strings(archive)
        for name, path in sheets:
            if sheet is not None and name != sheet:
                continue
            yield _xlsx_sheet(archive, name, path, strings, limit, caps)
    except _BROKEN:
        raise corrupt() from None


def xlsx_rows(content, *, sheet, caps=CAPS):
    """The rows of one sheet as they are parsed, one chunk of XML at a time:
    a 100,000-row sheet is never held whole."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        path = dict(_xlsx_sheets(archive))[sheet]
        reader = _SheetReader(_shared_strings(archive), None, caps)
        parser = _parser(reader.start, reader.end, reader.text)
        with archive.open(path) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
                rows, reader.rows = reader.rows, []
                yield from rows
            parser.Parse(b"", True)
            yield from reader.rows
    except pyexpat.ExpatError:
        raise corrupt() from None
    except _BROKEN:
        raise corrupt() from None


class _SheetReader:
    """Expat callbacks that keep the rows of one worksheet's XML.

    Plain expat rather than ElementTree: no element object per cell, which
    made a 10,000-row sheet take twice as long to read."""

    def __init__(self, strings, limit, caps=CAPS):
        self.strings, self.limit, self.caps = strings, limit, caps
        self.rows, self.merges, self.cells = [], [], 0
        self.row_number, self.next_column = 0, 1
        self.values = {}
        self.cell = None  # (column, type) of the cell being read
        self.parts = None  # its text as it arrives, while inside <v> or an inline <t>
        self.phonetic = False
        self.done = False

    def start(self, name, attrs):
        if name == _CELL:
            position = _parse_ref(attrs.get("r"))
            column = position[1] if position else self.next_column
            self.next_column = column + 1
            _check_position(self.row_number, column, self.caps)
            self.cell, self.parts = (column, attrs.get("t", "n")), []
        elif name == _VALUE or (name == _TEXT_RUN and self.cell and not self.phonetic):
            self.collecting = True
        elif name == _ROW:
            self.row_number = int(attrs.get("r") or self.row_number + 1)
            self.values, self.next_column = {}, 1
        elif name == _PHONETIC:
            self.phonetic = True
        elif name == _DIMENSION:
            # Refused by its declared size before a single row is read.
            position = _parse_ref((attrs.get("ref") or "").split(":")[-1])
            if position:
                _check_position(*position, self.caps)
        elif name == _MERGE:
            parts = [_parse_ref(p) for p in (attrs.get("ref") or "").split(":")]
            if len(parts) == 2 and all(parts):
                (r1, c1), (r2, c2) = parts
                if r1 <= SCAN_ROWS + 2:  # only header merges matter
                    self.merges.append((r1, min(c1, MAX_COLUMNS), r2, min(c2, MAX_COLUMNS)))

    collecting = False

    def text(self, data):
        if self.collecting:
            self.parts.append(data)

    def end(self, name):
        if name in (_VALUE, _TEXT_RUN):
            self.collecting = False
        elif name == _CELL:
            column, kind = self.cell
            text = _xlsx_text(kind, "".join(self.parts), self.strings)
            if text != "":
                self.values[column] = text
            self.cell = None
        elif name == _PHONETIC:
            self.phonetic = False
        elif name == _ROW:
            self._end_row()

    def _end_row(self):
        if self.row_number > self.caps.row_number:
            raise too_large(self.caps)
        values = self.values
        if not values:
            return
        self.cells += len(values)
        if self.cells > self.caps.cells:
            raise too_large(self.caps)
        row = [""] * max(values)
        for column, text in values.items():
            row[column - 1] = text
        self.rows.append((self.row_number, row))
        if self.limit and len(self.rows) >= self.limit:
            self.done = True


def _xlsx_sheet(archive, name, path, strings, limit, caps=CAPS):
    reader = _SheetReader(strings, limit, caps)
    _parse(archive, path, reader.start, reader.end, reader.text, stop=lambda: reader.done)
    return Sheet(name=name, rows=reader.rows, merges=reader.merges)


def _parse(archive, path, start, end, text, stop=lambda: False):
    """Feed one part of the archive to expat, in chunks, until `stop()`."""
    parser = _parser(start, end, text)
    try:
        with archive.open(path) as stream:
            while not stop():
                chunk = stream.read(_CHUNK)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except pyexpat.ExpatError:
        raise corrupt() from None


def _parser(start, end, text):
    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    parser.UnparsedEntityDeclHandler = _refuse_declarations
    parser.ExternalEntityRefHandler = _refuse_declarations
    return parser


def _xlsx_text(kind, text, strings):
    """A cell's value as text, from its type and what its <v> (or inline <t>) holds."""
    if not text:
        return ""
    if kind in ("inlineStr", "str", "e"):
        return text
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if text == "1" else "FALSE"
    if text.endswith(".0"):
        text = text[:-2]
    return NumberCell(text)


# -- ods ----------------------------------------------------------------------


def read_ods(content, *, sheet=None, limit=None, caps=CAPS):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        with archive.open("content.xml") as stream:
            yield from _ods_sheets(stream, sheet, limit, caps)
    except (zipfile.BadZipFile, SyntaxError, KeyError, ValueError, EOFError, OSError):
        raise corrupt() from None


def ods_sheet_names(content):
    return [s.name for s in read_ods(content, limit=1)]


def _repeat(element, attribute):
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}") or 1))
    except ValueError:
        raise corrupt() from None


def _ods_sheets(stream, wanted, limit, caps=CAPS):
    current = None
    row_number = cells = 0
    skipping = False
    done = False
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_TABLE}table":
                name = element.get(f"{_TABLE}name", "")
                skipping = wanted is not None and name != wanted
                current = Sheet(name=name, rows=[])
                row_number = cells = 0
                done = False
            continue
        if tag == f"{_TABLE}table":
            if not skipping:
                yield current
            current = None
            element.clear()
        elif tag == f"{_TABLE}table-row" and current is not None:
            repeat = _repeat(element, "number-rows-repeated")
            if skipping or done:
                element.clear()
                continue
            values, column = {}, 0
            for cell in element:
                if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    continue
                span = _repeat(cell, "number-columns-repeated")
                text = _ods_value(cell)
                if text != "":
                    if column + span > MAX_COLUMNS:
                        raise too_large()
                    for offset in range(span):
                        values[column + offset + 1] = text
                    spanned_rows = _repeat(cell, "number-rows-spanned")
                    spanned_columns = _repeat(cell, "number-columns-spanned")
                    if (spanned_rows > 1 or spanned_columns > 1) and row_number < SCAN_ROWS + 2:
                        current.merges.append(
                            (
                                row_number + 1,
                                column + 1,
                                row_number + min(spanned_rows, caps.row_number),
                                column + min(spanned_columns, MAX_COLUMNS),
                            )
                        )
                column += span  # empty trailing cells are counted, never allocated
            element.clear()
            if values:
                if row_number + repeat > caps.row_number:
                    raise too_large(caps)
                cells += len(values) * repeat
                if cells > caps.cells:
                    raise too_large(caps)
                row = [""] * max(values)
                for index, text in values.items():
                    row[index - 1] = text
                for offset in range(repeat):
                    current.rows.append((row_number + offset + 1, list(row)))
                if limit and len(current.rows) >= limit:
                    done = True
            row_number += repeat  # repeated empty rows only move the counter


def _ods_value(cell):
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        value = cell.get(f"{_OFFICE}value") or ""
        if value.endswith(".0"):
            value = value[:-2]
        return NumberCell(value) if value else ""
    parts = []
    for paragraph in cell.iter(f"{_TEXT}p"):
        parts.append(_ods_text(paragraph))
    return "\n".join(parts)


def _ods_text(element):
    text = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            text.append(" " * _repeat_text(child))
        elif child.tag == f"{_TEXT}tab":
            text.append("\t")
        else:
            text.append(_ods_text(child))
        text.append(child.tail or "")
    return "".join(text)


def _repeat_text(element):
    try:
        return min(max(1, int(element.get(f"{_TEXT}c") or 1)), 1000)
    except ValueError:
        return 1
