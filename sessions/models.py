from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sessions.enums import AttendanceStatus, MembershipRole, ProgramStatus, SessionPhase


class Organization(models.Model):
    """Who runs programs: a university's community-service office, an NGO, a PKK branch."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class OrganizationMembership(models.Model):
    """An organization coordinator sees and manages every program of the organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization coordinator")
        verbose_name_plural = _("organization coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="unique_organization_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


class Program(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short address"),
        max_length=80,
        unique=True,
        help_text=_("Lowercase letters, digits and dashes; used in the page address."),
    )
    description = models.TextField(_("description"), blank=True)
    village = models.CharField(_("village (kampung/desa)"), max_length=120)
    district = models.CharField(_("district (kecamatan)"), max_length=120)
    regency = models.CharField(_("regency/city (kabupaten/kota)"), max_length=120)
    province = models.CharField(_("province"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="program_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]
        indexes = [models.Index(fields=["province", "regency", "district"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("program_detail", kwargs={"program_slug": self.slug})

    @property
    def location(self):
        return ", ".join(p for p in (self.village, self.district, self.regency, self.province) if p)


class Membership(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="program_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program member")
        verbose_name_plural = _("program members")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="unique_program_membership")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) @ {self.program}"


class TrainingSession(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    phase = models.CharField(_("phase"), max_length=16, choices=SessionPhase.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitators"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="session_end_after_start",
                violation_error_message=_("The end time must be after the start time."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse(
            "session_detail", kwargs={"program_slug": self.program.slug, "session_id": self.pk}
        )


class Attendance(models.Model):
    """A participant's current status for one session; no row means not marked."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"))
    mark_id = models.UUIDField(_("last mark"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="unique_attendance_per_session"
            )
        ]

    def __str__(self):
        return f"{self.participant} @ {self.session}: {self.get_status_display()}"


class AttendanceEvent(models.Model):
    """The audit trail: every mark, change and clearing, with who and when."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance_events"
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AttendanceStatus.choices,
        blank=True,
        help_text=_("Empty when the mark was cleared."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    # Generated by the phone for each tap; a resent request carries the same
    # id and is recognised instead of being applied twice.
    mark_id = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        indexes = [models.Index(fields=["session", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.participant}: {self.status or '—'}"
