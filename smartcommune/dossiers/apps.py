from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "smartcommune.dossiers"
    label = "dossiers"
    verbose_name = _("One-stop shop dossiers")

    def ready(self):
        # Subscribes to signing.signals.signing_job_finished: a signed e-result joins its dossier.
        from .services import result_signing  # noqa: F401
