from django.utils.translation import gettext_lazy as _

from smartcommune.core.errors import Conflict


class DocumentAlreadySuperseded(Conflict):
    code = "document_already_superseded"
    default_detail = _("This document has already been replaced by a newer one.")
