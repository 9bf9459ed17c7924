"""The participants-with-enrollment resource of django-import-export.

Rows are normalised and checked with the same rules as the forms (phone to
E.164, NIK of 16 digits, a name), matched to the organization's existing
participants by phone, then NIK, from caches filled once per import, and
written in bulk. After the rows: enrollment in the program, consent where
it was missing, and the chosen checklist tracks.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from participants import hooks
from participants.enums import EnrollmentSource
from participants.models import Enrollment, Participant
from participants.services import import_nik_match_error
from participants.spreadsheets import ROW_COLUMN, NumberCell, normalize_dataset
from participants.validators import normalize_nik, normalize_phone

IMPORTED_FIELDS = ("full_name", "phone", "nik", "birth_year", "dusun", "rt", "rw", "address")


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

    def __init__(self, *, program=None, by=None, consent_method="", **kwargs):
        super().__init__(**kwargs)
        self.program = program
        self.by = by
        self.consent_method = consent_method
        self.now = timezone.now()
        self.by_phone, self.by_nik = {}, {}
        self.first_row = {}  # participant key → first row number in the file
        self.duplicates = {}  # row number → the row it repeats
        self.touched = {}  # participant pk → the Participant (new or existing)
        self.near_duplicates = []  # (row number, name, existing participant)
        self.stored = {}  # existing participant pk → its imported fields before this file

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
        for participant in existing:
            if participant.phone:
                self.by_phone[participant.phone] = participant
            if participant.nik:
                self.by_nik[participant.nik] = participant
            self.by_name[_name_key(participant.full_name)].append(participant)
        # Columns the apps above participants read (checklists: "Jalur").
        self.extra_columns = [
            (column.field, column.start(self.program, self.by)) for column in hooks.import_columns
        ]

    def get_import_id_fields(self):
        return []

    # -- each row -------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        errors = {}
        name = " ".join(str(row.get("full_name") or "").split())
        if not name:
            errors["full_name"] = [_("The name is empty.")]
        elif len(name) > 200:
            errors["full_name"] = [_("The name is longer than 200 characters.")]
        row["full_name"] = name
        for field, normalize in (("phone", normalize_phone), ("nik", _normalize_nik_cell)):
            try:
                row[field] = normalize(row.get(field, ""))
            except ValidationError as error:
                errors[field] = error.messages
        year = str(row.get("birth_year") or "").strip()
        if year:
            if not year.isdigit() or not 1900 <= int(year) <= timezone.localdate().year:
                errors["birth_year"] = [_("%(value)s is not a birth year.") % {"value": year}]
            else:
                row["birth_year"] = int(year)
        else:
            row["birth_year"] = None
        for field in ("dusun", "address"):
            row[field] = " ".join(str(row.get(field) or "").split())[
                : 255 if field == "address" else 120
            ]
        for field in ("rt", "rw"):
            row[field] = str(row.get(field) or "").strip()[:4]
        for field, batch in self.extra_columns:
            message = batch.check(row.get(field) or "")
            if message:
                errors[field] = [message]
        if errors:
            raise ValidationError(errors)

    def get_or_init_instance(self, instance_loader, row):
        by_phone = self.by_phone.get(row["phone"]) if row["phone"] else None
        by_nik = self.by_nik.get(row["nik"]) if row["nik"] else None
        nik_error = row["nik"] and import_nik_match_error(
            by=self.by, by_phone=by_phone, by_nik=by_nik
        )
        if nik_error:
            raise nik_error
        instance = by_phone or by_nik
        if instance is not None:
            return instance, instance._state.adding
        instance = Participant(
            organization=self.program.organization,
            consent_method=self.consent_method,
            consent_at=self.now,
            consent_recorded_by=self.by,
        )
        for lookalike in self.by_name.get(_name_key(row["full_name"]), []):
            self.near_duplicates.append((row[ROW_COLUMN], row["full_name"], lookalike))
        return instance, True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
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
        if key in self.first_row and self.first_row[key] != number:
            self.duplicates[number] = self.first_row[key]
            return True  # the same person again: merged into the first row
        self.first_row[key] = number
        self.touched[key] = instance
        for field, batch in self.extra_columns:
            batch.collect(key, row.get(field) or "")
        if instance.phone:
            self.by_phone[instance.phone] = instance
        if instance.nik:
            self.by_nik[instance.nik] = instance
        if instance._state.adding:
            return False
        return not self._changed(instance)

    def _changed(self, instance):
        return self.stored.get(instance.pk) != tuple(getattr(instance, f) for f in IMPORTED_FIELDS)

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self.stored.setdefault(
                instance.pk, tuple(getattr(instance, f) for f in IMPORTED_FIELDS)
            )

    # -- after the rows -------------------------------------------------------

    def after_import(self, dataset, result, **kwargs):
        if not self.touched:
            return
        ids = list(self.touched)
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
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        self.enrolled_now = (
            Enrollment.objects.filter(
                program=self.program, participant_id__in=ids, created_at__gte=self.now
            ).count()
            if len(ids) < 5000
            else None
        )
        for _field, batch in self.extra_columns:
            batch.save()


def _name_key(name):
    return " ".join(str(name or "").lower().split())


def _normalize_nik_cell(value):
    if isinstance(value, NumberCell) and str(value).strip():
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
