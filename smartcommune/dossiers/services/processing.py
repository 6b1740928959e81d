"""Actions on a received dossier. Each: lock, check version and status, change, event, audit."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from smartcommune.catalog.selectors import process_steps
from smartcommune.core import clock
from smartcommune.core.errors import InvalidInput
from smartcommune.workdays import engine

from .. import deadlines, notices
from ..choices import DossierStatus, EventKind, FileKind, ReturnMethod
from ..errors import ActionNotAllowed, ApologyAlreadyIssued, FeeUnpaid, NotApproved
from ..models import Apology, Dossier, DossierStep, Payment, SupplementRequest
from ..workflow import Action, target
from .assignment import pick_assignee
from .common import lock_for, record, store_file
from .result_signing import result_sealed


def _require_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Please give a reason."), code=f"{field}_required")
    if len(value) > 4000:
        raise InvalidInput(_("The text is too long (at most 4,000 characters)."), code=f"{field}_too_long")
    return value


def _finish_current(dossier: Dossier, now: datetime, note: str = "") -> DossierStep | None:
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        step.finished_at, step.outcome_note = now, note
        step.save(update_fields=["finished_at", "outcome_note"])
    return step


def _process_steps(dossier: Dossier) -> list:
    return process_steps(dossier.procedure, dossier.org_unit)


def _start_step(dossier: Dossier, spec, now: datetime, *, chosen=None, prefer=None) -> DossierStep:
    unit = spec.route_to or dossier.org_unit
    step = DossierStep.objects.create(
        dossier=dossier,
        order=spec.order,
        name=spec.name,
        role_code=spec.role.code,
        org_unit=unit,
        assignee=pick_assignee(role_code=spec.role.code, unit=unit, chosen=chosen, prefer=prefer),
        duration_hours=spec.duration_hours,
        started_at=now,
        due_at=deadlines.step_due(deadlines.rules_for(dossier.org_unit), now, spec.duration_hours),
    )
    dossier.current_step, dossier.current_assignee = step, step.assignee
    return step


def _move(dossier: Dossier, *, forward: bool, now: datetime, chosen=None) -> DossierStep:
    steps = _process_steps(dossier)
    current_order = dossier.current_step.order if dossier.current_step else 0
    if forward:
        spec = next((s for s in steps if s.order > current_order), None)
        prefer = None
    else:
        spec = next((s for s in reversed(steps) if s.order < current_order), None)
        earlier = dossier.steps.filter(order=spec.order).order_by("-started_at").first() if spec else None
        prefer = earlier.assignee if earlier else None  # back to whoever did it before
    if spec is None:
        raise ActionNotAllowed(
            _("This is the last step: record the result.") if forward else _("This is the first step."),
            code="no_next_step" if forward else "no_previous_step",
        )
    return _start_step(dossier, spec, now, chosen=chosen, prefer=prefer)


_MOVED = ("status", "current_step", "current_assignee")


@transaction.atomic
def dossier_forward(
    *, dossier: Dossier, actor, version: int | None, note: str = "", assignee=None
) -> Dossier:
    """Send the dossier to the next step of its internal process (to `assignee` if given)."""
    dossier = lock_for(dossier, version=version, action=Action.FORWARD)
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        raise FeeUnpaid()
    now, before = clock.now(), dossier.status
    _finish_current(dossier, now, note)
    step = _move(dossier, forward=True, now=now, chosen=assignee)
    dossier.status = target(before, Action.FORWARD)
    record(
        dossier,
        actor=actor,
        kind=EventKind.FORWARDED,
        action="forwarded",
        from_status=before,
        note=note,
        step=step,
        data={"to": step.assignee.username if step.assignee else ""},
        fields=_MOVED,
    )
    return dossier


@transaction.atomic
def dossier_send_back(*, dossier: Dossier, actor, version: int | None, reason: str) -> Dossier:
    """Return the dossier to the previous step, with the reason."""
    reason = _require_text(reason, "reason")
    dossier = lock_for(dossier, version=version, action=Action.SEND_BACK)
    now, before = clock.now(), dossier.status
    _finish_current(dossier, now, reason)
    step = _move(dossier, forward=False, now=now)
    record(
        dossier,
        actor=actor,
        kind=EventKind.SENT_BACK,
        action="sent_back",
        from_status=before,
        note=reason,
        step=step,
        fields=_MOVED,
    )
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, dossier: Dossier, actor, version: int | None, items: str, reason: str
) -> Dossier:
    """Ask the applicant for supplements; the clock pauses until they arrive (DOMAIN.md §1.4).

    A second request is allowed but flagged: the 766 index counts such a dossier late.
    """
    items, reason = _require_text(items, "items"), _require_text(reason, "reason")
    dossier = lock_for(dossier, version=version, action=Action.REQUEST_SUPPLEMENT)
    now, before = clock.now(), dossier.status
    request = SupplementRequest.objects.create(
        dossier=dossier,
        items=items,
        reason=reason,
        requested_at=now,
        requested_by=actor,
        is_repeat=dossier.supplement_count > 0,
    )
    dossier.supplement_count += 1
    dossier.status = target(before, Action.REQUEST_SUPPLEMENT)
    record(
        dossier,
        actor=actor,
        kind=EventKind.SUPPLEMENT_REQUESTED,
        action="supplement_requested",
        from_status=before,
        note=items,
        data={"repeat": request.is_repeat, "request": request.pk},
        fields=("status", "supplement_count"),
    )
    notices.supplement_requested(dossier, items=items, reason=reason)
    return dossier


@transaction.atomic
def dossier_supplement(*, dossier: Dossier, actor, version: int | None, files=(), note: str = "") -> Dossier:
    """Record the applicant's supplements: the clock resumes, and the due moments move on by the
    office time the dossier waited."""
    dossier = lock_for(dossier, version=version, action=Action.SUPPLEMENT)
    now, before = clock.now(), dossier.status
    request = dossier.supplement_requests.get(completed_at__isnull=True)
    request.completed_at = now
    request.save(update_fields=["completed_at"])
    for upload in files:
        store_file(dossier=dossier, upload=upload, kind=FileKind.SUPPLEMENT, actor=actor)
    rules = deadlines.rules_for(dossier.org_unit)
    paused = engine.working_time_between(rules, request.requested_at, now)
    if request.requested_at < dossier.due_at:
        dossier.due_at = engine.add_working_time(rules, dossier.due_at, paused)
    step = dossier.current_step
    if step is not None and step.finished_at is None and request.requested_at < step.due_at:
        step.due_at = engine.add_working_time(rules, step.due_at, paused)
        step.save(update_fields=["due_at"])
    dossier.status = target(before, Action.SUPPLEMENT)
    dossier.due_alert_sent_at = None  # the due moment moved: alert again when it nears
    record(
        dossier,
        actor=actor,
        kind=EventKind.SUPPLEMENTED,
        action="supplemented",
        from_status=before,
        note=note,
        data={"paused_minutes": int(paused.total_seconds() // 60), "files": len(files)},
        fields=("status", "due_at", "due_alert_sent_at"),
    )
    return dossier


@transaction.atomic
def dossier_approve(*, dossier: Dossier, actor, version: int | None, note: str = "") -> Dossier:
    """A leader approves; the dossier goes on to the next step (usually recording the result)."""
    dossier = lock_for(dossier, version=version, action=Action.APPROVE)
    now, before = clock.now(), dossier.status
    dossier.approved_by, dossier.approved_at = actor, now
    _finish_current(dossier, now, note)
    steps = _process_steps(dossier)
    current_order = dossier.current_step.order if dossier.current_step else 0
    if any(s.order > current_order for s in steps):
        _move(dossier, forward=True, now=now)
    record(
        dossier,
        actor=actor,
        kind=EventKind.APPROVED,
        action="approved",
        from_status=before,
        note=note,
        step=dossier.current_step,
        fields=("approved_by", "approved_at", *_MOVED),
    )
    return dossier


def _stop(dossier: Dossier, *, actor, version: int | None, reason: str, action: Action, kind: str, verb: str):
    """End processing with a reason: refused after appraisal (8) or withdrawn by the applicant (7)."""
    reason = _require_text(reason, "reason")
    dossier = lock_for(dossier, version=version, action=action)
    now, before = clock.now(), dossier.status
    _finish_current(dossier, now, reason)
    dossier.status, dossier.stopped_at, dossier.stop_reason = target(before, action), now, reason
    dossier.current_assignee = None
    record(
        dossier,
        actor=actor,
        kind=kind,
        action=verb,
        from_status=before,
        note=reason,
        fields=("status", "stopped_at", "stop_reason", "current_assignee"),
    )
    return dossier


@transaction.atomic
def dossier_refuse(*, dossier: Dossier, actor, version: int | None, reason: str) -> Dossier:
    """Stop processing with written reasons (not eligible after appraisal): status 8."""
    dossier = _stop(
        dossier,
        actor=actor,
        version=version,
        reason=reason,
        action=Action.REFUSE,
        kind=EventKind.REFUSED,
        verb="refused",
    )
    notices.refused(dossier, reason=dossier.stop_reason)
    return dossier


@transaction.atomic
def dossier_record_result(
    *, dossier: Dossier, actor, version: int | None, result_file=None, note: str = ""
) -> Dossier:
    """Record the result: processing is finished (status 9). Document results need the approved
    document as a file: it becomes the e-result."""
    dossier = lock_for(dossier, version=version, action=Action.RECORD_RESULT)
    if dossier.approved_at is None:
        raise NotApproved()
    if (
        dossier.procedure.result_kind == "document"
        and result_file is None
        # The leader's signed e-result (result_signing) is the result document already.
        and not dossier.files.filter(kind=FileKind.RESULT).exists()
    ):
        raise InvalidInput(_("Attach the result document."), code="result_file_required")
    now, before = clock.now(), dossier.status
    if result_file is not None:
        if dossier.procedure.result_kind == "document":
            result_file = result_sealed(dossier, result_file)
        store_file(dossier=dossier, upload=result_file, kind=FileKind.RESULT, actor=actor, accepted=("pdf",))
    _finish_current(dossier, now, note)
    dossier.status, dossier.processed_at = target(before, Action.RECORD_RESULT), now
    record(
        dossier,
        actor=actor,
        kind=EventKind.RESULT_RECORDED,
        action="result_recorded",
        from_status=before,
        note=note,
        fields=("status", "processed_at"),
    )
    notices.result_ready(dossier)
    return dossier


@transaction.atomic
def dossier_return_result(*, dossier: Dossier, actor, version: int | None, method: str) -> Dossier:
    """Hand the result over (counter, post, online): status 10."""
    if method not in ReturnMethod.values:
        raise InvalidInput(_("Choose how the result is returned."), code="return_method")
    dossier = lock_for(dossier, version=version, action=Action.RETURN_RESULT)
    now, before = clock.now(), dossier.status
    dossier.status, dossier.returned_at, dossier.return_method = (
        target(before, Action.RETURN_RESULT),
        now,
        method,
    )
    dossier.current_assignee = None
    record(
        dossier,
        actor=actor,
        kind=EventKind.RETURNED,
        action="returned",
        from_status=before,
        data={"method": method},
        fields=("status", "returned_at", "return_method", "current_assignee"),
    )
    return dossier


@transaction.atomic
def dossier_confirm_receipt(*, dossier: Dossier, actor, version: int | None) -> Dossier:
    """The applicant confirms they received the result."""
    dossier = lock_for(dossier, version=version, action=Action.CONFIRM_RECEIPT)
    if dossier.receipt_confirmed_at is not None:
        return dossier
    dossier.receipt_confirmed_at = clock.now()
    record(
        dossier,
        actor=actor,
        kind=EventKind.RECEIPT_CONFIRMED,
        action="receipt_confirmed",
        from_status=dossier.status,
        fields=("receipt_confirmed_at",),
    )
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, actor, version: int | None, reason: str) -> Dossier:
    """Stop at the applicant's request (Decree 118/2025 art. 21): status 7."""
    return _stop(
        dossier,
        actor=actor,
        version=version,
        reason=reason,
        action=Action.WITHDRAW,
        kind=EventKind.WITHDRAWN,
        verb="withdrawn",
    )


@transaction.atomic
def dossier_apologize(
    *, dossier: Dossier, actor, version: int | None, reason: str, new_due_at: datetime
) -> Apology:
    """Issue the apology and re-appointment (once per dossier): the due moment becomes the new one."""
    reason = _require_text(reason, "reason")
    dossier = lock_for(dossier, version=version, action=Action.APOLOGIZE)
    if Apology.objects.filter(dossier=dossier).exists():
        raise ApologyAlreadyIssued()
    if new_due_at <= dossier.due_at:
        raise InvalidInput(
            _("The new appointment must be later than the current one."), code="new_due_not_later"
        )
    rules = deadlines.rules_for(dossier.org_unit)
    if not engine.is_working_moment(rules, new_due_at):
        raise InvalidInput(
            _("The new appointment must fall in office hours on a working day."), code="new_due_not_working"
        )
    now = clock.now()
    apology = Apology.objects.create(
        dossier=dossier,
        reason=reason,
        previous_due_at=dossier.due_at,
        new_due_at=new_due_at,
        issued_at=now,
        issued_by=actor,
    )
    dossier.due_at, dossier.due_alert_sent_at = new_due_at, None
    record(
        dossier,
        actor=actor,
        kind=EventKind.APOLOGY_ISSUED,
        action="apology_issued",
        from_status=dossier.status,
        note=reason,
        data={"new_due_at": new_due_at.isoformat()},
        fields=("due_at", "due_alert_sent_at"),
    )
    notices.apology(dossier, reason=reason, old_due_at=apology.previous_due_at, new_due_at=new_due_at)
    return apology


@transaction.atomic
def dossier_pay(*, dossier: Dossier, actor, version: int | None, receipt_number: str) -> Dossier:
    """Record the fee paid in cash at the counter; the dossier leaves status 6."""
    receipt_number = _require_text(receipt_number, "receipt_number")[:60]
    dossier = lock_for(dossier, version=version, action=Action.PAY)
    if Payment.objects.filter(method=Payment.Method.CASH, reference=receipt_number).exists():
        raise InvalidInput(_("This receipt number has already been used."), code="receipt_number_used")
    now, before = clock.now(), dossier.status
    Payment.objects.create(
        dossier=dossier,
        method=Payment.Method.CASH,
        amount=dossier.fee_total,
        reference=receipt_number,
        paid_at=now,
        recorded_by=actor,
    )
    dossier.status = target(before, Action.PAY)
    record(
        dossier,
        actor=actor,
        kind=EventKind.PAID,
        action="paid",
        from_status=before,
        data={"amount": dossier.fee_total, "receipt_number": receipt_number},
        fields=("status",),
    )
    return dossier
