import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "smartcommune.documents"
    label = "documents"
    verbose_name = _("Issued documents")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks

        # WeasyPrint logs a dozen INFO lines per document: keep them out unless LOGGING asks for them.
        for name in ("weasyprint.progress", "fontTools"):
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:
                logger.setLevel(logging.WARNING)
