from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed paper form")
    SPOKEN = "spoken", _("Spoken, witnessed by staff")
    ONLINE = "online", _("Online form")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrollmentSource(models.TextChoices):
    MANUAL = "manual", _("Entered by staff")
    IMPORT = "import", _("Spreadsheet import")
    WALK_IN = "walk_in", _("Walk-in")
    ONLINE = "online", _("Online registration")
