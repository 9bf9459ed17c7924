"""The participants-with-enrollment resource of django-import-export.

Rows are normalised and checked with the same rules as the forms (phone to
E.164, NIK of 16 digits, a name), matched to the organization's existing
participants by phone, then NIK, from caches filled once per import, and
written in bulk. After the rows: enrollment in the program, consent where
it was missing, and the chosen checklist tracks.
"""

import sys
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from participants import hooks
from participants.enums import EnrollmentSource
from participants.importing import IMPORTED_FIELDS, Conflict
from participants.importing import normalize_nik_cell as _normalize_nik_cell
from participants.importing import normalize_phone_cell as _normalize_phone_cell
from participants.models import Enrollment, Participant
from participants.services import import_nik_match_error, undo_value
from participants.spreadsheets import (
    FIELD_LENGTHS,
    ROW_COLUMN,
    NumberCell,
    clean_text,
    normalize_dataset,
)
from participants.validators import person_name_key
from pkk_training.crypto import nik_hash, nik_hashes


class ParticipantResource(resources.ModelResource):
    full_name = fields.Field(attribute="full_name", column_name="full_name")
    phone = fields.Field(attribute="phone", column_name="phone")
    nik = fields.Field(attribute="nik", column_name="nik")
    birth_year = fields.Field(attribute="birth_year", column_name="birth_year")
    dusun = fields.Field(attribute="dusun", column_name="dusun")
    rt = fields.Field(attribute="rt", column_name="rt")
    rw = fields.Field(attribute="rw", column_name="rw")
    address = fields.Field(attribute="address", column_name="address")

    class Meta:
        model = Participant
        fields = IMPORTED_FIELDS
        import_id_fields = ()
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        skip_html_diff = True

    def __init__(
        self,
        *,
        program=None,
        by=None,
        consent_method="",
        decisions=None,
        conflicts_as_errors=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.program = program
        self.by = by
        self.consent_method = consent_method
        self.now = timezone.now()
        self.by_phone, self.by_nik = defaultdict(list), {}
        self.first_row = {}  # participant key → first row number in the file
        self.duplicates = {}  # row number → the row it repeats
        self.touched = {}  # participant pk → the Participant (new or existing)
        self.near_duplicates = []  # (row number, name, existing participant)
        self.stored = {}  # existing participant pk → its imported fields before this file
        self.conflicts = []  # Conflict: rows that touch someone else; never written
        self.conflict_rows = set()
        self.outcomes = {}  # row number → (what happens, [(field, old, new)])
        self.decisions = decisions or {}  # row number → "same" | "different"
        self.conflicts_as_errors = conflicts_as_errors

    # -- before the rows ------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.program is None:
            raise ValidationError(_("Choose the program to import into."))
        normalize_dataset(dataset)  # a no-op for files read by read_table()
        existing = Participant.objects.filter(organization=self.program.organization).only(
            "id",
            "full_name",
            "phone",
            "nik",
            "nik_hash",
            "birth_year",
            "dusun",
            "rt",
            "rw",
            "address",
            "consent_method",
            "consent_at",
            "organization_id",
        )
        self.by_name = defaultdict(list)
        enrolled = set(
            Enrollment.objects.filter(program=self.program).values_list("participant_id", flat=True)
        )
        self.enrolled_before = enrolled
        self.by_place = {}  # (name, dusun, rt) → a keyless participant of this program
        for participant in existing:
            if participant.phone:
                self.by_phone[participant.phone].append(participant)
            if participant.nik_hash:
                self.by_nik[participant.nik_hash] = participant
            self.by_name[person_name_key(participant.full_name)].append(participant)
            if participant.pk in enrolled:
                self.by_place.setdefault(_place_key(participant), participant)
        # Columns the apps above participants read (checklists: "Jalur").
        self.extra_columns = [
            (column.field, column.start(self.program, self.by)) for column in hooks.import_columns
        ]

    def get_import_id_fields(self):
        return []

    # -- each row -------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        errors = {}
        texts = ("full_name", "dusun", "address", "rt", "rw", "birth_year")
        for field in texts + tuple(field for field, _batch in self.extra_columns):
            if field in row:
                value = clean_text(row.get(field))
                row[field] = NumberCell(value) if isinstance(row[field], NumberCell) else value
        name = row.get("full_name") or ""
        if not name:
            errors["full_name"] = [_("The name is empty.")]
        for field, limit in FIELD_LENGTHS.items():
            if len(str(row.get(field) or "")) > limit:
                errors[field] = [_("Longer than %(n)s characters; shorten it.") % {"n": limit}]
        for field, normalize in (("phone", _normalize_phone_cell), ("nik", _normalize_nik_cell)):
            try:
                row[field] = normalize(clean_text(row.get(field, "")), row.get(field))
            except ValidationError as error:
                errors[field] = error.messages
                row[field] = ""
        year = str(row.get("birth_year") or "").strip()
        if year:
            if not year.isdigit() or not 1900 <= int(year) <= timezone.localdate().year:
                errors["birth_year"] = [_("%(value)s is not a birth year.") % {"value": year}]
            else:
                row["birth_year"] = int(year)
        else:
            row["birth_year"] = None
        for field in ("rt", "rw"):
            value = str(row.get(field) or "")
            if value.isdigit():
                value = value.lstrip("0").zfill(3)  # RT 1, 01 and 001 are the same RT
            if len(value) > 4:
                errors[field] = [_("%(value)s is not an RT or RW number.") % {"value": value}]
            row[field] = sys.intern(value)  # a few RTs, repeated on every row
        for field, batch in self.extra_columns:
            message = batch.check(row.get(field) or "")
            if message:
                errors[field] = [message]
        if errors:
            raise ValidationError(errors)

    def _find_nik(self, nik):
        # By keyed hash, as in the database; an old key's hash until rotate_nik_key ran.
        for digest in nik_hashes(nik):
            if digest in self.by_nik:
                return self.by_nik[digest]
        return None

    def get_or_init_instance(self, instance_loader, row):
        number = row[ROW_COLUMN]
        decision = self.decisions.get(number) or self.decisions.get(str(number))
        by_nik = self._find_nik(row["nik"])
        name = person_name_key(row["full_name"])
        # A household shares one phone: the holder with this name is the one meant.
        holders = self.by_phone.get(row["phone"], []) if row["phone"] else []
        by_phone = (
            next((p for p in holders if p is by_nik), None)
            or next((p for p in holders if person_name_key(p.full_name) == name), None)
            or (holders[0] if holders else None)
        )
        # Whose NIK it is is said to admins only (see import_nik_match_error).
        nik_error = row["nik"] and import_nik_match_error(
            by=self.by, by_phone=by_phone, by_nik=by_nik
        )
        if nik_error:
            raise nik_error
        instance, reason = None, ""
        if by_nik is not None:
            instance = by_nik
            if person_name_key(by_nik.full_name) != name:
                reason = _("Same NIK, another name.")
        elif by_phone is not None:
            instance = by_phone
            if person_name_key(by_phone.full_name) != name:
                reason = _("Same phone number, another name (a shared household phone?).")
        elif not row["phone"] and not row["nik"]:
            instance = self.by_place.get((name, _key_text(row.get("dusun")), row.get("rt", "")))
        if reason:
            if decision == "same":
                reason = ""
            elif decision == "different":
                instance = None
            elif self.conflicts_as_errors:
                raise ValidationError(
                    {
                        "full_name": [
                            _(
                                "%(reason)s %(name)s is already known: decide on the import "
                                "page whether this is the same person."
                            )
                            % {"reason": reason, "name": instance.full_name}
                        ]
                    }
                )
            else:
                self.conflicts.append(
                    Conflict(
                        row=number,
                        reason=reason,
                        incoming={f: row.get(f) for f in IMPORTED_FIELDS},
                        existing=instance,
                        existing_row=self.first_row.get(instance.pk),
                    )
                )
                self.conflict_rows.add(number)
                return instance, False
        if instance is not None:
            return instance, instance._state.adding
        instance = Participant(
            organization=self.program.organization,
            consent_method=self.consent_method,
            consent_at=self.now,
            consent_recorded_by=self.by,
        )
        if decision == "different" and by_nik is not None:
            # A person of their own. A NIK identifies one person, so it stays
            # with whoever holds it; a phone may be the household's, so she keeps it.
            row["nik"] = ""
        for lookalike in self.by_name.get(name, []):
            self.near_duplicates.append((number, row["full_name"], lookalike))
        return instance, True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if row[ROW_COLUMN] in self.conflict_rows:
            return
        if (
            field.attribute == "full_name"
            and not instance._state.adding
            and person_name_key(instance.full_name)
            == person_name_key(value := row.get("full_name"))
        ):
            return  # "IBU SUMIATI" is the Sumiati we know: her name stays as it was written
        value = row.get(field.column_name)
        if value in ("", None) and not instance._state.adding:
            return  # a blank cell never erases what is already known
        if instance.pk in self.first_row and getattr(instance, field.attribute) not in ("", None):
            return  # the same person again in this file: the first row's values stand
        if value in ("", None) and field.attribute == "birth_year":
            value = None
        setattr(
            instance,
            field.attribute,
            value if value is not None else (None if field.attribute == "birth_year" else ""),
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        key = instance.pk
        number = row[ROW_COLUMN]
        if number in self.conflict_rows:
            self.outcomes[number] = ("conflict", [])
            return True
        if key in self.first_row and self.first_row[key] != number:
            self.duplicates[number] = self.first_row[key]
            self.outcomes[number] = ("repeated", [])
            return True  # the same person again: merged into the first row
        self.first_row[key] = number
        self.touched[key] = instance
        for field, batch in self.extra_columns:
            batch.collect(key, row.get(field) or "")
        if instance.phone and instance not in self.by_phone[instance.phone]:
            self.by_phone[instance.phone].append(instance)
        if instance.nik:
            self.by_nik[nik_hash(instance.nik)] = instance
        if not instance.phone and not instance.nik:
            self.by_place.setdefault(_place_key(instance), instance)
        if instance._state.adding:
            self.outcomes[number] = ("new", [])
            return False
        before = self.stored.get(instance.pk, ())
        changes = [
            (field, old, getattr(instance, field))
            for field, old in zip(IMPORTED_FIELDS, before, strict=False)
            if old != getattr(instance, field)
        ]
        if not instance.consent_method:
            changes.append(("consent_method", "", self.consent_method))
        self.outcomes[number] = ("update" if changes else "unchanged", changes)
        return not changes

    def _changed(self, instance):
        return self.stored.get(instance.pk) != tuple(getattr(instance, f) for f in IMPORTED_FIELDS)

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self.stored.setdefault(
                instance.pk, tuple(getattr(instance, f) for f in IMPORTED_FIELDS)
            )

    # -- after the rows -------------------------------------------------------

    def after_import(self, dataset, result, **kwargs):
        self.undo = {"created": [], "enrolled": [], "changed": {}}
        if not self.touched:
            return
        ids = list(self.touched)
        # What undoing this import reverses: [field, value before, value written].
        for pk, participant in self.touched.items():
            if self.outcomes.get(self.first_row.get(pk), ("",))[0] == "new":
                self.undo["created"].append(str(pk))
                continue
            before = dict(zip(IMPORTED_FIELDS, self.stored.get(pk, ()), strict=False))
            changed = [
                [f, undo_value(f, old), undo_value(f, getattr(participant, f))]
                for f, old in before.items()
                if old != getattr(participant, f)
            ]
            if not participant.consent_method:
                changed.append(["consent_method", "", self.consent_method])
            if changed:
                self.undo["changed"][str(pk)] = changed
        missing_consent = [
            p for p in self.touched.values() if not p._state.adding and not p.consent_method
        ]
        for participant in missing_consent:
            participant.consent_method = self.consent_method
            participant.consent_at = self.now
            participant.consent_recorded_by = self.by
        Participant.objects.bulk_update(
            missing_consent,
            ["consent_method", "consent_at", "consent_recorded_by"],
            batch_size=1000,
        )
        today = timezone.localdate()
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    program=self.program,
                    participant_id=pk,
                    source=EnrollmentSource.IMPORT,
                    enrolled_on=today,
                    created_by=self.by,
                )
                for pk in ids
                if pk not in self.enrolled_before
            ],
            ignore_conflicts=True,  # enrolled meanwhile by someone else: kept as it is
            batch_size=1000,
        )
        self.undo["enrolled"] = [str(pk) for pk in ids if pk not in self.enrolled_before]
        for _field, batch in self.extra_columns:
            batch.save()


def _name_key(name):
    return " ".join(str(name or "").lower().split())


def _key_text(value):
    return " ".join(str(value or "").lower().split())


def _place_key(participant):
    return (person_name_key(participant.full_name), _key_text(participant.dusun), participant.rt)
