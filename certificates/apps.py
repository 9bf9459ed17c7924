from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and cards")

    def ready(self):
        from certificates import jobs, selectors
        from jobs import registry
        from sessions import hooks as session_hooks

        registry.register(jobs.GENERATE, jobs.certificates_generate_job)
        session_hooks.roll_tools.append(
            session_hooks.RollTool("certificates/_scan_tool.html", selectors.scan_tool_context)
        )
