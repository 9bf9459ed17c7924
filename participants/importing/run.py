"""One file's rows settled in order and written in batches (see the package's docstring)."""

import gc
import itertools
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import hooks
from participants.enums import EnrollmentSource
from participants.importing.cells import (
    ADDRESS_MAX,
    DUSUN_MAX,
    NAME_MAX,
    PerValue,
    birth_year,
    normalize_nik_cell,
    normalize_phone_cell,
    rt_rw,
    too_long,
)
from participants.importing.people import (
    IMPORTED_FIELDS,
    Conflict,
    Person,
    key_text,
    new_ids,
    place_key,
)
from participants.importing.writes import (
    enrollment_rows,
    in_id_order,
    insert_rows,
    participant_rows,
    update_people,
)
from participants.models import Enrollment, Participant
from participants.services import import_nik_match_error, undo_value
from participants.validators import person_name_key
from pkk_training.crypto import nik_hasher
from programs import permissions

BATCH_SIZE = 5000  # rows settled and written together (in id order: see writes.in_id_order)


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
            "birth_year": PerValue(birth_year),
            "rt": PerValue(rt_rw),
            "rw": PerValue(rt_rw),
            "dusun": PerValue(lambda v: too_long(DUSUN_MAX) if len(v) > DUSUN_MAX else None),
        }
        for field, batch in self.extra_columns:
            self._checks[field] = PerValue(batch.check)
        self._dusun, self._birth_year = self._checks["dusun"], self._checks["birth_year"]
        self._rt, self._rw = self._checks["rt"], self._checks["rw"]
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
                self.by_place.setdefault(place_key(person), person)

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
        self._ids = new_ids(len(cleaned))
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
        elif len(name) > NAME_MAX:
            errors["full_name"] = [too_long(NAME_MAX)]
        dusun = get("dusun") or ""
        if dusun and (message := self._dusun[dusun]):
            errors["dusun"] = [message]
        address = get("address") or ""
        if len(address) > ADDRESS_MAX:
            errors["address"] = [too_long(ADDRESS_MAX)]
        phone = nik = ""
        if raw := get("phone"):
            try:
                phone = normalize_phone_cell(str(raw), raw)
            except ValidationError as error:
                errors["phone"] = error.messages
        if raw := get("nik"):
            try:
                nik = normalize_nik_cell(str(raw), raw)
            except ValidationError as error:
                errors["nik"] = error.messages
        year, message = self._birth_year[get("birth_year") or ""]
        if message:
            errors["birth_year"] = [message]
        rt, message = self._rt[get("rt") or ""]
        if message:
            errors["rt"] = [message]
        rw, message = self._rw[get("rw") or ""]
        if message:
            errors["rw"] = [message]
        row = {
            "_row": number,
            "full_name": name,
            "dusun": dusun,
            "address": address,
            "phone": phone,
            "nik": nik,
            "birth_year": year,
            "rt": rt,
            "rw": rw,
        }
        for field, _batch in self.extra_columns:
            value = row[field] = get(field) or ""
            if value and (message := self._checks[field][value]):
                errors[field] = [message]
        if errors:
            self._invalid(number, errors)
            return None
        row["hashes"] = self.nik_hashes(nik)
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
                    (person_name_key(row["full_name"]), key_text(row["dusun"]), row["rt"])
                )
                if person is not None:
                    wanted.add(person)
        pks = [p.pk for p in wanted if not p.new and p.stored is None]
        if pks:
            for participant in Participant.objects.filter(pk__in=pks):
                self.people[participant.pk].load(participant)

    def _settle(self, row):
        number = row["_row"]
        decision = self.decisions.get(str(number)) if self.decisions else None
        by_nik = None
        for digest in row["hashes"]:  # by keyed hash; an old key's until rotate_nik_key ran
            if digest in self.by_nik:
                by_nik = self.by_nik[digest]
                break
        name = person_name_key(row["full_name"])
        # A household shares one phone: the holder with this name is the one meant.
        holders = self.by_phone.get(row["phone"]) if row["phone"] else None
        by_phone = None
        if holders:
            by_phone = (
                next((p for p in holders if p is by_nik), None)
                or next((p for p in holders if p.name_key == name), None)
                or holders[0]
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
            person = self.by_place.get((name, key_text(row["dusun"]), row["rt"]))
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
            for lookalike in self.by_name.get(name, ()):
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
            next(self._ids),
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
            if row[field]:
                batch.collect(person.pk, row[field])
        if person.phone and person not in self.by_phone[person.phone]:
            self.by_phone[person.phone].append(person)
        if person.nik_hash:
            self.by_nik[person.nik_hash] = person
        if not person.phone and not person.nik:
            self.by_place.setdefault(place_key(person), person)
        if not person.new and person.pk not in self.enrolled_before:
            self.enrolled.append(str(person.pk))
            self._enrol.append(person.pk)

    # -- writes ---------------------------------------------------------------

    def _save(self):
        created = in_id_order(self._created)
        insert_rows(Participant, participant_rows(created, self))
        for person in created:
            # Written: only what finds her again stays in memory (flat for 100,000 rows).
            person.nik = person.address = person.birth_year = None
        if self._changed:
            update_people(self._changed, self)
        insert_rows(Enrollment, enrollment_rows(created, self))
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
