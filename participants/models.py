import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participants.enums import ConsentMethod, EnrollmentSource, EnrollmentStatus
from participants.fields import EncryptedNikField
from pkk_training.crypto import nik_hash, nik_hashes


class ParticipantQuerySet(models.QuerySet):
    def with_nik(self, nik):
        """Participants holding `nik`, found through its keyed hash (under every
        configured key, so that nobody is missed before `rotate_nik_key` ran)."""
        return self.filter(nik_hash__in=nik_hashes(nik)) if nik else self.none()

    def update(self, **kwargs):
        if "nik" in kwargs and "nik_hash" not in kwargs:
            kwargs["nik_hash"] = nik_hash(kwargs["nik"])  # erasure's nik="" clears both
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.nik_hash = nik_hash(obj.nik)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, **kwargs):
        if "nik" in fields and "nik_hash" not in fields:
            for obj in objs:
                obj.nik_hash = nik_hash(obj.nik)
            fields = [*fields, "nik_hash"]
        return super().bulk_update(objs, fields, **kwargs)


class Participant(models.Model):
    """A person trained by an organization's programs.

    Personal data under UU PDP 27/2022: the organization is its controller, so
    a participant belongs to one organization and is de-duplicated within it
    by phone and by NIK. The primary key is a UUID so that addresses never
    reveal a count, a phone number or a NIK.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "programs.Organization",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("organization"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        blank=True,
        help_text=_("Stored in E.164, e.g. +6281234567890."),
    )
    # Encrypted at rest (pkk_training/crypto.py); nik_hash, the keyed hash of the
    # same NIK, is what finds her and keeps one NIK to one person.
    nik = EncryptedNikField(_("NIK"), blank=True)
    # NULL, not "", when there is no NIK: NULLs never collide in the unique constraint.
    nik_hash = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    dusun = models.CharField(_("hamlet (dusun)"), max_length=120, blank=True)
    rt = models.CharField(_("RT"), max_length=4, blank=True)
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    village = models.CharField(_("village (kampung/desa)"), max_length=120, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=16, choices=ConsentMethod.choices, blank=True
    )
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    # Set when her personal data was erased: the row stays so that counts and
    # past reports hold, with nothing left that names her.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        # No unique phone: a household shares one (issue #12). A NIK is one person's.
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "nik_hash"],
                condition=Q(nik_hash__isnull=False),
                name="unique_participant_nik_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(consent_method="", consent_at__isnull=True)
                | (~Q(consent_method="") & Q(consent_at__isnull=False)),
                name="participant_consent_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "full_name"]),
            models.Index(fields=["organization", "phone"], name="participant_org_phone"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.nik_hash = nik_hash(self.nik)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nik" in update_fields:
            kwargs["update_fields"] = {*update_fields, "nik_hash"}
        super().save(*args, **kwargs)

    @property
    def has_consent(self):
        return bool(self.consent_method and self.consent_at)

    @property
    def rt_rw(self):
        if self.rt or self.rw:
            return f"{self.rt or '-'}/{self.rw or '-'}"
        return ""


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        """Enrolments that count: not withdrawn. Rolls, funnels and reports start here."""
        return self.filter(status=EnrollmentStatus.ACTIVE)


class Enrollment(models.Model):
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("program"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=EnrollmentSource.choices,
        default=EnrollmentSource.MANUAL,
    )
    enrolled_on = models.DateField(_("enrolled on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["participant__full_name"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["program", "participant"], name="unique_enrollment")
        ]

    def __str__(self):
        return f"{self.participant} @ {self.program}"

    def get_absolute_url(self):
        return reverse(
            "participant_detail",
            kwargs={"program_slug": self.program.slug, "participant_id": self.participant_id},
        )


class EnrollmentDateChange(models.Model):
    """The audit trail of an enrolment's date: who moved it, when, from and to."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="date_changes"
    )
    old_date = models.DateField(_("old date"))
    new_date = models.DateField(_("new date"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("enrolment date change")
        verbose_name_plural = _("enrolment date changes")

    def __str__(self):
        return f"{self.enrollment}: {self.old_date} → {self.new_date}"


class ParticipantImport(models.Model):
    """Who imported which file into which program, when, and what came of it."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="imports",
        verbose_name=_("program"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    consent_method = models.CharField(
        _("how consent was collected"), max_length=16, choices=ConsentMethod.choices
    )
    consent_note = models.CharField(_("consent note"), max_length=255, blank=True)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    duplicates = models.PositiveIntegerField(_("repeated in the file"), default=0)
    skipped = models.PositiveIntegerField(_("invalid rows skipped"), default=0)
    # What undoing reverses: {"created": [participant ids], "enrolled": [participant
    # ids enrolled by this import], "changed": {participant id: [[field, before, after]]}}.
    undo = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")

    def __str__(self):
        return f"{self.file_name} → {self.program} ({self.imported_at:%Y-%m-%d %H:%M})"


class PendingImport(models.Model):
    """An uploaded spreadsheet between its preview and the confirmation.

    Deleted when the import is confirmed or cancelled, and after a day at most
    (it holds personal data that was not imported).
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    consent_method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    consent_note = models.CharField(max_length=255, blank=True)
    # The preview's invalid rows [(row, column, reason)], offered for download.
    invalid_rows = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField(default=0)  # read by the preview: a large file is a job
    # What the user chose in the preview: the sheet, {header key: field}, and
    # {row number: "same" | "different"} for each conflict.
    sheet = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    decisions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self):
        return self.file_name

    def import_arguments(self):
        """What participants_import needs of this upload, as the page and the job pass it."""
        return {
            "file_name": self.file_name,
            "content": bytes(self.content),
            "consent_method": self.consent_method,
            "consent_note": self.consent_note,
            "sheet": self.sheet,
            "mapping": self.mapping,
            "decisions": {int(k): v for k, v in self.decisions.items()},
        }


class ImportColumnMapping(models.Model):
    """A header an organization's lists use, and the field a user chose for it.

    Next time the same header maps itself, on every entry point.
    """

    organization = models.ForeignKey(
        "programs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    header = models.CharField(_("header"), max_length=120)  # as compared: lower-case letters
    field = models.CharField(_("field"), max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remembered import column")
        verbose_name_plural = _("remembered import columns")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "header"], name="unique_import_column_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.header} → {self.field}"
