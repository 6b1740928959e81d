"""Reads of dossiers shaped for the screens: worklists, the unit's list with filters, the detail."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from smartcommune.catalog.models import Procedure
from smartcommune.catalog.selectors import procedure_detail, procedure_list, process_for
from smartcommune.core.errors import NotFound
from smartcommune.core.queries import PreparedRead, set_prefetched
from smartcommune.core.text import fold
from smartcommune.directory import permissions as perms
from smartcommune.directory.models import OrgUnit, User
from smartcommune.directory.policies import grant_scopes, has_perm, unit_scope_q

from . import deadlines
from .choices import OPEN_STATUSES, DossierStatus, DueState, EventKind
from .listing import LIST_VALUES, PAGE_SIZE
from .models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFile,
    DossierStep,
    Feedback,
    FeeLine,
    Payment,
    Rating,
    ReceptionNotice,
    SupplementRequest,
)
from .policies import dossier_qs_for, may_view

_LIST_RELATED = ("procedure", "org_unit", "current_assignee")


@dataclass
class DossierFilters:
    q: str = ""
    procedure_id: int | None = None
    status: int | None = None
    channel: int | None = None
    due_state: str = ""
    received_from: date | None = None
    received_to: date | None = None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def dossier_list(*, user, filters: DossierFilters, now: datetime | None = None) -> QuerySet[Dossier]:
    """The unit's dossiers the user may see, filtered; search by code, name (accent-insensitive) or
    identification number."""
    now = now or timezone.now()
    qs = dossier_qs_for(user=user).select_related(*_LIST_RELATED)
    q = (filters.q or "").strip()
    if q:
        if q.isdigit() and len(q) in (10, 12):
            qs = qs.filter(applicant_id_number=q)
        elif "-" in q and any(ch.isdigit() for ch in q):
            qs = qs.filter(code__icontains=q.upper())
        else:
            qs = qs.filter(applicant_name_folded__contains=fold(q))
    if filters.procedure_id:
        qs = qs.filter(procedure_id=filters.procedure_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.received_from:
        qs = qs.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to:
        qs = qs.filter(received_at__lt=_local_midnight(filters.received_to + timedelta(days=1)))
    if filters.due_state == DueState.OVERDUE:
        qs = qs.overdue(now)
    elif filters.due_state == DueState.PAUSED:
        qs = qs.filter(status=DossierStatus.SUPPLEMENT_REQUESTED)
    elif filters.due_state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("-received_at", "-pk")


def my_worklist(*, user) -> QuerySet[Dossier]:
    """The dossiers waiting for this official, due soonest first."""
    return _waiting_for(user.pk).select_related(*_LIST_RELATED)


def _waiting_for(user_id) -> QuerySet[Dossier]:
    return Dossier.objects.filter(current_assignee_id=user_id, status__in=OPEN_STATUSES).order_by(
        "due_at", "pk"
    )


# The worklist is every official's first page: its first rows are read with SQL compiled once.
_WORKLIST_FIRST_PAGE = PreparedRead(
    lambda user_id: _waiting_for(user_id).values_list(*LIST_VALUES)[: PAGE_SIZE + 1]
)


def my_worklist_first_page(*, user) -> list[tuple]:
    """The first `PAGE_SIZE + 1` rows of `my_worklist` as `LIST_VALUES` (one more: is there a next page?)."""
    return _WORKLIST_FIRST_PAGE.rows(user.pk)


def with_due_states(dossiers, *, now: datetime | None = None) -> list[Dossier]:
    """Attach `due_state` to each dossier of a page (calendar rules are cached per province)."""
    now = now or timezone.now()
    rows = list(dossiers)
    rules_by_unit = {}
    for d in rows:
        if d.org_unit_id not in rules_by_unit:
            rules_by_unit[d.org_unit_id] = deadlines.rules_for(d.org_unit)
        d.due_state = deadlines.due_state(
            rules_by_unit[d.org_unit_id], status=d.status, due_at=d.due_at, finished_at=d.finished_at, now=now
        )
    return rows


# With its current step: the actions on offer start from it (step_moves).
_BY_CODE = PreparedRead(
    lambda code: Dossier.objects.filter(code=code).select_related("org_unit", "procedure", "current_step")
)


def dossier_for_page(*, user, code: str) -> Dossier:
    """The dossier with its procedure, unit and current step (404 when missing or out of scope).

    One read with SQL compiled once (core.queries). The scope is checked on the loaded row with the
    request's grants (policies.may_view): the same rule as `dossier_qs_for` without building its
    sub-query, which cost more than the read."""
    found = _BY_CODE(code)
    if not found or not may_view(user, found[0]):
        raise Http404
    return found[0]


def dossier_detail(*, user, code: str) -> Dossier:
    """The dossier with everything its page shows (404 out of scope)."""
    return with_record(dossier_for_page(user=user, code=code))


# The record's child tables, read by dossier with SQL compiled once (core.queries: the ORM's
# compiling cost ~1 ms a prefetch, four times running it).
_RECORD_READS = {
    "steps": PreparedRead(
        lambda pk: (
            DossierStep.objects.filter(dossier_id=pk).select_related("assignee").order_by("started_at", "pk")
        )
    ),
    "events": PreparedRead(
        lambda pk: DossierEvent.objects.filter(dossier_id=pk).select_related("actor").order_by("at", "pk")
    ),
    "components": PreparedRead(lambda pk: DossierComponent.objects.filter(dossier_id=pk)),
    "files": PreparedRead(lambda pk: DossierFile.objects.filter(dossier_id=pk)),
    "fee_lines": PreparedRead(lambda pk: FeeLine.objects.filter(dossier_id=pk)),
    "payments": PreparedRead(lambda pk: Payment.objects.filter(dossier_id=pk)),
    "supplement_requests": PreparedRead(lambda pk: SupplementRequest.objects.filter(dossier_id=pk)),
}


def with_record(dossier: Dossier) -> Dossier:
    """Load what the dossier's record shows onto it: steps with their officials, events with their
    actors, components, files, fees, payments, supplement requests.

    Steps and events join their one person each (two-table joins, planned once: a nine-table join
    cost PostgreSQL 10-20 ms of planning); the dossier's own people are nearly always among them."""
    for accessor in ("steps", "events", "components", "files", "fee_lines"):
        set_prefetched(dossier, accessor, _RECORD_READS[accessor](dossier.pk))
    # Most dossiers had no fee and no supplement request: those tables are read only when needed.
    kinds = {e.kind for e in dossier.events.all()}
    payments = _RECORD_READS["payments"](dossier.pk) if dossier.fee_total else []
    set_prefetched(dossier, "payments", payments)
    asked = EventKind.SUPPLEMENT_REQUESTED in kinds
    set_prefetched(
        dossier, "supplement_requests", _RECORD_READS["supplement_requests"](dossier.pk) if asked else []
    )
    dossier.has_apology = EventKind.APOLOGY_ISSUED in kinds
    _attach_people(dossier)
    return dossier


def _attach_people(dossier: Dossier) -> None:
    """The dossier's current official, receiver and approver, and its current step, from the people
    of its steps and events (one query more only for someone named nowhere else)."""
    steps, events = dossier.steps.all(), dossier.events.all()
    people = {s.assignee_id: s.assignee for s in steps if s.assignee_id}
    people |= {e.actor_id: e.actor for e in events if e.actor_id}
    names = ("current_assignee", "received_by", "approved_by")
    missing = {getattr(dossier, f"{name}_id") for name in names} - people.keys() - {None}
    if missing:
        people |= User.objects.in_bulk(missing)
    for name in names:
        person_id = getattr(dossier, f"{name}_id")
        if person_id in people:
            setattr(dossier, name, people[person_id])
    for step in steps:
        if step.pk == dossier.current_step_id:
            dossier.current_step = step


def control_slip_rows(dossier: Dossier) -> list[dict]:
    """One row per hand-over with its time and result (trước hạn / đúng hạn / quá hạn)."""
    rows = []
    for step in dossier.steps.all():
        outcome = (
            deadlines.step_outcome(finished_at=step.finished_at, due_at=step.due_at)
            if step.finished_at
            else ""
        )
        rows.append({"step": step, "outcome": outcome})
    return rows


def unit_overdue_count(*, user, now: datetime | None = None) -> int:
    return dossier_qs_for(user=user).overdue(now or timezone.now()).count()


# --- screens of the one-stop office -----------------------------------------------------------------


def receiving_units(*, user) -> list:
    """The units where `user` receives dossiers at the counter: the units of their grants holding
    `dossier.receive` (a grant's sub-units are villages, which have no counter)."""
    unit_ids = {s.unit_id for s in grant_scopes(user) if perms.DOSSIER_RECEIVE in s.permissions}
    return list(OrgUnit.objects.filter(pk__in=unit_ids, is_active=True).order_by("path"))


def procedure_choices(*, q: str = "") -> QuerySet[Procedure]:
    """Active procedures for the intake picker (accent-insensitive on the name, or by code)."""
    return procedure_list(q=q)


def procedure_for_intake(*, code: str) -> Procedure:
    """An active procedure with what the intake form needs: components, fee rules, exemptions."""
    try:
        procedure = procedure_detail(code)
    except NotFound as exc:
        raise Http404 from exc
    if not procedure.is_active:
        raise Http404
    return procedure


def _holders(role_code: str, unit_id: int, *lineage: str) -> QuerySet[User]:
    # One join, the units by their (unique) paths: PostgreSQL reads their few grants by index
    # (joining every unit to every grant of the role scanned both tables) and plans it quickly.
    return (
        User.objects.filter(
            Q(grants__org_unit_id=unit_id) | Q(grants__include_subtree=True),
            is_active=True,
            grants__role__code=role_code,
            grants__org_unit__path__in=lineage,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def _lineage(unit: OrgUnit) -> list[str]:
    """The paths of the unit's ancestors and its own, from the province down."""
    return [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]


def role_holders(role_code: str, unit: OrgUnit) -> QuerySet[User]:
    """Active officials holding `role_code` on `unit`, directly or through an ancestor's subtree."""
    return _holders(role_code, unit.pk, *_lineage(unit))


# role_holder_list's SQL, compiled once for each depth of unit (its lineage's length).
_HOLDER_READS: dict[int, PreparedRead] = {}


def role_holder_list(role_code: str, unit: OrgUnit) -> list[User]:
    """`list(role_holders(...))` for the dossier page (core.queries: building and compiling the
    query cost twice what running it does)."""
    lineage = _lineage(unit)
    read = _HOLDER_READS.get(len(lineage))
    if read is None:
        read = _HOLDER_READS.setdefault(len(lineage), PreparedRead(_holders, keys=2 + len(lineage)))
    return read(role_code, unit.pk, *lineage)


@dataclass
class StepMoves:
    """Where the dossier can go from its current step: the next step and who may do it, and
    whether there is a step to send it back to."""

    next_name: str = ""
    candidates: list = field(default_factory=list)
    has_next: bool = False
    has_previous: bool = False


def step_moves(dossier: Dossier) -> StepMoves:
    process = process_for(dossier.procedure, dossier.org_unit)
    if process is None:
        return StepMoves()
    steps = list(process.steps.all())  # loaded in order, with roles, by process_for
    current = dossier.current_step.order if dossier.current_step_id else 0
    following = next((s for s in steps if s.order > current), None)
    moves = StepMoves(has_previous=any(s.order < current for s in steps))
    if following is not None:
        moves.has_next = True
        moves.next_name = following.name
        moves.candidates = role_holder_list(following.role.code, following.route_to or dossier.org_unit)
    return moves


def notice_qs_for(*, user) -> QuerySet[ReceptionNotice]:
    """Reception slips (Forms 02, 03) of the units where the user receives dossiers."""
    if not getattr(user, "is_authenticated", False) or user.is_citizen:
        return ReceptionNotice.objects.none()
    return ReceptionNotice.objects.filter(unit_scope_q(user, perms.DOSSIER_RECEIVE, field="org_unit"))


def access_notice(*, user, pk: int) -> ReceptionNotice:
    notice = (
        notice_qs_for(user=user).select_related("org_unit", "procedure", "issued_by").filter(pk=pk).first()
    )
    if notice is None:
        raise Http404
    return notice


def dossier_file(*, user, code: str, public_id) -> DossierFile:
    """A file of a dossier the user may see; Http404 otherwise (whatever the reason)."""
    dossier = dossier_for_page(user=user, code=code)
    stored = DossierFile.objects.filter(dossier=dossier, public_id=public_id).first()
    if stored is None:
        raise Http404
    stored.dossier = dossier  # loaded already, with its unit
    return stored


def ledger_rows(*, user, received_from: date, received_to: date) -> QuerySet[Dossier]:
    """The dossier ledger (sổ theo dõi hồ sơ) of the user's units for a period, oldest first."""
    filters = DossierFilters(received_from=received_from, received_to=received_to)
    return dossier_list(user=user, filters=filters).order_by("received_at", "pk")


def receipt_batch(*, user, codes: list[str]) -> list[Dossier]:
    """Dossiers in scope among `codes`, with what their receipts print, in the order given."""
    rows = {
        d.code: d
        for d in dossier_qs_for(user=user)
        .filter(code__in=codes)
        .select_related("procedure", "org_unit", "received_by")
        .prefetch_related("components", "fee_lines")
    }
    return [rows[c] for c in dict.fromkeys(codes) if c in rows]


def can_review_feedback(user) -> bool:
    """Leaders (who may approve) read what applicants said about their unit's service."""
    return has_perm(user, perms.DOSSIER_APPROVE)


def feedback_list(*, user) -> QuerySet[Feedback]:
    """Feedback and complaints on dossiers the user may see, newest first (leaders only)."""
    if not can_review_feedback(user):
        return Feedback.objects.none()
    return (
        Feedback.objects.filter(dossier__in=dossier_qs_for(user=user))
        .select_related("dossier__procedure", "sent_by")
        .order_by("-sent_at", "-pk")
    )


def rating_summary(*, user) -> dict:
    """How many applicants rated their unit's service, how many were satisfied, and the latest
    dissatisfied ratings with their reasons (leaders only)."""
    ratings = (
        Rating.objects.filter(dossier__in=dossier_qs_for(user=user))
        if can_review_feedback(user)
        else Rating.objects.none()
    )
    counts = ratings.aggregate(total=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
    unhappy = list(
        ratings.filter(satisfied=False).select_related("dossier__procedure").order_by("-rated_at", "-pk")[:50]
    )
    return {"total": counts["total"], "satisfied": counts["satisfied"], "unhappy": unhappy}
