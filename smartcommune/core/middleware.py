import re
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from . import context

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45] or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give every request an id (kept from a trusted proxy's X-Request-ID when well-formed) and
    expose it and the client IP to services, the audit log and log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = context.set_current(context.RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Vietnamese unless the person chose English with the language switch.

    Browsers' Accept-Language is ignored for pages: many phones in Vietnam ship with an English
    system language that their owners never chose. API clients still get it honoured.
    """

    def process_request(self, request):
        if request.path.startswith("/api/") or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None
