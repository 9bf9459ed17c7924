from django.db import models
from django.utils.translation import gettext_lazy as _


class StepState(models.TextChoices):
    """A participant's state at one step; no row at all means not started."""

    NOT_STARTED = "not_started", _("Not started")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# A required step in one of these states no longer stands between the
# participant and a complete checklist.
SATISFIED = (StepState.DONE, StepState.NOT_APPLICABLE)


class ContactChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    VISIT = "visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("At a session")


# Sensible defaults for a new template (the seed's obstacles and a few more).
DEFAULT_BLOCKER_REASONS = [
    ("documents", _("Required documents (KTP) failed to upload or were rejected"), False),
    ("followers", _("Follower minimum not met"), False),
    ("no_bank_account", _("No bank account"), False),
    ("waiting_approval", _("Waiting for the seller's approval"), False),
    ("storage_full", _("Phone storage full"), False),
    ("no_signal", _("No signal or data"), False),
    ("password_otp", _("Forgotten password / OTP not received"), False),
    ("other", _("Other (write a note)"), True),
]
