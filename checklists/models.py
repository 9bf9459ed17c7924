from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checklists.enums import ContactChannel, StepState


class TemplateManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class ChecklistTemplate(models.Model):
    """Ordered signup steps, e.g. "Daftar sebagai Kreator".

    A template without an organization is shared with everyone (the seed's
    templates, shipped in fixtures/); others belong to one organization.
    """

    organization = models.ForeignKey(
        "programs.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checklist_templates",
        verbose_name=_("organization"),
    )
    code = models.SlugField(
        _("code"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable key of a template shipped as data."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    archived = models.BooleanField(_("archived"), default=False)
    position = models.PositiveSmallIntegerField(
        _("order"),
        default=100,
        help_text=_(
            "Checklists with a smaller number are shown first: give prerequisites the smallest."
        ),
    )
    # Moves whenever the steps or the blocker reasons change: the key of their
    # cached lists (checklists.selectors), so every write to them must move it
    # (services.template_changed; a data migration changing them too).
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateManager()

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("template_detail", kwargs={"template_id": self.pk})

    def natural_key(self):
        return (self.code,)


class StepManager(models.Manager):
    def get_by_natural_key(self, template_code, key):
        return self.get(template__code=template_code, key=key)


class ChecklistStep(models.Model):
    """One step. Once someone has progress on it, it is never changed in place:
    an edit archives it and adds its replacement, so what participants did
    keeps pointing at the step as it was."""

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("template"),
    )
    key = models.SlugField(max_length=80, blank=True, help_text=_("Stable key in fixtures."))
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    how_to = models.TextField(_("how to do it"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    archived_at = models.DateTimeField(null=True, blank=True, verbose_name=_("archived at"))

    objects = StepManager()

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"], condition=~Q(key=""), name="unique_step_key"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def natural_key(self):
        return (self.template.code, self.key)

    natural_key.dependencies = ["checklists.checklisttemplate"]


class ReasonManager(models.Manager):
    def get_by_natural_key(self, template_code, code):
        return self.get(template__code=template_code, code=code)


class BlockerReason(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="blocker_reasons",
        verbose_name=_("template"),
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    needs_note = models.BooleanField(_("needs a note"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    archived = models.BooleanField(_("archived"), default=False)

    objects = ReasonManager()

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("blocker reason")
        verbose_name_plural = _("blocker reasons")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="unique_reason_code")
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.template.code, self.code)

    natural_key.dependencies = ["checklists.checklisttemplate"]


class Track(models.Model):
    """An enrolled participant following one template."""

    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.CASCADE,
        related_name="tracks",
        verbose_name=_("enrollment"),
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        related_name="tracks",
        verbose_name=_("checklist"),
    )
    assigned_at = models.DateTimeField(auto_now_add=True, verbose_name=_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["template__position", "template__name", "pk"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "template"], name="unique_track")
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.template}"


class StepProgress(models.Model):
    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="progress", verbose_name=_("track")
    )
    step = models.ForeignKey(
        ChecklistStep, on_delete=models.PROTECT, related_name="progress", verbose_name=_("step")
    )
    state = models.CharField(_("state"), max_length=16, choices=StepState.choices)
    reason = models.ForeignKey(
        BlockerReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    # Optimistic concurrency: a mark names the version it was made on; one
    # made on an older version (a replayed request) never reverts a newer state.
    version = models.PositiveIntegerField(default=1)
    last_mark_id = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("step progress")
        verbose_name_plural = _("step progress")
        constraints = [
            models.UniqueConstraint(fields=["track", "step"], name="unique_step_progress"),
            models.CheckConstraint(
                condition=Q(state=StepState.BLOCKED, reason__isnull=False)
                | (~Q(state=StepState.BLOCKED) & Q(reason__isnull=True)),
                name="blocked_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.track}: {self.step} = {self.state}"


class ProgressEvent(models.Model):
    """The change history of every step of every track."""

    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="events", verbose_name=_("track")
    )
    step = models.ForeignKey(
        ChecklistStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("step")
    )
    state = models.CharField(_("state"), max_length=16, choices=StepState.choices)
    reason = models.ForeignKey(
        BlockerReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(verbose_name=_("at"))
    mark_id = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("progress change")
        verbose_name_plural = _("progress changes")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.step}: {self.state}"


class MentoringContact(models.Model):
    """A follow-up after the training (the seed's "pendampingan")."""

    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.CASCADE,
        related_name="mentoring_contacts",
        verbose_name=_("enrollment"),
    )
    step = models.ForeignKey(
        ChecklistStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about step"),
    )
    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, null=True, blank=True, related_name="mentoring_contacts"
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    action = models.TextField(_("what was done"))
    resolved = models.BooleanField(_("resolved"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("mentoring contact")
        verbose_name_plural = _("mentoring contacts")

    def __str__(self):
        return f"{self.date} {self.get_channel_display()}: {self.enrollment}"
