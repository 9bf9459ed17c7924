from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    PRE_TEST = "pre_test", _("Pre-test")
    POST_TEST = "post_test", _("Post-test")
    EVALUATION = "evaluation", _("Evaluation / feedback")


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale 1–5")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class ResponseChannel(models.TextChoices):
    SELF = "self", _("Answered by the participant")
    ASSISTED = "assisted", _("Entered by a facilitator")


class HeldReason(models.TextChoices):
    UNKNOWN_PHONE = "unknown_phone", _("Phone not enrolled in the program")
    WOULD_REPLACE = "would_replace", _("Would replace an earlier response")
    SHARED_PHONE = "shared_phone", _("Phone shared by several participants")
