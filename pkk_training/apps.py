from django.apps import AppConfig


class PkkTrainingConfig(AppConfig):
    name = "pkk_training"
    verbose_name = "pkk-training"

    def ready(self):
        from pkk_training import checks  # noqa: F401  (registers the system checks)
