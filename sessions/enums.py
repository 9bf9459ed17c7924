from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionPhase(models.TextChoices):
    """The phases of the seed report's method, in the order they happen."""

    SURVEY = "survey", _("Survey")
    SOCIALISATION = "socialisation", _("Socialisation")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    EVALUATION = "evaluation", _("Evaluation")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Came to the session, on time or not: what attendance rates count.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
