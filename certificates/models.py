from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certificates.codes import card_code_display

DEFAULT_NUMBER_FORMAT = "{nomor}/{kode}/{bulan}/{tahun}"


class Card(models.Model):
    """A participant card: its code names the enrolment, never the person's phone or NIK."""

    enrollment = models.OneToOneField(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="card"
    )
    code = models.CharField(_("card code"), max_length=8, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant card")
        verbose_name_plural = _("participant cards")

    def __str__(self):
        return self.display_code

    @property
    def display_code(self):
        return card_code_display(self.code)


class CertificateSettings(models.Model):
    """A program's eligibility rule and how its certificates are numbered and worded."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="certificate_settings"
    )
    min_sessions = models.PositiveIntegerField(
        _("attended at least N sessions"), null=True, blank=True
    )
    checklist = models.ForeignKey(
        "checklists.ChecklistTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist completed"),
    )
    post_test = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post-test"),
    )
    min_score = models.PositiveSmallIntegerField(
        _("post-test score at least (0–100)"), null=True, blank=True
    )
    number_format = models.CharField(
        _("number format"),
        max_length=100,
        default=DEFAULT_NUMBER_FORMAT,
        help_text=_(
            "{nomor} the running number (001), {kode} the code below, {bulan} the month in "
            "Roman numerals, {tahun} the year: e.g. 001/KKN-23/VIII/2023."
        ),
    )
    program_code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=100, default="SERTIFIKAT")
    statement = models.CharField(
        _("statement"),
        max_length=300,
        default="telah mengikuti dan menyelesaikan",
        help_text=_("Printed between the name and the program."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")

    def __str__(self):
        return str(self.program)


class Certificate(models.Model):
    """An issued certificate: the PDF as handed out, with its SHA-256 for checking copies."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="certificates"
    )
    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="certificates"
    )
    name = models.CharField(_("name as printed"), max_length=200)
    sequence = models.PositiveIntegerField(_("running number"))
    number = models.CharField(_("number"), max_length=120)
    code = models.CharField(_("verification code"), max_length=12, unique=True)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["program", "sequence"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "sequence"], name="unique_certificate_sequence"
            ),
            # One valid certificate per enrolment; a revoked one may be replaced.
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_enrollment",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def revoked(self):
        return self.revoked_at is not None

    def get_verification_path(self):
        return reverse("certificate_verify", kwargs={"code": self.code})
