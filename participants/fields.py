from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from pkk_training.crypto import TOKEN_PREFIX, decrypt_nik, encrypt_nik

LOOK_UP_BY_HASH = (
    "NIKs are encrypted: find one through its keyed hash "
    "(Participant.objects.with_nik(nik)), never by the encrypted column."
)


class BlankOnlyExact(Exact):
    """`nik=""` (no NIK) is the one comparison a random ciphertext allows."""

    def __init__(self, lhs, rhs):
        if rhs != "":
            raise FieldError(LOOK_UP_BY_HASH)
        super().__init__(lhs, rhs)


class EncryptedNikField(models.CharField):
    """A NIK held in clear on the model and as a Fernet token in the database.

    Reading a value no configured key opens raises NikKeyError (a wrong key
    fails loudly, never as garbage or a blank). Only `=""` and `isnull`
    comparisons are allowed: anything else raises FieldError.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)  # a token for 16 digits is 120 characters
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_nik(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or value.startswith(TOKEN_PREFIX):
            return value  # blank, or already a token (a lookup against "" or a raw copy)
        return encrypt_nik(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return BlankOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # FieldError "Unsupported lookup": icontains on a ciphertext finds nothing

    def get_transform(self, lookup_name):
        return None

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.CharField, "max_length": 16, **kwargs})
