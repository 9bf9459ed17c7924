import pytest
from django.core.exceptions import ValidationError

from participants.validators import (
    clean_text,
    clean_texts,
    format_phone,
    mask_nik,
    mask_phone,
    normalize_nik,
    normalize_phone,
)


@pytest.mark.parametrize(
    "raw", ["081234567890", "81234567890", "+6281234567890", "6281234567890", "0812-3456-7890"]
)
def test_every_way_of_writing_a_number_is_one_number(raw):
    assert normalize_phone(raw) == "+6281234567890"


def test_blank_phone_stays_blank():
    assert normalize_phone("  ") == ""


@pytest.mark.parametrize(("raw", "code"), [("12", "phone_invalid"), ("8.12E+10", "phone_rounded")])
def test_bad_phone_is_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.code == code


def test_nik_with_separators_is_normalised():
    assert normalize_nik("1808 0541 0190 0001") == "1808054101900001"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("3.27E+15", "nik_rounded"),
        ("180805410190000", "nik_length"),
        ("18080541019000011", "nik_length"),
        ("9908054101900001", "nik_invalid"),  # no province 99
        ("1808053201900001", "nik_invalid"),  # born on the 32nd
    ],
)
def test_bad_nik_is_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_nik(raw)
    assert caught.value.code == code


def test_masks_and_formats():
    assert mask_nik("1808054101900001") == "•••• 0001"
    assert mask_nik("") == ""
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert mask_phone("+6281234567890") == "0812••••890"


@pytest.mark.parametrize(
    "e164", ["+6281234567", "+62812345678901", "+6285712345678", "+62899123456", "+62217654321"]
)
def test_mask_phone_of_a_mobile_number_is_what_the_parser_makes_of_it(e164):
    national = "".join(c for c in format_phone(e164) if c.isdigit())

    assert mask_phone(e164) == f"{national[:4]}••••{national[-3:]}"


def _by_phonenumbers(raw):
    """What libphonenumber alone makes of a number: E.164, or None when invalid."""
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_the_mobile_shortcut_agrees_with_phonenumbers_on_every_shape():
    written = []
    for second in "0123456789":
        for length in range(7, 13):  # digits after "8x"
            national = f"8{second}" + "".join(str((i * 7 + 3) % 10) for i in range(length))
            for prefix in ("", "0", "+62", "62", "+62 ", "(0"):
                number = prefix + national
                written += [number, f"{number[:4]}-{number[4:8]} {number[8:]}"]

    ours = []
    for raw in written:
        try:
            ours.append(normalize_phone(raw))
        except ValidationError:
            ours.append(None)

    assert ours == [_by_phonenumbers(raw) for raw in written]
    assert ours.count(None) < len(ours)


def test_nik_birth_date_check_agrees_with_python_stdnum():
    # The import checks the birth date itself (stdnum's clean-up costs 4 µs a NIK).
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.id import nik as stdnum_nik

    from participants.validators import _nik_birth_date_valid

    def stdnum_valid(birth_date):
        try:
            stdnum_nik.get_birth_date(f"000000{birth_date}0000")
        except StdnumError:
            return False
        return True

    _nik_birth_date_valid.cache_clear()
    for year in ("00", "01", "04", "23", "99"):
        for day_month in range(10000):
            birth_date = f"{day_month:04d}{year}"
            assert _nik_birth_date_valid(birth_date) == stdnum_valid(birth_date), birth_date


@pytest.mark.parametrize(
    "row",
    [
        ["Siti", "0812", "-", ""],
        ["Siti ", "0812"],
        ["Siti", " 0812"],
        ["Siti  Aminah", "a|b", "a| b", "|"],
        ["Siti\u200bAminah", "Dusun\xa0II", "RT\t1", "—"],
        ["Ibu Siti", None, 5],
        [],
    ],
)
def test_a_row_is_cleaned_as_each_cell_alone(row):
    assert clean_texts(row) == [clean_text(value) for value in row]
