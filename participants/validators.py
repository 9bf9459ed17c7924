import datetime as dt
import functools
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
EMPTY_MARKS = {"-", "--", "—", "–", "_", "."}


def clean_text(value):
    """Text as typed, without invisible characters and with single spaces."""
    text = str(value if value is not None else "")
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip():
        return "" if text in EMPTY_MARKS else text  # nearly every cell: nothing to strip
    text = _INVISIBLE_RE.sub("", text)
    text = " ".join(text.split())
    return "" if text in EMPTY_MARKS else text


def clean_texts(values):
    """clean_text of each value; a row of plain printable ASCII (nearly every row
    of a village list) is recognised in one test of the whole row."""
    try:
        line = "|".join(values)
    except TypeError:  # a None or a number among them
        return [clean_text(v) for v in values]
    # Printable ASCII holds no whitespace but the space, so a value needs
    # stripping only where a space touches the separator or either end.
    if (
        line.isascii()
        and line.isprintable()
        and "  " not in line
        and " |" not in line
        and "| " not in line
        and line == line.strip()
    ):
        return ["" if v in EMPTY_MARKS else str(v) for v in values]
    return [clean_text(v) for v in values]


_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_NIK_SEPARATORS = re.compile(r"[\s.\-]")


# An Indonesian mobile number written nationally ("0812…", "812…") or with
# "+62": the pattern of libphonenumber's metadata for ID mobile numbers
# (tests/participants/test_validators.py checks both agree). Anything else,
# "62812…" included, goes through phonenumbers.
_MOBILE = re.compile(r"^(?:\+62|0)?(8[1-35-9]\d{7,10})$")
_SEPARATORS = re.compile(r"[\s.()\-]")
MOBILE_PATTERN = _MOBILE  # for readers that try it first on a cell as typed


def normalize_phone(raw):
    """'0812…', '812…', '+62812…' and '62812…' all become '+62812…'; blank stays ''."""
    value = str(raw or "").strip()
    if not value:
        return ""
    if _SCIENTIFIC.match(value):
        raise ValidationError(
            _(
                "The phone number %(value)s was rounded by the spreadsheet; "
                "format the column as text."
            ),
            code="phone_rounded",
            params={"value": value},
        )
    mobile = _MOBILE.match(_SEPARATORS.sub("", value))
    if mobile:  # nearly every number of a village list: no need for the whole parser
        return "+62" + mobile.group(1)
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(value)s is not a valid phone number (example: 0812 3456 7890)."),
            code="phone_invalid",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_nik(raw):
    """A NIK is exactly 16 digits; spaces and dots typed between groups are dropped."""
    value = str(raw or "").strip()
    if not value:
        return ""
    if value.isascii() and value.isdigit():
        digits = value  # nearly every NIK: nothing to strip, no notation to fear
    elif _SCIENTIFIC.match(value):
        raise ValidationError(
            _(
                "The NIK %(value)s was rounded by the spreadsheet (scientific notation); "
                "format the NIK column as text and type it again."
            ),
            code="nik_rounded",
            params={"value": value},
        )
    else:
        digits = _NIK_SEPARATORS.sub("", value)
    if not digits.isdigit() or len(digits) != 16:
        raise ValidationError(
            _("A NIK has exactly 16 digits; %(value)s does not."),
            code="nik_length",
            params={"value": value},
        )
    if not _nik_parts_valid(digits[:4], digits[6:12]):
        raise ValidationError(
            _("%(value)s is not a valid NIK (check the region code and the birth date)."),
            code="nik_invalid",
            params={"value": value},
        )
    return digits


def _nik_parts_valid(region, birth_date):
    """python-stdnum's check of a NIK, which reads only its region (digits 1-4) and
    birth date (7-12), each made once per distinct value rather than once per NIK."""
    return _nik_birth_date_valid(birth_date) and _nik_region_valid(region)


@functools.lru_cache(maxsize=65536)
def _nik_birth_date_valid(birth_date):
    # stdnum's get_birth_date, without its 4 µs of clean-up around the date: a
    # woman's day is the day + 40; the year 19yy or 20yy (29 February is 20yy's).
    # A list of 10,000 people holds thousands of birth dates, each checked once.
    # tests/participants/test_validators.py checks both agree on every ddmm.
    day, month, year = int(birth_date[:2]) % 40, int(birth_date[2:4]), int(birth_date[4:6])
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


@functools.lru_cache(maxsize=4096)
def _nik_region_valid(region):
    try:
        stdnum_nik.validate(f"{region}00010190" + "0001")  # 1 January 1990 always is a date
    except StdnumError:
        return False
    return True


def mask_nik(nik):
    return f"•••• {nik[-4:]}" if nik else ""


def format_phone(e164):
    """'+6281234567890' → '0812-3456-7890', the way people write it here."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "ID")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


_E164_MOBILE = re.compile(r"^\+62(8[1-35-9]\d{7,10})$")


def mask_phone(e164):
    mobile = _E164_MOBILE.match(e164 or "")
    # A mobile number's national digits are 0 and the rest: no parser for
    # each of a roll's 500 rows.
    national = "0" + mobile.group(1) if mobile else re.sub(r"\D", "", format_phone(e164))
    if len(national) < 8:
        return national
    return f"{national[:4]}••••{national[-3:]}"


_TITLES = {
    "ibu",
    "bu",
    "bunda",
    "hj",
    "hjh",
    "haji",
    "hajjah",
    "hajah",
    "ny",
    "nyonya",
    "nn",
    "nona",
    "sdri",
    "sdr",
    "saudari",
    "saudara",
    "bpk",
    "bapak",
    "pak",
    "mbak",
    "mba",
    "dr",
    "dra",
    "drs",
    "ir",
    "umi",
    "teh",
    "ceu",
    "mak",
    "mbok",
}


_WORDS = re.compile(r"[^\W\d_]+")


def person_name_key(name):
    """A name as people compare them: "IBU SUMIATI", "Bu Sumiati" and "Sumiati" are one."""
    text = clean_text(name).lower().split(",", 1)[0]  # ", S.Pd" and other degrees
    words = _WORDS.findall(text)
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)
