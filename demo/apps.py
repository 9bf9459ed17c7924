from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The seed report's program as demo data: may import every app; nothing imports it."""

    name = "demo"
    verbose_name = _("Demo")
