from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What an issued PDF is. Add a member (and a migration) for each new kind of document."""

    RECEIPT = "receipt", _("Receipt and appointment slip")
    SUPPLEMENT_REQUEST = "supplement_request", _("Request to complete the dossier")
    REFUSAL = "refusal", _("Refusal to receive the dossier")
    APOLOGY = "apology", _("Apology and new appointment")
    CONTROL_SLIP = "control_slip", _("Dossier processing control slip")
    LEDGER = "ledger", _("Dossier ledger")
    RESULT = "result", _("Result of the procedure")
    OUTGOING = "outgoing", _("Outgoing document")
