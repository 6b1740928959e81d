"""Domain errors: every business rule that refuses raises one of these, with a stable `code`.

Views turn them into messages, the API into `{"code", "detail"}` with `status`.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_detail = _("The request cannot be carried out.")

    def __init__(self, detail=None, *, code: str | None = None):
        self.detail = detail if detail is not None else self.default_detail
        if code:
            self.code = code
        super().__init__(str(self.detail))


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_detail = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_detail = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_detail = _("Someone else changed this record first. Reload and try again.")


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400
    default_detail = _("The input is not valid.")
