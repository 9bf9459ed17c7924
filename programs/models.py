from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.enums import AuditAction, MembershipRole, ProgramStatus


class Organization(models.Model):
    """Who runs programs: a university's community-service office, an NGO, a PKK branch."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep participants' data for (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Months after the end of a participant's last finished program; then "
            "purge_personal_data anonymises her. Empty: keep until erased by hand."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [
            ("administer_all", _("Administer every organization (app admin, sees whole NIKs)")),
        ]

    def __str__(self):
        return self.name


class OrganizationMembership(models.Model):
    """An organization coordinator sees and manages every program of the organization."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_memberships",
        verbose_name=_("user"),
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
    # Kemendagri codes (programs.regions); the names above are kept as typed
    # for programs made before the codes, and follow the codes afterwards.
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    regency_code = models.CharField(
        _("regency code"), max_length=5, blank=True, db_index=True, help_text="18.08"
    )
    district_code = models.CharField(
        _("district code"), max_length=8, blank=True, db_index=True, help_text="18.08.02"
    )
    village_code = models.CharField(
        _("village code"), max_length=13, blank=True, help_text="18.08.02.2013"
    )
    location_unmatched = models.BooleanField(
        _("location to check"),
        default=False,
        help_text=_(
            "The typed place names did not match one official region each: "
            "choose the location again on the program form."
        ),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moves whenever the report's photos or signatories change: the key of their
    # cached lists (reports.selectors.report_parts_read), so every write to them must
    # move it (reports.services.report_parts_changed).
    report_changed_at = models.DateTimeField(default=timezone.now, editable=False)

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
        district = self.district
        if self.district_code and district:
            district = f"Kec. {district}"
        return ", ".join(p for p in (self.village, district, self.regency, self.province) if p)


class Membership(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("program")
    )
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


class AuditEvent(models.Model):
    """Who touched personal data, when, what and for how many people (UU PDP 27/2022)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_events"
    )
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    detail = models.CharField(_("what"), max_length=200, blank=True)
    people = models.PositiveIntegerField(_("people"), default=0)
    # The one participant the event is about (Data saya, an erasure, a
    # correction); a UUID, not a key: programs sits below participants.
    subject = models.UUIDField(_("about participant"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data accesses")

    def __str__(self):
        return f"{self.get_action_display()} · {self.detail}"
