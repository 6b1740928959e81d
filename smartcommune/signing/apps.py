import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "smartcommune.signing"
    label = "signing"
    verbose_name = _("Digital signatures")

    def ready(self):
        # pyHanko logs every validation step at INFO/WARNING (e.g. "no revocation info"): the report
        # says what matters.
        for name in ("pyhanko", "pyhanko_certvalidator"):
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:
                logger.setLevel(logging.ERROR)
