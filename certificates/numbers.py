"""The certificate number format: a few named placeholders, nothing else."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NAMES = ("nomor", "kode", "bulan", "tahun")


def number_format_check(text):
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in NAMES]
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: {%(name)s}. Use {nomor}, {kode}, {bulan} and {tahun}.")
            % {"name": unknown[0]},
            code="bad_number_format",
        )
    if "{nomor}" not in text:
        raise ValidationError(
            _("The format must hold {nomor}, or every certificate gets the same number."),
            code="no_sequence",
        )
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        raise ValidationError(_("A brace is not closed."), code="bad_number_format")


def number_make(text, *, sequence, code, day):
    values = {
        "nomor": f"{sequence:03d}",
        "kode": code,
        "bulan": ROMAN[day.month - 1],
        "tahun": str(day.year),
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
