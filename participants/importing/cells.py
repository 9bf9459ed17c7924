"""One cell's check: what a row of a village list may hold, column by column."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant
from participants.validators import MOBILE_PATTERN, normalize_nik, normalize_phone
from participants.workbooks import NumberCell

# The columns' limits, as the model has them: a longer cell is the row's error, not the database's.
NAME_MAX, DUSUN_MAX, ADDRESS_MAX = (
    Participant._meta.get_field(name).max_length for name in ("full_name", "dusun", "address")
)

_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")


def normalize_phone_cell(value, raw=None):
    if not value:
        return ""
    mobile = MOBILE_PATTERN.match(value)
    if mobile:  # "0812…" as typed, without separators: nothing below could object
        return "+62" + mobile.group(1)
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.match(value) or re.search(r"\(\D", value):
        raise ValidationError(
            _(
                "%(value)s is not one phone number: write only the number, and any remark "
                "in another column."
            )
            % {"value": value},
            code="phone_remark",
        )
    groups = [g for g in re.split(r"[\s().-]+", value) if g]
    if len(digits) > 15 or (
        len(groups) > 1 and all(len(re.sub(r"\D", "", g)) >= 9 for g in groups)
    ):
        raise ValidationError(
            _("%(value)s holds more than one phone number; keep one per participant.")
            % {"value": value},
            code="phone_many",
        )
    return normalize_phone(value)


def normalize_nik_cell(value, raw=None):
    if isinstance(raw, NumberCell) and str(value).strip():
        # Excel keeps 15 significant digits: a 16-digit NIK stored as a number
        # has already lost its last digit, whatever it looks like now.
        raise ValidationError(
            _(
                "The NIK %(value)s was stored as a number, which Excel rounds; format the NIK "
                "column as text and type it again."
            )
            % {"value": value},
            code="nik_rounded",
        )
    return normalize_nik(value)


def birth_year(value):
    year = str(value or "").strip()
    if not year:
        return None, None
    if not year.isdigit() or not 1900 <= int(year) <= timezone.localdate().year:
        return None, _("%(value)s is not a birth year.") % {"value": year}
    return int(year), None


def rt_rw(value):
    value = str(value or "")
    if value.isdigit():
        value = value.lstrip("0").zfill(3)  # RT 1, 01 and 001 are the same RT
    if len(value) > 4:
        return value, _("%(value)s is not an RT or RW number.") % {"value": value}
    return value, None


def too_long(limit):
    return _("Longer than %(n)s characters; shorten it.") % {"n": limit}


class PerValue(dict):
    """A column's check, made once per distinct value (a village repeats a few)."""

    def __init__(self, check):
        super().__init__()
        self.check = check

    def __missing__(self, value):
        result = self[value] = self.check(value)
        return result
