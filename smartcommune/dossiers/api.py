"""The one-stop shop API: receive a dossier, list and read dossiers, and one endpoint per action.

Authentication by the browser session (CSRF-checked on POST) or a personal API token. For
officials who work dossiers; anything out of their scope answers 404. Errors answer
`{"code", "detail"}`: 400 invalid input, 403 an action that is not the caller's to take on a
dossier they can see, 404 unknown or out of scope, 409 a conflict (a stale `version`, or an action
the dossier's status does not allow).

Files are not part of these JSON calls: scans are added at the counter screen, and an action that
needs a document (recording a result whose procedure yields a document) answers 400
`result_file_required` here; use the dossier screen for it.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from smartcommune.audit.services import personal_data_access_record
from smartcommune.catalog.models import Procedure
from smartcommune.core.api import ErrorOut
from smartcommune.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from smartcommune.directory import permissions as perms
from smartcommune.directory.auth import session_or_token
from smartcommune.directory.models import OrgUnit
from smartcommune.directory.policies import citizen_for_reception, has_perm
from smartcommune.directory.validators import mask_id_number
from smartcommune.workdays.engine import VN_TZ

from . import selectors, workflow
from .choices import DossierStatus
from .models import Dossier
from .policies import can_act, can_receive, dossier_qs_for
from .schemas import (
    ApologyIn,
    DossierFilterSchema,
    DossierIn,
    DossierOut,
    DossierPageOut,
    ForwardIn,
    NoteIn,
    PayIn,
    ReasonIn,
    ReturnResultIn,
    SupplementRequestIn,
    VersionIn,
)
from .selectors import DossierFilters
from .services import processing
from .services.intake import ComponentIn, FeeIn, dossier_receive
from .workflow import Action

router = Router(tags=["dossiers"], auth=session_or_token)

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require_official(user) -> None:
    if user.is_citizen:
        raise Http404


def _name(user) -> str | None:
    return user.username if user is not None else None


def _item(d: Dossier) -> dict:
    return {
        "code": d.code,
        "version": d.version,
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name,
        "applicant_name": d.applicant_name,
        "status": d.status,
        "status_label": str(DossierStatus(d.status).label),
        "channel": d.channel,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "due_state": d.due_state,
        "current_assignee": _name(d.current_assignee),
    }


def _available_actions(user, dossier: Dossier) -> list[str]:
    actions = [a for a in workflow.actions_from(dossier.status) if can_act(user, dossier, a)]
    if dossier.receipt_confirmed_at is not None:
        actions = [a for a in actions if a != Action.CONFIRM_RECEIPT]
    if dossier.approved_at is None:
        actions = [a for a in actions if a != Action.RECORD_RESULT]
    return [a.value.replace("_", "-") for a in actions]


def _dossier_out(request, dossier: Dossier) -> dict:
    """A dossier loaded by selectors.dossier_detail, as DossierOut."""
    user = request.auth
    dossier = selectors.with_due_states([dossier])[0]
    payments = list(dossier.payments.all())
    show_id = has_perm(user, perms.CITIZEN_VIEW, dossier.org_unit)
    return {
        **_item(dossier),
        "public_id": str(dossier.public_id),
        "unit_code": dossier.org_unit.code,
        "unit_name": dossier.org_unit.name,
        "applicant_id_number": dossier.applicant_id_number
        if show_id
        else mask_id_number(dossier.applicant_id_number),
        "submitted_by_name": dossier.submitted_by_name,
        "needs_verification": dossier.needs_verification,
        "legal_amount": dossier.legal_amount,
        "legal_unit": dossier.legal_unit,
        "original_due_at": dossier.original_due_at,
        "current_step": dossier.current_step.name if dossier.current_step_id else None,
        "fee_total": dossier.fee_total,
        "fee_exempt_reason": dossier.fee_exempt_reason,
        "fee_lines": [
            {
                "description": f.description,
                "quantity": f.quantity,
                "unit_amount": f.unit_amount,
                "amount": f.amount,
            }
            for f in dossier.fee_lines.all()
        ],
        "payments": [
            {"method": p.method, "amount": p.amount, "reference": p.reference, "paid_at": p.paid_at}
            for p in payments
        ],
        "paid": sum(p.amount for p in payments) >= dossier.fee_total,
        "approved_at": dossier.approved_at,
        "processed_at": dossier.processed_at,
        "returned_at": dossier.returned_at,
        "return_method": dossier.return_method,
        "receipt_confirmed_at": dossier.receipt_confirmed_at,
        "stopped_at": dossier.stopped_at,
        "stop_reason": dossier.stop_reason,
        "components": [
            {"component_id": c.component_id, "name": c.name, "originals": c.originals, "copies": c.copies}
            for c in dossier.components.all()
        ],
        "files": [
            {
                "public_id": str(f.public_id),
                "kind": f.kind,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "uploaded_at": f.uploaded_at,
                "download_url": request.build_absolute_uri(
                    reverse("dossiers:file", kwargs={"code": dossier.code, "public_id": f.public_id})
                ),
            }
            for f in dossier.files.all()
        ],
        "steps": [
            {
                "order": row["step"].order,
                "name": row["step"].name,
                "assignee": _name(row["step"].assignee),
                "started_at": row["step"].started_at,
                "due_at": row["step"].due_at,
                "finished_at": row["step"].finished_at,
                "outcome": row["outcome"],
            }
            for row in selectors.control_slip_rows(dossier)
        ],
        "available_actions": _available_actions(user, dossier),
    }


def _detail(request, code: str) -> Dossier:
    _require_official(request.auth)
    return selectors.dossier_detail(user=request.auth, code=code)


# --- reception -------------------------------------------------------------------------------------


def _unit_for_receiving(user, unit_code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=unit_code.strip().upper(), is_active=True).first()
    if unit is None or not can_receive(user, unit):
        raise NotFound(_("No unit with this code where you receive dossiers."), code="unit_not_found")
    return unit


def _procedure(code: str) -> Procedure:
    try:
        return selectors.procedure_for_intake(code=code.strip())
    except Http404 as exc:
        raise NotFound(_("No active procedure has this code."), code="procedure_not_found") from exc


def _components(procedure, given) -> list[ComponentIn]:
    by_id = {c.pk: c for c in procedure.components.all()}
    seen, result = set(), []
    for item in given:
        component = by_id.get(item.component_id)
        if component is None:
            raise InvalidInput(
                _("Component %(id)d is not a component of this procedure.") % {"id": item.component_id},
                code="unknown_component",
            )
        if component.pk in seen:
            raise InvalidInput(
                _("Component %(id)d is listed twice.") % {"id": component.pk}, code="duplicate_component"
            )
        seen.add(component.pk)
        result.append(ComponentIn(component, originals=item.originals, copies=item.copies))
    return result


@router.post("", response={200: DossierOut, 201: DossierOut, **_ERRORS}, summary="Receive a dossier")
def dossier_create(request, payload: DossierIn):
    """Receive a complete dossier at the counter (Form 01 follows). 201 when created; 200 with the
    same dossier when `client_token` was sent before. A missing mandatory component answers 400
    `dossier_incomplete` (issue Form 02 at the counter instead)."""
    user = request.auth
    _require_official(user)
    unit = _unit_for_receiving(user, payload.unit_code)
    procedure = _procedure(payload.procedure_code)
    citizen = citizen_for_reception(user=user, personal_id=payload.personal_id)
    if citizen is None:
        raise NotFound(
            _("No citizen with this identification number is recorded in the province."),
            code="applicant_not_found",
        )
    repeated = (
        bool(payload.client_token) and Dossier.objects.filter(client_token=payload.client_token).exists()
    )
    dossier = dossier_receive(
        actor=user,
        org_unit=unit,
        procedure=procedure,
        citizen=citizen,
        components=_components(procedure, payload.components),
        channel=payload.channel,
        needs_verification=payload.needs_verification,
        fee_in=FeeIn(
            pages=payload.fees.pages,
            copies=payload.fees.copies,
            cases=payload.fees.cases,
            exemption_code=payload.fees.exemption_code or None,
        ),
        cash_receipt_number=payload.cash_receipt_number,
        submitted_by_name=payload.submitted_by_name,
        client_token=payload.client_token or None,
    )
    if not dossier_qs_for(user=user).filter(pk=dossier.pk).exists():
        # The token names a dossier of another unit: say so without showing it.
        raise Conflict(_("This client_token was used for another dossier."), code="client_token_used")
    out = _dossier_out(request, selectors.dossier_detail(user=user, code=dossier.code))
    return Status(200 if repeated else 201, out)


# --- reading ---------------------------------------------------------------------------------------


def _list_queryset(user, filters: DossierFilterSchema) -> QuerySet[Dossier]:
    procedure_id = None
    if filters.procedure:
        procedure_id = (
            Procedure.objects.filter(code=filters.procedure.strip()).values_list("pk", flat=True).first()
        )
        if procedure_id is None:
            raise NotFound(_("No procedure has this code."), code="procedure_not_found")
    return selectors.dossier_list(
        user=user,
        filters=DossierFilters(
            q=filters.q,
            procedure_id=procedure_id,
            status=filters.status,
            channel=filters.channel,
            due_state=filters.due_state,
            received_from=filters.received_from,
            received_to=filters.received_to,
        ),
    )


@router.get("", response={200: DossierPageOut, **_ERRORS}, summary="List dossiers")
def dossier_list(request, filters: Query[DossierFilterSchema]):
    """The dossiers of your units, newest first, with the same filters as the list screen."""
    user = request.auth
    if user.is_citizen:
        return {"count": 0, "page": filters.page, "page_size": filters.page_size, "items": []}
    queryset = _list_queryset(user, filters)
    count = queryset.count()
    start = (filters.page - 1) * filters.page_size
    rows = selectors.with_due_states(queryset[start : start + filters.page_size]) if start < count else []
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_item(d) for d in rows],
    }


@router.get("/{code}", response={200: DossierOut, **_ERRORS}, summary="One dossier")
def dossier_get(request, code: str):
    dossier = _detail(request, code)
    personal_data_access_record(
        actor=request.auth, what="api.dossier", subject=dossier, org_unit=dossier.org_unit, label=dossier.code
    )
    return _dossier_out(request, dossier)


# --- actions ---------------------------------------------------------------------------------------


def _act(request, code: str, action: Action, run) -> dict:
    """Authorize and run one action; answer with the dossier as it is now."""
    user = request.auth
    dossier = _detail(request, code)
    if not can_act(user, dossier, action):
        # The dossier is visible to the caller, but this action is not theirs to take.
        raise PermissionDenied(_("You cannot do this on this dossier."), code="action_not_permitted")
    run(dossier, user)
    return _dossier_out(request, selectors.dossier_detail(user=user, code=code))


def _assignee(user, dossier, username: str | None):
    if not username:
        return None
    moves = selectors.step_moves(dossier)
    chosen = next((u for u in moves.candidates if u.username == username), None)
    if chosen is None:
        raise InvalidInput(_("This official cannot take the next step."), code="assignee_not_eligible")
    return chosen


@router.post("/{code}/forward", response={200: DossierOut, **_ERRORS}, summary="Forward to the next step")
def dossier_forward(request, code: str, payload: ForwardIn):
    def run(d, user):
        assignee = _assignee(user, d, payload.assignee)
        processing.dossier_forward(
            dossier=d, actor=user, version=payload.version, note=payload.note, assignee=assignee
        )

    return _act(request, code, Action.FORWARD, run)


@router.post("/{code}/send-back", response={200: DossierOut, **_ERRORS}, summary="Send back a step")
def dossier_send_back(request, code: str, payload: ReasonIn):
    def run(d, user):
        processing.dossier_send_back(dossier=d, actor=user, version=payload.version, reason=payload.reason)

    return _act(request, code, Action.SEND_BACK, run)


@router.post(
    "/{code}/request-supplement", response={200: DossierOut, **_ERRORS}, summary="Request supplements"
)
def dossier_request_supplement(request, code: str, payload: SupplementRequestIn):
    def run(d, user):
        processing.dossier_request_supplement(
            dossier=d, actor=user, version=payload.version, items=payload.items, reason=payload.reason
        )

    return _act(request, code, Action.REQUEST_SUPPLEMENT, run)


@router.post("/{code}/supplement", response={200: DossierOut, **_ERRORS}, summary="Record the supplements")
def dossier_supplement(request, code: str, payload: NoteIn):
    """Records that the applicant's supplements arrived (files: use the dossier screen)."""

    def run(d, user):
        processing.dossier_supplement(dossier=d, actor=user, version=payload.version, note=payload.note)

    return _act(request, code, Action.SUPPLEMENT, run)


@router.post("/{code}/approve", response={200: DossierOut, **_ERRORS}, summary="Approve")
def dossier_approve(request, code: str, payload: NoteIn):
    def run(d, user):
        processing.dossier_approve(dossier=d, actor=user, version=payload.version, note=payload.note)

    return _act(request, code, Action.APPROVE, run)


@router.post("/{code}/refuse", response={200: DossierOut, **_ERRORS}, summary="Refuse (stop processing)")
def dossier_refuse(request, code: str, payload: ReasonIn):
    def run(d, user):
        processing.dossier_refuse(dossier=d, actor=user, version=payload.version, reason=payload.reason)

    return _act(request, code, Action.REFUSE, run)


@router.post("/{code}/record-result", response={200: DossierOut, **_ERRORS}, summary="Record the result")
def dossier_record_result(request, code: str, payload: NoteIn):
    """Without a file: only for procedures whose result is not a document. Others answer 400
    `result_file_required` (attach the signed result on the dossier screen)."""

    def run(d, user):
        processing.dossier_record_result(dossier=d, actor=user, version=payload.version, note=payload.note)

    return _act(request, code, Action.RECORD_RESULT, run)


@router.post("/{code}/return-result", response={200: DossierOut, **_ERRORS}, summary="Return the result")
def dossier_return_result(request, code: str, payload: ReturnResultIn):
    def run(d, user):
        processing.dossier_return_result(
            dossier=d, actor=user, version=payload.version, method=payload.method
        )

    return _act(request, code, Action.RETURN_RESULT, run)


@router.post("/{code}/confirm-receipt", response={200: DossierOut, **_ERRORS}, summary="Confirm receipt")
def dossier_confirm_receipt(request, code: str, payload: VersionIn):
    def run(d, user):
        processing.dossier_confirm_receipt(dossier=d, actor=user, version=payload.version)

    return _act(request, code, Action.CONFIRM_RECEIPT, run)


@router.post("/{code}/withdraw", response={200: DossierOut, **_ERRORS}, summary="Withdraw")
def dossier_withdraw(request, code: str, payload: ReasonIn):
    def run(d, user):
        processing.dossier_withdraw(dossier=d, actor=user, version=payload.version, reason=payload.reason)

    return _act(request, code, Action.WITHDRAW, run)


@router.post("/{code}/apologize", response={200: DossierOut, **_ERRORS}, summary="Apologise with a new date")
def dossier_apologize(request, code: str, payload: ApologyIn):
    new_due_at = payload.new_due_at
    if timezone.is_naive(new_due_at):
        new_due_at = new_due_at.replace(tzinfo=VN_TZ)

    def run(d, user):
        processing.dossier_apologize(
            dossier=d, actor=user, version=payload.version, reason=payload.reason, new_due_at=new_due_at
        )

    return _act(request, code, Action.APOLOGIZE, run)


@router.post("/{code}/pay", response={200: DossierOut, **_ERRORS}, summary="Record a cash payment")
def dossier_pay(request, code: str, payload: PayIn):
    def run(d, user):
        processing.dossier_pay(
            dossier=d, actor=user, version=payload.version, receipt_number=payload.receipt_number
        )

    return _act(request, code, Action.PAY, run)
