from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.enums import Population, ReasonSource, SignatoryHeading, SuccessSource


class Indicator(models.Model):
    """One row of a program's success table (the seed's "Tabel 1").

    What counts as success, over whom (the denominator) and where the
    reasons for failure come from are all taken from the program's data.
    """

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("program"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_(
            "As the table should read, e.g. “Peserta yang sudah menginstal aplikasi TikTok”."
        ),
    )
    success_phrase = models.CharField(
        _("success phrase"),
        max_length=200,
        help_text=_(
            "Completes “90% (18 dari 20) …”, e.g. “peserta sudah menginstal aplikasi TikTok”."
        ),
    )
    failure_phrase = models.CharField(
        _("failure phrase"),
        max_length=200,
        default="belum",
        help_text=_("Completes “10% (2 dari 20) …”, e.g. “belum”."),
    )
    source = models.CharField(_("success is"), max_length=24, choices=SuccessSource.choices)
    question = models.ForeignKey(
        "surveys.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey question"),
    )
    success_choices = models.ManyToManyField(
        "surveys.Choice",
        blank=True,
        related_name="+",
        verbose_name=_("answers that count as success"),
    )
    templates = models.ManyToManyField(
        "checklists.ChecklistTemplate", blank=True, related_name="+", verbose_name=_("checklists")
    )
    step = models.ForeignKey(
        "checklists.ChecklistStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist step"),
    )
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    min_sessions = models.PositiveIntegerField(_("at least N sessions"), null=True, blank=True)
    population = models.CharField(
        _("measured over"), max_length=24, choices=Population.choices, default=Population.ENROLLED
    )
    population_session = models.ForeignKey(
        "training_sessions.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session attended"),
    )
    population_survey = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey answered"),
    )
    reason_source = models.CharField(
        _("reasons for failure from"),
        max_length=24,
        choices=ReasonSource.choices,
        default=ReasonSource.NONE,
    )
    reason_question = models.ForeignKey(
        "surveys.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up question"),
    )
    twin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measures the same as"),
        help_text=_(
            "Another indicator of this program that measures the same thing from another "
            "source, e.g. the signup checklist and the survey question “sudah membuat akun”. "
            "The report shows both side by side and states the difference."
        ),
    )

    class Meta:
        ordering = ["program", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.label


def _photo_path(photo, filename):
    return f"reports/{photo.program_id}/photos/{filename}"


def _logo_path(settings, filename):
    return f"reports/{settings.program_id}/logo/{filename}"


class ReportSettings(models.Model):
    """What a signed laporan carries besides the data: letterhead, place and
    date, conclusions and recommendations. One per program."""

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="report_settings",
        verbose_name=_("program"),
    )
    letterhead_name = models.CharField(
        _("letterhead: organization"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Universitas Islam Negeri Raden Intan Lampung”."),
    )
    letterhead_lines = models.TextField(
        _("letterhead: lines below it"),
        blank=True,
        max_length=600,
        help_text=_("Unit, address, telephone: one per line."),
    )
    logo = models.FileField(
        _("letterhead: logo"),
        upload_to=_logo_path,
        max_length=200,
        blank=True,
        help_text=_("JPEG or PNG; printed at the top of page 1."),
    )
    place = models.CharField(
        _("place"),
        max_length=100,
        blank=True,
        help_text=_("Printed before the date, e.g. “Jaya Tinggi”."),
    )
    report_date = models.DateField(
        _("report date"), null=True, blank=True, help_text=_("Empty: the day it is printed.")
    )
    conclusions = models.TextField(_("conclusions"), blank=True, max_length=5000)
    recommendations = models.TextField(_("recommendations"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self):
        return str(self.program)

    @property
    def letterhead_line_list(self):
        return [line.strip() for line in self.letterhead_lines.splitlines() if line.strip()]


class Signatory(models.Model):
    """A person who signs the report, in the order the signatures are printed."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="report_signatories",
        verbose_name=_("program"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(
        _("above the signature"),
        max_length=16,
        choices=SignatoryHeading.choices,
        blank=True,
        default=SignatoryHeading.NONE,
    )
    role = models.CharField(
        _("role"), max_length=200, help_text=_("e.g. “Kepala Kampung Jaya Tinggi”, “DPL”.")
    )
    name = models.CharField(_("name"), max_length=200)
    nip = models.CharField(
        _("NIP"), max_length=21, blank=True, help_text=_("Civil servant number, if any: 18 digits.")
    )

    class Meta:
        ordering = ["program", "position", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.role}: {self.name}"

    def get_heading_display_short(self):
        """The word as printed above a signature: always Indonesian, as on the form."""
        return self.heading.capitalize()


class ReportVersion(models.Model):
    """An issued report: the PDF as handed in, never recomputed.

    Later data changes do not touch it; its SHA-256 lets anyone check that a
    printed or mailed copy is the one issued.
    """

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="report_versions",
        verbose_name=_("program"),
    )
    number = models.PositiveIntegerField(_("version"))
    as_of = models.DateField(_("data as of"))
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

    class Meta:
        ordering = ["program", "-number"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_report_version")
        ]

    def __str__(self):
        return f"{self.program} v{self.number}"

    @property
    def issuer_name(self):
        if self.issued_by is None:
            return "—"
        return self.issued_by.get_full_name() or self.issued_by.username


class ReportPhoto(models.Model):
    """A documentation photo printed in the report, resized and without EXIF."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="report_photos",
        verbose_name=_("program"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    image = models.FileField(_("photo"), upload_to=_photo_path, max_length=200)
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “Pelatihan di balai kampung, 5 Agustus 2023”."),
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "position", "pk"]
        verbose_name = _("documentation photo")
        verbose_name_plural = _("documentation photos")

    def __str__(self):
        return self.caption or self.image.name
