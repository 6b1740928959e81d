"""Public catalog API: GET /api/v1/procedures/ (search, filters, pages) and /procedures/{code}.

No sign-in: the catalog is public (the citizen portal and the national-portal sync read it).
"""

from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from smartcommune.core.api import ErrorOut
from smartcommune.core.errors import InvalidInput

from . import selectors
from .choices import OnlineLevel, ProcedureLevel
from .schemas import ProcedureDetailOut, ProcedureOut

router = Router(tags=["catalog"])

_ERRORS = {400: ErrorOut, 404: ErrorOut}


class ProcedurePagination(PageNumberPagination):
    """Pages of 50 (at most 100), and a page number a database can take."""

    class Input(Schema):
        page: int = SchemaField(1, ge=1, le=100_000)
        page_size: int | None = SchemaField(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=100, **kwargs)


def _choice(value: str | None, choices, name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in choices.values:
        raise InvalidInput(
            _("%(name)s must be one of: %(choices)s.") % {"name": name, "choices": ", ".join(choices.values)}
        )
    return value


@router.get(
    "",
    response={200: list[ProcedureOut], **_ERRORS},
    auth=None,
    url_name="procedure_list",
    summary="Administrative procedures",
)
@paginate(ProcedurePagination)
def procedure_list(
    request,
    q: str = Query("", max_length=100),
    field: str | None = Query(None, max_length=50),
    level: str | None = None,
    online_level: str | None = None,
):
    """Procedures in force, by code. `q` searches names without regard to accents ("khai sinh",
    "chung thuc") or the start of the code; `field` is a field code (e.g. ho-tich)."""
    return selectors.procedure_list(
        q=q,
        field=field or None,
        level=_choice(level, ProcedureLevel, "level"),
        online_level=_choice(online_level, OnlineLevel, "online_level"),
    )


@router.get(
    "/{code}",
    response={200: ProcedureDetailOut, **_ERRORS},
    auth=None,
    url_name="procedure_detail",
    summary="One administrative procedure",
)
def procedure_detail(request, code: str):
    """A procedure by national code, with its components, fee rules, exemptions and time limit.
    Unknown codes answer 404."""
    return selectors.procedure_detail(code)
