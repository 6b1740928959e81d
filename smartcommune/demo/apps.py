from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province: sits above every app, because the demo touches them all."""

    name = "smartcommune.demo"
    label = "demo"
    verbose_name = _("Demo data")
