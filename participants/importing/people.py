"""Who an import knows: the people of the organization and of the file, as plain records."""

import os
import uuid
from dataclasses import dataclass

from participants.validators import person_name_key

IMPORTED_FIELDS = ("full_name", "phone", "nik", "birth_year", "dusun", "rt", "rw", "address")


@dataclass
class Conflict:
    row: int
    reason: str
    incoming: dict  # the row's cleaned values
    existing: object  # the person it collides with (maybe another row's, new)
    existing_row: int | None  # that person's row in this file, if any


class Person:
    """One participant as the import knows her: a plain record, not a model instance.

    People already on file start with the few values the matching needs
    (`stored` None); `load` fills in the rest for those a row touches."""

    __slots__ = (
        "pk",
        "organization",
        "full_name",
        "name_key",
        "phone",
        "nik",
        "nik_hash",
        "birth_year",
        "dusun",
        "rt",
        "rw",
        "address",
        "consent_method",
        "new",
        "stored",
        "row",
    )

    def __init__(self, pk, organization, full_name, phone, dusun, rt, rw, *, new, name_key=None):
        self.pk, self.organization, self.new = pk, organization, new
        self.full_name = full_name
        self.name_key = person_name_key(full_name) if name_key is None else name_key
        self.phone, self.dusun, self.rt, self.rw = phone, dusun, rt, rw
        self.nik, self.nik_hash, self.birth_year, self.address = "", None, None, ""
        self.consent_method, self.stored = "", None
        self.row = None  # her first row in this file

    def __str__(self):
        return self.full_name

    @property
    def rt_rw(self):
        if self.rt or self.rw:
            return f"{self.rt or '-'}/{self.rw or '-'}"
        return ""

    def load(self, participant):
        for field in IMPORTED_FIELDS:
            setattr(self, field, getattr(participant, field))
        self.name_key = person_name_key(self.full_name)
        self.nik_hash, self.consent_method = participant.nik_hash, participant.consent_method
        self.stored = tuple(getattr(self, f) for f in IMPORTED_FIELDS)


def key_text(value):
    return " ".join(str(value or "").lower().split())


def place_key(person):
    return (person.name_key, key_text(person.dusun), person.rt)


def new_ids(count):
    """`count` ids as uuid4 makes them, from one draw of randomness instead of one each."""
    data = os.urandom(16 * count)
    return (uuid.UUID(bytes=data[i : i + 16], version=4) for i in range(0, len(data), 16))
