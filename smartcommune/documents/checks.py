from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Info, register


@register(deploy=True)
def public_base_url_check(app_configs, **kwargs):
    """QR codes on issued PDFs point at SMARTCOMMUNE_PUBLIC_BASE_URL: printed paper cannot be fixed
    afterwards, so say so when production still uses the development address."""
    url = urlsplit(settings.SMARTCOMMUNE["PUBLIC_BASE_URL"])
    if url.scheme != "https" or url.hostname in {"127.0.0.1", "localhost", None}:
        return [
            Info(
                "SMARTCOMMUNE_PUBLIC_BASE_URL is not a public https address; the QR codes of issued "
                "documents will point at it.",
                hint="Set SMARTCOMMUNE_PUBLIC_BASE_URL, e.g. https://smartcommune.dienbien.gov.vn",
                id="documents.I001",
            )
        ]
    return []
