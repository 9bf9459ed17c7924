import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys.enums import HeldReason, QuestionKind, ResponseChannel, SurveyKind


def new_public_token():
    return secrets.token_urlsafe(12)


class Survey(models.Model):
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Answers are not linked to participants; nobody is asked for a phone number."),
    )
    baseline = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pre-test to compare with"),
        help_text=_("For a post-test: the pre-test whose scores it is compared with."),
    )
    # The public link; random so that links cannot be guessed one after another.
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "survey_detail", kwargs={"program_slug": self.program.slug, "survey_id": self.pk}
        )

    def is_open(self, now=None):
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("type"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def is_scored(self):
        """Knowledge-test questions: those with at least one correct answer marked."""
        return any(c.is_correct for c in self.choices.all())


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField()
    label = models.CharField(_("option"), max_length=300)
    # For yes/no questions the two choices carry value "yes"/"no".
    value = models.CharField(max_length=8, blank=True)
    is_correct = models.BooleanField(_("correct answer"), default=False)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.label


class Response(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("participant"),
    )
    channel = models.CharField(
        max_length=16, choices=ResponseChannel.choices, verbose_name=_("channel")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Made by the form when it is shown: a double tap or a resubmission of the
    # same (anonymous) form is recognised instead of counted twice.
    submission_id = models.UUIDField(unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))

    class Meta:
        ordering = ["-submitted_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant"],
                condition=Q(participant__isnull=False),
                name="one_response_per_participant",
            )
        ]

    def __str__(self):
        return f"{self.survey}: {self.participant or _('anonymous')}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")
    number = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, verbose_name=_("number")
    )
    text = models.TextField(blank=True, verbose_name=_("text"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question}: {self.text or self.number or ''}"


class HeldResponse(models.Model):
    """A public-page submission kept aside for a facilitator to confirm or match.

    The shared link answers every phone alike, so that it tells nobody who is
    enrolled: answers from a phone the program does not know, or that would
    replace a response already given, wait here instead of being lost or
    silently overwriting someone's answers."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="held_responses", verbose_name=_("survey")
    )
    phone = models.CharField(_("phone number"), max_length=20)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=HeldReason.choices)
    # {question id: [choice ids] | "number" | "text"}: the form's cleaned answers.
    answers = models.JSONField()
    submitted_at = models.DateTimeField(default=timezone.now, verbose_name=_("submitted at"))

    class Meta:
        ordering = ["-submitted_at", "pk"]
        verbose_name = _("held response")
        verbose_name_plural = _("held responses")

    def __str__(self):
        return f"{self.survey} · {self.get_reason_display()}"
