"""The rows of the dossier lists, prepared in Python: every list page shows 50 of them, and doing the
per-row work once here (labels translated once a page, dates formatted directly, addresses built
from one reversed pattern) costs a fraction of doing it in the template for each cell."""

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from smartcommune.directory.models import OrgUnit

from . import deadlines
from .choices import DossierStatus, DueState

# Badge colours of the due states: green in time, amber soon, red late, grey paused.
DUE_BADGES = {
    DueState.IN_TIME: "text-bg-success",
    DueState.DUE_SOON: "text-bg-warning",
    DueState.OVERDUE: "text-bg-danger",
    DueState.PAUSED: "text-bg-secondary",
    DueState.EARLY: "text-bg-success",
    DueState.ON_TIME: "text-bg-primary",
    DueState.LATE: "text-bg-danger",
}
_CODE_SLOT = "CODE"  # stands for the dossier code in the reversed detail address


# What a list row shows, read as values (`queryset.values_list(*LIST_VALUES)`): no model objects for
# 50 rows, and not the ~30 columns of a procedure. list_rows unpacks them in this order.
LIST_VALUES = (
    "code",
    "applicant_name",
    "status",
    "received_at",
    "due_at",
    "processed_at",  # with the next two: finished_at, for the due state
    "returned_at",
    "stopped_at",
    "procedure__name",
    "org_unit_id",  # with the next two: the unit's province calendar
    "org_unit__path",
    "org_unit__depth",
    "current_assignee__full_name",
)
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ListRow:
    code: str
    url: str
    procedure: str
    applicant: str
    status: str
    received: str
    due: str
    due_state: str
    due_label: str
    due_badge: str
    assignee: str
    print_label: str


def short_datetime(value, tz=None) -> str:
    """dd/mm/yyyy hh:mm in local time (`tz`, default the current one), as the lists print it."""
    return value.astimezone(tz or timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M") if value else ""


def list_rows(values, *, now: datetime | None = None) -> list[ListRow]:
    """Rows from `LIST_VALUES` tuples, with each dossier's due state from its province calendar."""
    now = now or timezone.now()
    detail_url = reverse("dossiers:detail", kwargs={"code": _CODE_SLOT})
    statuses = {value: str(label) for value, label in DossierStatus.choices}
    due_labels = {value: str(label) for value, label in DueState.choices}
    print_label = _("Print the receipt of %(code)s")
    tz = timezone.get_current_timezone()
    rules_by_unit = {}
    rows = []
    for (
        code,
        applicant,
        status,
        received_at,
        due_at,
        processed_at,
        returned_at,
        stopped_at,
        procedure,
        unit_id,
        unit_path,
        unit_depth,
        assignee,
    ) in values:
        if unit_id not in rules_by_unit:
            rules_by_unit[unit_id] = deadlines.rules_for(
                OrgUnit(pk=unit_id, path=unit_path, depth=unit_depth)
            )
        finished_at = processed_at or returned_at or stopped_at  # as Dossier.finished_at
        state = deadlines.due_state(
            rules_by_unit[unit_id], status=status, due_at=due_at, finished_at=finished_at, now=now
        )
        rows.append(
            ListRow(
                code=code,
                url=detail_url.replace(_CODE_SLOT, code),
                procedure=procedure,
                applicant=applicant,
                status=statuses.get(status, str(status)),
                received=short_datetime(received_at, tz),
                due=short_datetime(due_at, tz),
                due_state=state,
                due_label=due_labels[state],
                due_badge=DUE_BADGES.get(state, "text-bg-light"),
                assignee=assignee or "",
                print_label=print_label % {"code": code},
            )
        )
    return rows


def row_labels() -> SimpleNamespace:
    """The column names of the list, also each cell's label on phones (table-stack). A namespace:
    templates read `labels.code` without Jinja2 first trying it as an attribute of a dict."""
    return SimpleNamespace(
        code=_("Code"),
        procedure=_("Procedure"),
        applicant=_("Applicant"),
        status=_("Status"),
        received=pgettext("when", "Received"),
        due=_("Due"),
        assignee=_("With"),
        print=_("Print the receipt"),
    )
