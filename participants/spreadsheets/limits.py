"""The caps of one read, and the checks before any parser opens a file: its size,
and for xlsx and ods an archive that unpacks to an implausible size (a zip bomb)."""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants import workbooks

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 500
MAX_ROWS = 50_000
HEADER_SCAN_ROWS = workbooks.SCAN_ROWS
# Rows read first: the header's search, and the 50 rows below it that size the columns.
SCAN_LIMIT = HEADER_SCAN_ROWS + 52


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
