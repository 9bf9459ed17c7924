from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from jobs import registry
        from reports import jobs

        registry.register(jobs.ORGANIZATION_PDFS, jobs.organization_pdfs)
