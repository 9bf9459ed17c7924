from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingSessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is taken by django.contrib.sessions.
    label = "training_sessions"
    verbose_name = _("Training sessions")

    def ready(self):
        from programs import hooks
        from sessions import services

        hooks.membership_removing.append(services.facilitators_unassign)
