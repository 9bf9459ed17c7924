from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from participants import hooks
        from programs import hooks as program_hooks
        from surveys import offline, personal_data

        hooks.personal_data.append(personal_data.collect)
        hooks.participant_erasing.append(personal_data.erase)
        program_hooks.offline_pages.append(offline.offline_pages)
