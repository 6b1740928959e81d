from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "smartcommune.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalog")

    def ready(self):
        from . import caching, models

        caching.connect_signals(
            [
                models.Field,
                models.Procedure,
                models.Component,
                models.FeeRule,
                models.FeeExemption,
                models.ProcessTemplate,
                models.ProcessStep,
            ]
        )
