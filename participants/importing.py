"""The participant import's write path: rows in batches, at near the database's speed.

What the file says is settled row by row, in file order, with the same rules
as before (phone, then NIK, then name and place; a household phone shared; a
conflict never written without a person's decision). What costs time is done
once per column value or once per batch instead of once per row:

- cells a village repeats (birth year, RT, RW, dusun, the "Jalur" column) are
  checked once per distinct value;
- the organization's people are read once as plain values (no NIK decrypted,
  no model instance); those a batch's rows may touch are loaded in one query
  per batch;
- new people are written as prepared rows: one executemany INSERT per batch
  (COPY on PostgreSQL), enrolments likewise.

Everything runs in one transaction: an invalid row (unless `valid_only`), a
conflict left undecided or a crash rolls all of it back.
"""

import gc
import itertools
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import hooks
from participants.enums import EnrollmentSource, EnrollmentStatus
from participants.models import Enrollment, Participant
from participants.services import import_nik_match_error, undo_value
from participants.validators import (
    MOBILE_PATTERN,
    normalize_nik,
    normalize_phone,
    person_name_key,
)
from participants.workbooks import NumberCell
from pkk_training.crypto import encrypt_niks, nik_hasher
from programs import permissions

IMPORTED_FIELDS = ("full_name", "phone", "nik", "birth_year", "dusun", "rt", "rw", "address")
FIELD_LENGTHS = {"full_name": 200, "dusun": 120, "address": 255}
BATCH_SIZE = 2000


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


# -- cells --------------------------------------------------------------------

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


def _birth_year(value):
    year = str(value or "").strip()
    if not year:
        return None, None
    if not year.isdigit() or not 1900 <= int(year) <= timezone.localdate().year:
        return None, _("%(value)s is not a birth year.") % {"value": year}
    return int(year), None


def _rt_rw(value):
    value = str(value or "")
    if value.isdigit():
        value = value.lstrip("0").zfill(3)  # RT 1, 01 and 001 are the same RT
    if len(value) > 4:
        return value, _("%(value)s is not an RT or RW number.") % {"value": value}
    return value, None


def _too_long(limit):
    return _("Longer than %(n)s characters; shorten it.") % {"n": limit}


class _PerValue(dict):
    """A column's check, made once per distinct value (a village repeats a few)."""

    def __init__(self, check):
        super().__init__()
        self.check = check

    def __missing__(self, value):
        result = self[value] = self.check(value)
        return result


def _key_text(value):
    return " ".join(str(value or "").lower().split())


def _place_key(person):
    return (person.name_key, _key_text(person.dusun), person.rt)


# -- the run ------------------------------------------------------------------


class ImportRun:
    """One file's rows against one program; `write` False for the preview."""

    def __init__(self, *, program, by, consent_method, decisions=None, write=True, progress=None):
        self.program, self.organization = program, program.organization
        self.progress, self.read = progress, 0
        self.trusted = by is None or permissions.is_admin(by)
        self.nik_hashes = nik_hasher()
        self.by, self.consent_method, self.write = by, consent_method, write
        self.decisions = {str(k): v for k, v in (decisions or {}).items()}
        self.now, self.today = timezone.now(), timezone.localdate()
        self.invalid = []  # (row, field, message)
        self.duplicates = {}  # row → the row it repeats
        self.near_duplicates = []  # (row, name, existing person)
        self.conflicts = []
        self.outcomes = {}  # row → (what, [(field, old, new)])
        self.counts = defaultdict(int)
        self.created, self.enrolled = [], []  # new people; others enrolled by the import
        self.changed = {}  # participant id → [[field, before, after]], NIKs encrypted
        self.touched = 0
        self.extra_columns = [
            (column.field, column.start(program, by)) for column in hooks.import_columns
        ]
        self._checks = {
            "birth_year": _PerValue(_birth_year),
            "rt": _PerValue(_rt_rw),
            "rw": _PerValue(_rt_rw),
            "dusun": _PerValue(lambda v: _too_long(120) if len(v) > 120 else None),
        }
        for field, batch in self.extra_columns:
            self._checks[field] = _PerValue(batch.check)
        self._index()

    def _index(self):
        """The organization's people as plain values: what finds them, nothing decrypted."""
        self.by_phone, self.by_nik = defaultdict(list), {}
        self.by_name, self.by_place, self.people = defaultdict(list), {}, {}
        self.enrolled_before = set(
            Enrollment.objects.filter(program=self.program)
            .order_by()
            .values_list("participant_id", flat=True)
        )
        known = (
            Participant.objects.filter(organization=self.organization)
            .order_by()
            .values_list("pk", "full_name", "phone", "nik_hash", "dusun", "rt", "rw")
        )
        for pk, full_name, phone, digest, dusun, rt, rw in known:
            person = Person(pk, self.organization, full_name, phone, dusun, rt, rw, new=False)
            person.nik_hash = digest
            self.people[pk] = person
            if phone:
                self.by_phone[phone].append(person)
            if digest:
                self.by_nik[digest] = person
            self.by_name[person.name_key].append(person)
            if pk in self.enrolled_before:
                self.by_place.setdefault(_place_key(person), person)

    # -- rows -----------------------------------------------------------------

    def run(self, rows):
        """Feed every (row number, {field: text}) of the file, in order."""
        rows = iter(rows)
        # Hundreds of thousands of small objects that never form a cycle: the
        # collector's passes over them cost more than the rest of the import.
        collecting = gc.isenabled()
        gc.disable()
        try:
            while batch := list(itertools.islice(rows, BATCH_SIZE)):
                self._batch(batch)
                self.read += len(batch)
                if self.progress:
                    self.progress(self.read)
        finally:
            if collecting:
                gc.enable()
        if self.write:
            for _field, batch in self.extra_columns:
                batch.save()

    def _batch(self, batch):
        cleaned = []
        for number, values in batch:
            row = self._clean(number, values)
            if row is not None:
                cleaned.append(row)
        self._load(cleaned)
        self._created, self._changed, self._enrol = [], [], []
        for row in cleaned:
            self._settle(row)
        if self.write:
            self._save()

    def _clean(self, number, values):
        """The row's values checked and normalised, or None with its errors recorded."""
        errors = {}
        get = values.get
        name = get("full_name") or ""
        if not name:
            errors["full_name"] = [_("The name is empty.")]
        elif len(name) > 200:
            errors["full_name"] = [_too_long(200)]
        row = {"_row": number, "full_name": name}
        dusun = get("dusun") or ""
        if dusun and (message := self._checks["dusun"][dusun]):
            errors["dusun"] = [message]
        row["dusun"] = dusun
        address = get("address") or ""
        if len(address) > 255:
            errors["address"] = [_too_long(255)]
        row["address"] = address
        for field, normalize in (("phone", normalize_phone_cell), ("nik", normalize_nik_cell)):
            raw = get(field, "")
            try:
                row[field] = normalize(str(raw), raw) if raw else ""
            except ValidationError as error:
                errors[field] = error.messages
                row[field] = ""
        for field in ("birth_year", "rt", "rw"):
            row[field], message = self._checks[field][get(field) or ""]
            if message:
                errors[field] = [message]
        for field, _batch in self.extra_columns:
            value = row[field] = get(field) or ""
            if value and (message := self._checks[field][value]):
                errors[field] = [message]
        if errors:
            self._invalid(number, errors)
            return None
        row["hashes"] = self.nik_hashes(row["nik"])
        return row

    def _invalid(self, number, errors):
        for field, messages in errors.items():
            for message in messages:
                self.invalid.append((number, field, message))

    def _load(self, rows):
        """Everyone already on file that this batch's rows may touch, in one query."""
        wanted = set()
        for row in rows:
            for person in self.by_phone.get(row["phone"], ()) if row["phone"] else ():
                wanted.add(person)
            for digest in row["hashes"]:
                if digest in self.by_nik:
                    wanted.add(self.by_nik[digest])
            if not row["phone"] and not row["nik"]:
                person = self.by_place.get(
                    (person_name_key(row["full_name"]), _key_text(row["dusun"]), row["rt"])
                )
                if person is not None:
                    wanted.add(person)
        pks = [p.pk for p in wanted if not p.new and p.stored is None]
        if pks:
            for participant in Participant.objects.filter(pk__in=pks):
                self.people[participant.pk].load(participant)

    def _find_nik(self, row):
        # By keyed hash, as in the database; an old key's hash until rotate_nik_key ran.
        for digest in row["hashes"]:
            if digest in self.by_nik:
                return self.by_nik[digest]
        return None

    def _settle(self, row):
        number = row["_row"]
        decision = self.decisions.get(str(number))
        by_nik = self._find_nik(row)
        name = person_name_key(row["full_name"])
        # A household shares one phone: the holder with this name is the one meant.
        holders = self.by_phone.get(row["phone"], []) if row["phone"] else []
        by_phone = (
            next((p for p in holders if p is by_nik), None)
            or next((p for p in holders if p.name_key == name), None)
            or (holders[0] if holders else None)
        )
        # Whose NIK it is is said to admins only (see import_nik_match_error); the
        # system and admins are never limited, so for them a new NIK asks nothing.
        nik_error = (
            row["nik"]
            and (by_nik is not None or not self.trusted)
            and import_nik_match_error(by=self.by, by_phone=by_phone, by_nik=by_nik)
        )
        if nik_error:
            self._invalid(number, nik_error.message_dict)
            return
        person, reason = None, ""
        if by_nik is not None:
            person = by_nik
            if by_nik.name_key != name:
                reason = _("Same NIK, another name.")
        elif by_phone is not None:
            person = by_phone
            if by_phone.name_key != name:
                reason = _("Same phone number, another name (a shared household phone?).")
        elif not row["phone"] and not row["nik"]:
            person = self.by_place.get((name, _key_text(row["dusun"]), row["rt"]))
        if reason:
            if decision == "same":
                reason = ""
            elif decision == "different":
                person = None
            else:
                self.conflicts.append(
                    Conflict(
                        row=number,
                        reason=reason,
                        incoming={f: row.get(f) for f in IMPORTED_FIELDS},
                        existing=person,
                        existing_row=person.row,
                    )
                )
                self._outcome(number, "conflict")
                return
        if person is not None and person.row is not None:
            # The same person again: merged into the first row, whose values stand.
            self.duplicates[number] = person.row
            self._outcome(number, "repeated")
            return
        if person is None:
            if decision == "different" and by_nik is not None:
                # A person of their own. A NIK identifies one person, so it stays
                # with whoever holds it; a phone may be the household's, so she keeps it.
                row["nik"], row["hashes"] = "", []
            for lookalike in self.by_name.get(name, []):
                self.near_duplicates.append((number, row["full_name"], lookalike))
            person = self._new_person(row, name)
            self._created.append(person)
            self.created.append(str(person.pk))
            self._outcome(number, "new")
        else:
            changes = self._merge(person, row)
            if not person.consent_method:
                changes.append(("consent_method", "", self.consent_method))
            if changes:
                self._changed.append(person)
                self.changed[str(person.pk)] = [
                    [f, undo_value(f, old), undo_value(f, new)] for f, old, new in changes
                ]
            self._outcome(number, "update" if changes else "unchanged", changes)
        self._keep(person, row)

    @property
    def undo(self):
        """What undoing this import reverses (ParticipantImport.undo)."""
        # New people are enrolled too, and listed once in memory while the import runs.
        enrolled = self.created + self.enrolled
        return {"created": self.created, "enrolled": enrolled, "changed": self.changed}

    def _outcome(self, number, what, changes=()):
        if not self.write:  # the preview's rows say what happens; a real run counts
            self.outcomes[number] = (what, list(changes))
        self.counts[what] += 1

    def _new_person(self, row, name_key):
        person = Person(
            uuid.uuid4(),
            self.organization,
            row["full_name"],
            row["phone"],
            row["dusun"],
            row["rt"],
            row["rw"],
            new=True,
            name_key=name_key,
        )
        person.nik, person.birth_year = row["nik"], row["birth_year"]
        person.address = row["address"]
        person.nik_hash = row["hashes"][0] if row["hashes"] else None
        person.consent_method = self.consent_method
        return person

    def _merge(self, person, row):
        """Write the row's values onto someone already on file; the changes made."""
        changes = []
        for field, old in zip(IMPORTED_FIELDS, person.stored, strict=True):
            value = row[field]
            if value in ("", None):
                continue  # a blank cell never erases what is already known
            if field == "full_name" and person.name_key == person_name_key(value):
                continue  # "IBU SUMIATI" is the Sumiati we know: her name stays as written
            if value != old:
                setattr(person, field, value)
                changes.append((field, old, value))
        if person.nik != person.stored[2]:
            person.nik_hash = row["hashes"][0] if row["hashes"] else None
        return changes

    def _keep(self, person, row):
        """Remember her for the rows below (a repeat, a shared phone) and for the writes."""
        person.row = row["_row"]
        self.touched += 1
        for field, batch in self.extra_columns:
            batch.collect(person.pk, row[field])
        if person.phone and person not in self.by_phone[person.phone]:
            self.by_phone[person.phone].append(person)
        if person.nik_hash:
            self.by_nik[person.nik_hash] = person
        if not person.phone and not person.nik:
            self.by_place.setdefault(_place_key(person), person)
        if not person.new and person.pk not in self.enrolled_before:
            self.enrolled.append(str(person.pk))
            self._enrol.append(person.pk)

    # -- writes ---------------------------------------------------------------

    def _save(self):
        _insert(Participant, self._participant_rows(self._created))
        for person in self._created:
            # Written: only what finds her again stays in memory (flat for 100,000 rows).
            person.nik = person.address = person.birth_year = None
        if self._changed:
            self._update(self._changed)
        _insert(Enrollment, self._enrollment_rows(self._created))
        # Enrolled meanwhile by someone else: kept as it is.
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    program=self.program,
                    participant_id=pk,
                    source=EnrollmentSource.IMPORT,
                    enrolled_on=self.today,
                    created_by=self.by,
                )
                for pk in self._enrol
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )

    def _update(self, people):
        fields = [*IMPORTED_FIELDS, "updated_at"]
        instances, consented = [], []
        for person in people:
            participant = Participant(
                pk=person.pk,
                organization=self.organization,
                **{f: getattr(person, f) for f in IMPORTED_FIELDS},
                updated_at=self.now,
            )
            instances.append(participant)
            if not person.consent_method:
                person.consent_method = self.consent_method
                participant.consent_method = self.consent_method
                participant.consent_at = self.now
                participant.consent_recorded_by = self.by
                consented.append(participant)
        Participant.objects.bulk_update(instances, fields, batch_size=500)
        Participant.objects.bulk_update(
            consented, ["consent_method", "consent_at", "consent_recorded_by"], batch_size=500
        )

    def _participant_rows(self, people):
        native_uuid = connection.features.has_native_uuid_field
        people = list(people)
        tokens = encrypt_niks([p.nik for p in people])
        shared = {
            "organization_id": self.organization.pk,
            "consent_method": self.consent_method,
            "consent_at": self.now,
            "consent_recorded_by_id": self.by.pk if self.by else None,
            "created_at": self.now,
            "updated_at": self.now,
        }
        own = ("id", "full_name", "phone", "nik", "nik_hash", "birth_year", "dusun", "rt", "rw")
        rows = (
            (
                p.pk if native_uuid else p.pk.hex,
                p.full_name,
                p.phone,
                token,
                p.nik_hash,
                p.birth_year,
                p.dusun,
                p.rt,
                p.rw,
                p.address,
            )
            for p, token in zip(people, tokens, strict=True)
        )
        return (*own, "address"), shared, rows

    def _enrollment_rows(self, people):
        native_uuid = connection.features.has_native_uuid_field
        shared = {
            "program_id": self.program.pk,
            "status": EnrollmentStatus.ACTIVE.value,
            "source": EnrollmentSource.IMPORT.value,
            "enrolled_on": self.today,
            "created_by_id": self.by.pk if self.by else None,
            "created_at": self.now,
            "updated_at": self.now,
        }
        rows = ((p.pk if native_uuid else p.pk.hex,) for p in people)
        return ("participant_id",), shared, rows


def _insert(model, prepared):
    """Write rows as fast as the database takes them: COPY on PostgreSQL, one
    executemany INSERT elsewhere. `prepared` is (the attnames each row gives, the
    values shared by every row, the rows as tuples); shared values and other
    columns' defaults are prepared once per column, not once per row."""
    own, shared, rows = prepared
    fields = {
        f.attname: f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    }
    rest = [name for name in fields if name not in own]
    constant = tuple(
        fields[name].get_db_prep_save(
            shared[name] if name in shared else fields[name].get_default(), connection
        )
        for name in rest
    )
    names = [*own, *rest]
    columns = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = (row + constant for row in rows)
    first = next(rows, None)
    if first is None:
        return
    rows = itertools.chain([first], rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            # Names from the model, quoted; the values go as parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
