from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingSessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is taken by django.contrib.sessions.
    label = "training_sessions"
    verbose_name = _("Training sessions")

    def ready(self):
        from participants import hooks as participant_hooks
        from programs import hooks as program_hooks
        from sessions import offline, personal_data, selectors, services

        program_hooks.membership_removing.append(services.facilitators_unassign)
        program_hooks.offline_pages.append(offline.offline_pages)
        participant_hooks.personal_data.append(personal_data.collect)
        participant_hooks.participant_sections.append(
            participant_hooks.PageSection(
                20,
                "sessions/_participant_section.html",
                lambda request, enrollment: {
                    "sessions": selectors.participant_sessions(enrollment)
                },
            )
        )
