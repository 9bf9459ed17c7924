from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from participants import offline
        from programs import hooks

        hooks.offline_pages.append(offline.offline_pages)
