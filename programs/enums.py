from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")


class AuditAction(models.TextChoices):
    EXPORT = "export", _("Export")
    REPORT_ANNEX = "report_annex", _("Report with participant annex")
    DOWNLOAD = "download", _("Download")
    IMPORT = "import", _("Import")
    IMPORT_UNDO = "import_undo", _("Import undone")
    ERASURE = "erasure", _("Erasure")
    CORRECTION = "correction", _("Correction")
    NIK_CHECK = "nik_check", _("NIK check")
    PASSWORD_LINK = "password_link", _("New password link")
    ACCOUNT_UNLOCK = "account_unlock", _("Login unlocked")
