"""The rows of the dossier lists, prepared in Python: every list page shows 50 of them, and doing the
per-row work once here (labels translated once a page, dates formatted directly, addresses built
from one reversed pattern) costs a fraction of doing it in the template for each cell."""

from dataclasses import dataclass

from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


# The columns list_rows reads: a list page loads only these (a procedure row alone has ~30 columns).
LIST_COLUMNS = (
    "code",
    "applicant_name",
    "status",
    "received_at",
    "due_at",
    "processed_at",  # with the next two: finished_at, for the due state
    "returned_at",
    "stopped_at",
    "procedure__name",
    "org_unit__path",
    "org_unit__depth",
    "current_assignee__full_name",
)


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


def clock_datetime(value) -> str:
    """hh:mm dd/mm/yyyy in local time, as the dossier page prints moments."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def list_rows(dossiers) -> list[ListRow]:
    """Rows for dossiers that carry `due_state` (selectors.with_due_states), with `procedure` and
    `current_assignee` loaded."""
    detail_url = reverse("dossiers:detail", kwargs={"code": _CODE_SLOT})
    statuses = {value: str(label) for value, label in DossierStatus.choices}
    due_labels = {value: str(label) for value, label in DueState.choices}
    print_label = _("Print the receipt of %(code)s")
    tz = timezone.get_current_timezone()
    return [
        ListRow(
            code=d.code,
            url=detail_url.replace(_CODE_SLOT, d.code),
            procedure=d.procedure.name,
            applicant=d.applicant_name,
            status=statuses.get(d.status, str(d.status)),
            received=short_datetime(d.received_at, tz),
            due=short_datetime(d.due_at, tz),
            due_state=d.due_state,
            due_label=due_labels[d.due_state],
            due_badge=DUE_BADGES.get(d.due_state, "text-bg-light"),
            assignee=d.current_assignee.full_name if d.current_assignee else "",
            print_label=print_label % {"code": d.code},
        )
        for d in dossiers
    ]


def rendered_rows(rows: list[ListRow], *, can_receive: bool) -> SafeString:
    """The <tr>s of a list page, from the Jinja2 fragment dossiers/list_rows.html (escaping on)."""
    labels = {
        "code": _("Code"),
        "procedure": _("Procedure"),
        "applicant": _("Applicant"),
        "status": _("Status"),
        "received": pgettext("when", "Received"),
        "due": _("Due"),
        "with": _("With"),
        "print": _("Print the receipt"),
    }
    template = engines["jinja2"].get_template("dossiers/list_rows.html")
    return SafeString(template.render({"rows": rows, "can_receive": can_receive, "labels": labels}))
