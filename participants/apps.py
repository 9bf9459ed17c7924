from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from participants import offline
        from programs import hooks

        hooks.offline_pages.append(offline.offline_pages)

        from jobs import registry
        from participants import jobs

        registry.register(jobs.IMPORT, jobs.participants_import_job)
