"""Shared API plumbing: UTF-8 JSON, the one error format, and the authentication classes."""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer

from .errors import DomainError


class ErrorOut(Schema):
    code: str
    detail: str


class Utf8JSONRenderer(BaseRenderer):
    """JSON without \\u escapes: Vietnamese text stays readable on the wire (and shorter)."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def _error(api, request, status: int, code: str, detail, **extra):
    return api.create_response(request, {"code": code, "detail": str(detail), **extra}, status=status)


def install_error_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return _error(api, request, exc.status, exc.code, exc.detail)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields = []
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "form")]
            fields.append({"field": ".".join(loc), "message": err.get("msg", "")})
        names = ", ".join(f["field"] for f in fields if f["field"]) or "-"
        return _error(
            api,
            request,
            400,
            "invalid_input",
            _("Some parameters are missing or malformed: %(fields)s") % {"fields": names},
            errors=fields,
        )

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc: DjangoValidationError):
        return _error(api, request, 400, "invalid_input", " ".join(exc.messages))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(api, request, 401, "not_authenticated", _("Sign in or send a valid API token."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {
            400: "bad_request",
            401: "not_authenticated",
            403: "permission_denied",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            429: "rate_limited",
        }
        return _error(api, request, exc.status_code, codes.get(exc.status_code, "error"), exc.message)
