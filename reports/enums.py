from django.db import models
from django.utils.translation import gettext_lazy as _


class SuccessSource(models.TextChoices):
    SURVEY_ANSWER = "survey_answer", _("A survey answer")
    CHECKLIST_COMPLETE = "checklist_complete", _("A checklist completed (any of those chosen)")
    CHECKLIST_STEP = "checklist_step", _("A checklist step done")
    ATTENDED_SESSION = "attended_session", _("Attended a session")
    ATTENDED_MIN = "attended_min", _("Attended at least N sessions")


class Population(models.TextChoices):
    ENROLLED = "enrolled", _("Everyone enrolled")
    ATTENDED_SESSION = "attended_session", _("Those who attended a session")
    ANSWERED_SURVEY = "answered_survey", _("Those who answered a survey")


class ReasonSource(models.TextChoices):
    NONE = "none", _("No reasons")
    CHECKLIST = "checklist", _("Checklist blocker reasons")
    SURVEY_QUESTION = "survey_question", _("Answers to a follow-up survey question")


# Below this many people a percentage is flagged as resting on few people.
SMALL_N = 10


class SignatoryHeading(models.TextChoices):
    """The word above a signature in an Indonesian laporan."""

    NONE = "", _("(none)")
    ACKNOWLEDGED = "mengetahui", _("Acknowledged by (Mengetahui)")
    APPROVED = "menyetujui", _("Approved by (Menyetujui)")
