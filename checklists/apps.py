from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from checklists import participant_hooks

        participant_hooks.register()

        from checklists import offline
        from programs import hooks

        hooks.offline_pages.append(offline.offline_pages)
