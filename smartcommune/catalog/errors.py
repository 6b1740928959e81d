from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from smartcommune.core.errors import DomainError, InvalidInput


@dataclass(frozen=True)
class RowError:
    """One problem in an imported workbook, where a person can find it."""

    sheet: str
    row: int
    column: str
    message: str


class CatalogInvalid(DomainError):
    """The catalog data (an import or the official data) breaks a rule; nothing was changed."""

    code = "catalog_invalid"
    status = 400
    default_detail = _("The catalog data has errors; nothing was changed.")

    def __init__(self, errors: list[RowError], detail=None):
        self.errors = errors
        super().__init__(detail)


class CatalogFileUnreadable(InvalidInput):
    code = "catalog_file_unreadable"
    default_detail = _("The file is not an Excel workbook (.xlsx) that can be read.")


class UnknownExemption(InvalidInput):
    code = "unknown_exemption"
    default_detail = _("This procedure has no such fee exemption.")
