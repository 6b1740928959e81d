"""The one-stop shop screens: intake at the counter, a dossier and its actions, the worklists and
the ledger. Each view parses, authorizes, calls one service or selector and renders.

Out of scope answers 404. Citizens follow their dossiers on the portal, not here.
"""

import hashlib
from contextlib import nullcontext
from types import SimpleNamespace

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartcommune.audit.services import audit_record, personal_data_access_record
from smartcommune.catalog.choices import TimeLimitUnit
from smartcommune.catalog.fees import assess_fees
from smartcommune.core.addresses import address
from smartcommune.core.errors import DomainError, InvalidInput
from smartcommune.core.jinja_env import translations
from smartcommune.core.pagination import page_of
from smartcommune.core.text import local_moment
from smartcommune.directory import permissions as perms
from smartcommune.directory.policies import citizen_for_reception, has_perm
from smartcommune.directory.selectors import primary_unit
from smartcommune.directory.services import citizen_register, organisation_register
from smartcommune.directory.validators import mask_id_number
from smartcommune.documents.choices import DocumentKind

from . import printing, selectors, workflow
from .choices import Channel, DossierStatus, DueState, FileKind, NoticeKind
from .errors import DossierConflict, DossierIncomplete
from .forms import (
    INTENT_PREVIEW,
    INTENT_REFUSE,
    INTENT_SUPPLEMENT,
    DossierFilterForm,
    IntakeForm,
    LedgerForm,
    ProcedurePickForm,
    SignResultForm,
    action_form,
)
from .listing import DUE_BADGES, LIST_VALUES, PAGE_SIZE, list_rows, row_labels
from .policies import can_act
from .selectors import DossierFilters
from .services import processing, result_signing
from .services.intake import FeeIn, dossier_receive, missing_components, reception_notice_issue
from .workflow import Action

_VIEW_PERMS = (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_APPROVE)


def _require_dossier_official(user) -> None:
    """The one-stop screens are for officials who work dossiers; anyone else gets 404."""
    if user.is_citizen or not any(has_perm(user, p) for p in _VIEW_PERMS):
        raise Http404


def _is_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


# --- intake at the counter -------------------------------------------------------------------------


@require_GET
def intake_start(request):
    """Step 1 at the counter: choose the procedure (search, or the plain list)."""
    units = selectors.receiving_units(user=request.user)
    if not units:
        raise Http404
    all_procedures = selectors.procedure_choices()
    pick = ProcedurePickForm(request.GET if "procedure" in request.GET else None, procedures=all_procedures)
    if pick.is_bound and pick.is_valid():
        return redirect("dossiers:intake", code=pick.cleaned_data["procedure"].code)
    q = request.GET.get("q", "")[:100].strip()
    results = list(selectors.procedure_choices(q=q)[:30]) if q else []
    context = {"q": q, "results": results, "pick": pick, "searched": bool(q), "can_receive": True}
    if _is_partial(request):
        return render(request, "dossiers/intake_start.html#results", context)
    return render(request, "dossiers/intake_start.html", context)


def _assessment(form: IntakeForm, procedure):
    """The fees for what the form holds now, or None when its inputs cannot be assessed."""
    if not form.has_fees:
        return None
    if form.is_bound:
        fee_in, channel = form.fee_inputs(), form.cleaned_data.get("channel")
    else:
        fee_in, channel = FeeIn(pages=1 if "pages" in form.fields else 0), Channel.IN_PERSON
    try:
        return assess_fees(
            procedure,
            on=timezone.localdate(),
            channel="post" if channel == Channel.POST else "counter",
            pages=fee_in.pages,
            copies=fee_in.copies,
            cases=fee_in.cases,
            exemption_code=fee_in.exemption_code,
        )
    except DomainError:
        return None


def _intake_context(request, form, procedure, **extra) -> dict:
    context = {
        "form": form,
        "procedure": procedure,
        "assessment": _assessment(form, procedure),
        "files_dropped": bool(request.FILES),
        "missing": [],
        "open_notice": "",
        "citizen": form.citizen,
        "looked_up": (form.data.get("personal_id") or "").strip() if form.is_bound else "",
    }
    context.update(extra)
    return context


def _citizen_lookup(request, procedure):
    personal_id = request.GET.get("personal_id", "").strip()[:12]
    citizen = None
    if len(personal_id) == 12 and personal_id.isdigit():
        citizen = citizen_for_reception(user=request.user, personal_id=personal_id)
        if citizen is not None:  # the counter now shows their record (personal-data law)
            with transaction.atomic():
                audit_record(
                    actor=request.user,
                    action="citizen.looked_up",
                    target=citizen,
                    org_unit=citizen.home_unit,
                    data={"purpose": "reception"},
                )
    return render(
        request,
        "dossiers/intake_form.html#applicant-lookup",
        {"citizen": citizen, "looked_up": personal_id, "procedure": procedure},
    )


def _field_errors(form, exc: ValidationError) -> None:
    """Put a model ValidationError from a directory service on the form's matching fields."""
    names = {"personal_id": "personal_id", "full_name": "full_name", "phone": "phone", "address": "address"}
    names |= {"tax_code": "tax_code", "name": "org_name", "kind": "org_kind"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(names.get(field), errors)
    else:
        form.add_error(None, exc)


@require_http_methods(["GET", "HEAD", "POST"])
def intake(request, code: str):
    """Step 2: the procedure's form. Receives the dossier, or issues Form 02 or Form 03 instead."""
    units = selectors.receiving_units(user=request.user)
    if not units:
        raise Http404
    procedure = selectors.procedure_for_intake(code=code)
    if request.method != "POST" and _is_partial(request):
        if "personal_id" in request.GET and "intent" not in request.GET:
            return _citizen_lookup(request, procedure)
        form = IntakeForm(request.GET, procedure=procedure, user=request.user, units=units)
        form.is_valid()
        context = {"assessment": _assessment(form, procedure), "form": form}
        return render(request, "dossiers/intake_form.html#fee-total", context)

    bound = request.method == "POST"
    form = IntakeForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        procedure=procedure,
        user=request.user,
        units=units,
    )
    if not bound:
        return render(request, "dossiers/intake_form.html", _intake_context(request, form, procedure))
    if not form.is_valid():
        return render(
            request, "dossiers/intake_form.html", _intake_context(request, form, procedure), status=400
        )

    intent = form.intent
    if intent == INTENT_PREVIEW:
        return render(request, "dossiers/intake_form.html", _intake_context(request, form, procedure))
    if intent in (INTENT_SUPPLEMENT, INTENT_REFUSE):
        return _issue_notice(request, form, procedure, intent)
    return _receive(request, form, procedure)


def _receive(request, form: IntakeForm, procedure):
    user, unit = request.user, form.receiving_unit
    data = form.cleaned_data
    citizen, organisation = form.citizen, form.organisation
    recording = organisation is None if form.applicant_is_organisation else citizen is None
    try:
        # A new applicant is recorded in the dossier's transaction; for one on record
        # dossier_receive's own transaction is enough (no savepoint to set and release).
        with transaction.atomic() if recording else nullcontext():
            if recording and form.applicant_is_organisation:
                organisation = organisation_register(actor=user, **form.new_organisation_fields())
            elif recording:
                if not has_perm(user, perms.CITIZEN_MANAGE, unit):
                    raise InvalidInput(
                        _(
                            "You may not record new citizens. Ask an officer who may, then receive the dossier."
                        )
                    )
                citizen = citizen_register(actor=user, **form.new_citizen_fields())
            dossier = dossier_receive(
                actor=user,
                org_unit=unit,
                procedure=procedure,
                citizen=None if organisation else citizen,
                organisation=organisation,
                components=form.component_inputs(),
                channel=data["channel"],
                needs_verification=bool(data.get("needs_verification")),
                fee_in=form.fee_inputs(),
                cash_receipt_number=data.get("cash_receipt_number") or "",
                submitted_by_name=data.get("submitted_by_name") or "",
                client_token=data.get("client_token") or None,
            )
    except DossierIncomplete as exc:
        missing = missing_components(procedure, form.component_inputs())
        form.data = form.data.copy()
        if not form.data.get("notice_items", "").strip():
            form.data["notice_items"] = "\n".join(c.name for c in missing)
        form.add_error(None, exc.detail)
        context = _intake_context(request, form, procedure, missing=missing, open_notice=INTENT_SUPPLEMENT)
        return render(request, "dossiers/intake_form.html", context, status=400)
    except ValidationError as exc:
        _field_errors(form, exc)
        return render(
            request, "dossiers/intake_form.html", _intake_context(request, form, procedure), status=400
        )
    except DomainError as exc:
        form.add_error(None, exc.detail)
        context = _intake_context(request, form, procedure)
        return render(request, "dossiers/intake_form.html", context, status=exc.status)
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        messages.warning(
            request,
            _("Dossier %(code)s received. It waits for the fee of %(amount)s VND to be paid.")
            % {"code": dossier.code, "amount": f"{dossier.fee_total:,}".replace(",", ".")},
        )
    else:
        messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
    return redirect("dossiers:detail", code=dossier.code)


def _issue_notice(request, form: IntakeForm, procedure, intent: str):
    data = form.cleaned_data
    if intent == INTENT_SUPPLEMENT:
        kind, items, reason = NoticeKind.SUPPLEMENT, data["notice_items"], data["notice_reason"]
    else:
        kind, items, reason = NoticeKind.REFUSAL, "", data["refusal_reason"]
    notice = reception_notice_issue(
        actor=request.user,
        kind=kind,
        org_unit=form.receiving_unit,
        procedure=procedure,
        items=items,
        reason=reason,
        **form.applicant_snapshot(),
    )
    messages.success(
        request,
        _("The supplement request slip (Form 02) was recorded.")
        if kind == NoticeKind.SUPPLEMENT
        else _("The refusal slip (Form 03) was recorded."),
    )
    return redirect("dossiers:notice", pk=notice.pk)


@require_GET
def notice_detail(request, pk: int):
    notice = selectors.access_notice(user=request.user, pk=pk)
    items = [line.strip() for line in notice.items.splitlines() if line.strip()]
    pdf_url = reverse("dossiers:notice_pdf", args=[notice.pk])
    context = {"notice": notice, "items": items, "can_receive": True, "pdf_url": pdf_url}
    return render(request, "dossiers/receptionnotice_detail.html", context)


# --- one dossier -----------------------------------------------------------------------------------

ACTION_SLUGS = {a.value.replace("_", "-"): a for a in Action}

# Lazy: translated when a page shows them, in the reader's language (not at import).
ACTION_LABELS = {
    Action.PAY: _lazy("Record the fee payment"),
    Action.FORWARD: _lazy("Forward"),
    Action.SEND_BACK: _lazy("Send back"),
    Action.REQUEST_SUPPLEMENT: _lazy("Request supplements"),
    Action.SUPPLEMENT: _lazy("Record the supplements"),
    Action.APPROVE: _lazy("Approve"),
    Action.REFUSE: _lazy("Refuse"),
    Action.RECORD_RESULT: _lazy("Record the result"),
    Action.RETURN_RESULT: _lazy("Return the result"),
    Action.CONFIRM_RECEIPT: _lazy("Confirm the applicant received the result"),
    Action.WITHDRAW: _lazy("Withdraw at the applicant's request"),
    Action.APOLOGIZE: _lazy("Apologise and set a new date"),
}
# The main way forward is a primary button; actions that stop or delay the dossier are marked.
_PRIMARY = {Action.PAY, Action.FORWARD, Action.APPROVE, Action.RECORD_RESULT, Action.RETURN_RESULT}
_DANGER = {Action.REFUSE, Action.WITHDRAW}


def _action_done_message(action: Action, dossier) -> str:
    texts = {
        Action.PAY: _("The payment was recorded."),
        Action.FORWARD: _("Forwarded to %(name)s."),
        Action.SEND_BACK: _("Sent back to %(name)s."),
        Action.REQUEST_SUPPLEMENT: _("Supplements requested: the clock is paused."),
        Action.SUPPLEMENT: _("Supplements recorded: the clock runs again."),
        Action.APPROVE: _("Approved."),
        Action.REFUSE: _("The dossier was refused and stopped."),
        Action.RECORD_RESULT: _("The result was recorded."),
        Action.RETURN_RESULT: _("The result was returned."),
        Action.CONFIRM_RECEIPT: _("The applicant's receipt of the result was recorded."),
        Action.WITHDRAW: _("The dossier was withdrawn."),
        Action.APOLOGIZE: _("The apology and the new date were recorded."),
    }
    assignee = dossier.current_assignee
    name = (assignee.full_name or assignee.username) if assignee else "—"
    return texts[action] % {"name": name} if "%(name)s" in texts[action] else texts[action]


def _legal_time(dossier) -> str:
    amount = dossier.legal_amount
    if dossier.legal_unit == TimeLimitUnit.SAME_DAY:
        return _("Same day")
    if dossier.legal_unit == TimeLimitUnit.WORKING_HOURS:
        return ngettext("%(n)d working hour", "%(n)d working hours", amount) % {"n": amount}
    return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}


def _document_links(dossier, has_apology: bool) -> list[SimpleNamespace]:
    links = [
        SimpleNamespace(
            label=_("Print the receipt (Form 01)"), url=address("dossiers:receipt_pdf", dossier.code)
        ),
        SimpleNamespace(label=_("Control slip"), url=address("dossiers:control_slip_pdf", dossier.code)),
    ]
    if has_apology:
        links.insert(
            1, SimpleNamespace(label=_("Apology letter"), url=address("dossiers:apology_pdf", dossier.code))
        )
    return links


def _shown(action: Action, dossier, moves, has_apology: bool) -> bool:
    """Hide actions whose service would refuse for a reason visible on the page already."""
    if action == Action.FORWARD:
        return moves.has_next
    if action == Action.SEND_BACK:
        return moves.has_previous
    if action == Action.RECORD_RESULT:
        return dossier.approved_at is not None
    if action == Action.APOLOGIZE:
        return not has_apology
    if action == Action.CONFIRM_RECEIPT:
        return dossier.receipt_confirmed_at is None
    return True


def _history(dossier, steps_by_id) -> list[dict]:
    rows = []
    for event in dossier.events.all():
        step = steps_by_id.get(event.step_id)
        to = ""
        if event.kind in ("forwarded", "sent_back", "approved") and step and step.assignee:
            to = step.assignee.full_name or step.assignee.username
        rows.append(
            {
                "at": local_moment(event.at),
                "label": event.get_kind_display(),
                "actor": (event.actor.full_name or event.actor.username) if event.actor else "",
                "to": to,
                "step": step.name if step else "",
                "note": event.note,
                "status": DossierStatus(event.to_status).label if event.to_status else "",
                "changed": event.from_status is not None and event.from_status != event.to_status,
            }
        )
    return rows


# The rendered record of a dossier version stays this long: a working session on one dossier.
RECORD_CACHE_SECONDS = 30 * 60


def _dossier_record(dossier, *, show_id: bool) -> dict:
    """The dossier's facts and record as HTML, and whether it has an apology letter.

    Every change to a dossier is a service that writes an event and a new `version`
    (services/common.record), so the version names the record; the language, the due state (which
    moves with the clock) and whether the full identification number is shown complete the key.
    A miss loads the record (selectors.with_record: seven queries) and renders it; a hit costs one
    cache read. Names of people and procedures edited since show at the next version, or after
    RECORD_CACHE_SECONDS."""
    key = (
        f"dossiers:record:{dossier.pk}:{dossier.version}:{get_language()}:{dossier.due_state}:{int(show_id)}"
    )
    record = cache.get(key)
    if record is None:
        selectors.with_record(dossier)
        # Rendered without a request: `_` is bound here, as the context processor does for pages.
        context = _record_context(dossier, show_id=show_id) | translations(None)
        record = {
            "facts": render_to_string("dossiers/_dossier_facts.html", context, using="jinja2"),
            "sheet": render_to_string("dossiers/_dossier_record.html", context, using="jinja2"),
            "has_apology": dossier.has_apology,
        }
        cache.set(key, record, RECORD_CACHE_SECONDS)
    return {
        "facts": mark_safe(record["facts"]),  # noqa: S308 - rendered by our escaping templates above
        "sheet": mark_safe(record["sheet"]),  # noqa: S308
        "has_apology": record["has_apology"],
    }


def _record_context(dossier, *, show_id: bool) -> dict:
    steps = list(dossier.steps.all())
    steps_by_id = {s.pk: s for s in steps}
    files = list(dossier.files.all())
    component_files = {}
    for f in files:
        if f.kind == FileKind.COMPONENT and f.component_id:
            component_files.setdefault(f.component_id, []).append(f)
    components = [{"row": c, "files": component_files.get(c.pk, [])} for c in dossier.components.all()]
    other_files = [f for f in files if not (f.kind == FileKind.COMPONENT and f.component_id)]
    payments = list(dossier.payments.all())
    slip_rows = selectors.control_slip_rows(dossier)
    for row in slip_rows:
        step = row["step"]
        row["assignee"] = step.assignee.full_name if step.assignee else ""
        row["started"], row["due"] = local_moment(step.started_at), local_moment(step.due_at)
        row["finished"] = local_moment(step.finished_at)
        if row["outcome"]:
            row["label"] = DueState(row["outcome"]).label
            row["badge"] = DUE_BADGES.get(row["outcome"], "text-bg-light")
    return {
        "dossier": dossier,
        "masked_id": mask_id_number(dossier.applicant_id_number),
        "legal_time": _legal_time(dossier),
        "due_badge": DUE_BADGES.get(dossier.due_state, "text-bg-light"),
        "due_label": DueState(dossier.due_state).label,
        "show_id": show_id,
        "components": components,
        "other_files": other_files,
        "slip_rows": slip_rows,
        "history": _history(dossier, steps_by_id),
        "fee_lines": list(dossier.fee_lines.all()),
        "payments": payments,
        "supplement_requests": list(dossier.supplement_requests.all()),
        "labels": row_labels(),
    }


def _draw_action_fields(dossier, moves, actions) -> None:
    """Set each action's `fields`: its form's fields drawn by _action_fields.html.

    An unbound action form draws the same for every official who may take the action, until the
    dossier changes: its version, the next step's candidates and the procedure's result kind are
    all it shows of the dossier. Drawn once then (one cache read for all of them: the forms cost
    ~0.9 ms of an officer's dossier page); a form with the official's input and errors is drawn
    every time."""
    unbound = []
    for a in actions:
        if a.form.is_bound:
            a.fields = _drawn_fields(a.form)
        else:
            unbound.append(a)
    if not unbound:
        return
    people = ";".join(f"{u.pk}:{u.full_name or u.username}" for u in moves.candidates)
    shown = f"{moves.next_name}|{people}|{dossier.procedure.result_kind}"
    digest = hashlib.blake2b(shown.encode(), digest_size=8).hexdigest()
    key = f"dossiers:action-fields:{dossier.pk}:{dossier.version}:{get_language()}:{digest}"
    drawn = cache.get(key) or {}
    missing = [a for a in unbound if a.action.value not in drawn]
    for a in missing:
        drawn[a.action.value] = _drawn_fields(a.form)
    if missing:
        cache.set(key, drawn, RECORD_CACHE_SECONDS)
    for a in unbound:
        a.fields = mark_safe(drawn[a.action.value])  # noqa: S308 - rendered by our escaping template


def _drawn_fields(form) -> str:
    return mark_safe(render_to_string("dossiers/_action_fields.html", {"form": form}, using="jinja2"))  # noqa: S308


def _detail_context(request, dossier, *, bound=None, flash=None, sign_form=None) -> dict:
    user = request.user
    dossier = selectors.with_due_states([dossier])[0]
    record = _dossier_record(dossier, show_id=has_perm(user, perms.CITIZEN_VIEW, dossier.org_unit))
    moves = selectors.step_moves(dossier) if dossier.is_open else selectors.StepMoves()
    has_apology = record["has_apology"]
    actions = []
    for action in workflow.actions_from(dossier.status):
        if not can_act(user, dossier, action) or not _shown(action, dossier, moves, has_apology):
            continue
        if bound is not None and bound.prefix == action.value:
            form = bound
        else:
            form = action_form(action, dossier=dossier, moves=moves)
        actions.append(
            SimpleNamespace(
                action=action,
                slug=action.value.replace("_", "-"),
                label=ACTION_LABELS[action],
                form=form,
                open=form is bound,
                style="primary" if action in _PRIMARY else ("danger" if action in _DANGER else "secondary"),
                multipart=action in (Action.SUPPLEMENT, Action.RECORD_RESULT),
            )
        )
    _draw_action_fields(dossier, moves, actions)
    placed = any(a.open for a in actions)
    flash = list(flash or [])
    if bound is not None and not placed:
        # The action is no longer on offer (the status moved on): its message goes to the top.
        flash += [("danger", str(e)) for e in bound.non_field_errors()]
    return {
        "dossier": dossier,
        "record": record,
        "can_receive": has_perm(user, perms.DOSSIER_RECEIVE),
        "documents": _document_links(dossier, has_apology),
        "due_badge": DUE_BADGES.get(dossier.due_state, "text-bg-light"),
        "due_label": DueState(dossier.due_state).label,
        "actions": actions,
        "sign_form": sign_form
        or (
            SignResultForm(dossier=dossier, prefix="sign_result") if _can_sign_result(user, dossier) else None
        ),
        "flash": flash,
    }


def _render_detail(request, dossier, *, status=200, bound=None, flash=None, sign_form=None):
    context = _detail_context(request, dossier, bound=bound, flash=flash, sign_form=sign_form)
    if _is_partial(request):
        return render(request, "dossiers/_dossier_panel.html", context, status=status, using="jinja2")
    return render(request, "dossiers/dossier_detail.html", context, status=status, using="jinja2")


@require_GET
def dossier_detail(request, code: str):
    _require_dossier_official(request.user)
    dossier = selectors.dossier_for_page(user=request.user, code=code)
    _record_view(request, dossier, "dossier.page")
    return _render_detail(request, dossier)


def _record_view(request, dossier, what: str, subject=None, label: str = "") -> None:
    """The applicant's personal data was shown to this official (personal-data law)."""
    personal_data_access_record(
        actor=request.user,
        what=what,
        subject=subject or dossier,
        org_unit=dossier.org_unit,
        label=label or dossier.code,
    )


def _run_action(action: Action, *, dossier, actor, data: dict):
    common = {"dossier": dossier, "actor": actor, "version": data["version"]}
    if action == Action.PAY:
        return processing.dossier_pay(**common, receipt_number=data["receipt_number"])
    if action == Action.FORWARD:
        return processing.dossier_forward(**common, note=data.get("note", ""), assignee=data.get("assignee"))
    if action == Action.SEND_BACK:
        return processing.dossier_send_back(**common, reason=data["reason"])
    if action == Action.REQUEST_SUPPLEMENT:
        return processing.dossier_request_supplement(**common, items=data["items"], reason=data["reason"])
    if action == Action.SUPPLEMENT:
        return processing.dossier_supplement(
            **common, files=data.get("files") or [], note=data.get("note", "")
        )
    if action == Action.APPROVE:
        return processing.dossier_approve(**common, note=data.get("note", ""))
    if action == Action.REFUSE:
        return processing.dossier_refuse(**common, reason=data["reason"])
    if action == Action.RECORD_RESULT:
        return processing.dossier_record_result(
            **common, result_file=data.get("result_file"), note=data.get("note", "")
        )
    if action == Action.RETURN_RESULT:
        return processing.dossier_return_result(**common, method=data["method"])
    if action == Action.CONFIRM_RECEIPT:
        return processing.dossier_confirm_receipt(**common)
    if action == Action.WITHDRAW:
        return processing.dossier_withdraw(**common, reason=data["reason"])
    if action == Action.APOLOGIZE:
        return processing.dossier_apologize(**common, reason=data["reason"], new_due_at=data["new_due_at"])
    raise Http404


@require_POST
def dossier_act(request, code: str, action: str):
    """Run one action on the dossier. A stale version is a conflict: nothing changes, and the
    officer sees the current state with a message saying so."""
    _require_dossier_official(request.user)
    action = ACTION_SLUGS.get(action)
    if action is None:
        raise Http404
    user = request.user
    dossier = selectors.dossier_detail(user=user, code=code)
    if not can_act(user, dossier, action):
        flash = [("danger", _("You cannot do this on this dossier."))]
        return _render_detail(request, dossier, status=403, flash=flash)
    moves = selectors.step_moves(dossier) if action == Action.FORWARD else None
    form = action_form(action, dossier=dossier, moves=moves, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _render_detail(request, dossier, status=400, bound=form)
    try:
        _run_action(action, dossier=dossier, actor=user, data=form.cleaned_data)
    except DossierConflict:
        text = _(
            "Someone else acted on this dossier first. Here is its current state: check it and try again."
        )
        fresh = selectors.dossier_detail(user=user, code=code)
        if _is_partial(request):
            return _render_detail(request, fresh, status=409, flash=[("warning", text)])
        messages.warning(request, text)
        return redirect("dossiers:detail", code=code)
    except DomainError as exc:
        form.add_error(None, exc.detail)
        fresh = selectors.dossier_detail(user=user, code=code)
        return _render_detail(request, fresh, status=exc.status, bound=form)
    fresh = selectors.dossier_detail(user=user, code=code)
    text = _action_done_message(action, fresh)
    if _is_partial(request):
        return _render_detail(request, fresh, flash=[("success", text)])
    messages.success(request, text)
    return redirect("dossiers:detail", code=code)


def _can_sign_result(user, dossier) -> bool:
    """The approving leader, while the document result is not recorded nor already signed."""
    return (
        dossier.approved_by_id == user.pk
        and dossier.processed_at is None
        and dossier.procedure.result_kind == "document"
        and not any(f.kind == FileKind.RESULT for f in dossier.files.all())
    )


@require_POST
def dossier_sign_result(request, code: str):
    """The approving leader signs the result document (TOTP confirmed); the agency seal follows in
    a background signing job, and the signed file joins the dossier as its result."""
    _require_dossier_official(request.user)
    user = request.user
    dossier = selectors.dossier_detail(user=user, code=code)
    if not _can_sign_result(user, dossier):
        return _render_detail(
            request, dossier, status=403, flash=[("danger", _("You cannot do this on this dossier."))]
        )
    form = SignResultForm(request.POST, request.FILES, dossier=dossier, prefix="sign_result")
    if not form.is_valid():
        return _render_detail(request, dossier, status=400, sign_form=form)
    try:
        result_signing.dossier_result_sign(
            dossier=dossier,
            actor=user,
            version=form.cleaned_data["version"],
            result_file=form.cleaned_data["result_file"],
            otp_token=form.cleaned_data["otp_token"],
        )
    except DomainError as exc:
        form.add_error(None, exc.detail)
        fresh = selectors.dossier_detail(user=user, code=code)
        return _render_detail(request, fresh, status=exc.status, sign_form=form)
    messages.success(
        request, _("The result is being signed. The signed file appears among the files when it is done.")
    )
    return redirect("dossiers:detail", code=code)


@require_GET
def dossier_file(request, code: str, public_id):
    """A stored scan or result, as an attachment: only to officials who may see the dossier."""
    _require_dossier_official(request.user)
    stored = selectors.dossier_file(user=request.user, code=code, public_id=public_id)
    _record_view(
        request, stored.dossier, "dossier.file", subject=stored, label=f"{code} · {stored.original_name}"
    )
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


# --- worklists -------------------------------------------------------------------------------------


def _tabs(user) -> dict:
    """Which of the one-stop tabs (dossiers/_nav.html) this official gets beyond the lists."""
    return {
        "can_receive": has_perm(user, perms.DOSSIER_RECEIVE),
        "can_review": selectors.can_review_feedback(user),
    }


def _list_context(request, queryset, *, first_page=None, **extra) -> dict:
    """A page of dossiers (listing.ListRow) for dossiers/dossier_list.html, and the one-stop tabs.
    `first_page`: a quicker read of the first page's rows (core.pagination.page_of); `queryset`
    may then be a function, called only when that page does not hold the whole list."""

    def values():
        return (queryset() if callable(queryset) else queryset).values_list(*LIST_VALUES)

    page = page_of(values, request.GET.get("page"), PAGE_SIZE, first_page=first_page)
    page.object_list = list_rows(page.object_list)
    count = page.paginator.count
    return {
        "page": page,
        "count_label": ngettext("%(counter)s dossier", "%(counter)s dossiers", count) % {"counter": count},
        "page_label": _("Page %(number)s of %(total)s")
        % {"number": page.number, "total": page.paginator.num_pages},
        "labels": row_labels(),
        **_tabs(request.user),
        **extra,
    }


def _render_list(request, context, *, status=200):
    return render(request, "dossiers/dossier_list.html", context, status=status, using="jinja2")


@require_GET
def dossier_list(request):
    """The unit's dossiers, filtered."""
    _require_dossier_official(request.user)
    form = DossierFilterForm(request.GET)
    filters = form.to_filters() if form.is_valid() else DossierFilters()
    queryset = selectors.dossier_list(user=request.user, filters=filters)
    context = _list_context(request, queryset, form=form, title=_("The unit's dossiers"), list_kind="all")
    return _render_list(request, context, status=200 if form.is_valid() else 400)


@require_GET
def my_worklist(request):
    """The dossiers waiting for me, due soonest first."""
    _require_dossier_official(request.user)
    user = request.user
    context = _list_context(
        request,
        lambda: selectors.my_worklist(user=user),
        first_page=lambda: selectors.my_worklist_first_page(user=user),
        title=_("My dossiers"),
        list_kind="mine",
    )
    return _render_list(request, context)


@require_GET
def overdue_list(request):
    """Open dossiers past their due moment, most overdue first."""
    _require_dossier_official(request.user)
    filters = DossierFilters(due_state=DueState.OVERDUE)
    queryset = selectors.dossier_list(user=request.user, filters=filters).order_by("due_at", "pk")
    context = _list_context(request, queryset, title=_("Overdue dossiers"), list_kind="overdue")
    return _render_list(request, context)


@require_GET
def feedback_list(request):
    """What applicants said about the unit's service: feedback, complaints, dissatisfied ratings."""
    _require_dossier_official(request.user)
    if not selectors.can_review_feedback(request.user):
        raise Http404
    page = Paginator(selectors.feedback_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "ratings": selectors.rating_summary(user=request.user), **_tabs(request.user)}
    return render(request, "dossiers/feedback_list.html", context)


# --- the ledger (sổ theo dõi hồ sơ) ------------------------------------------------------------------


@require_GET
def ledger_xlsx(request):
    """The ledger of the user's units for a period (?from=YYYY-MM-DD&to=YYYY-MM-DD), as Excel."""
    _require_dossier_official(request.user)
    form = LedgerForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    rows = selectors.ledger_rows(user=request.user, received_from=start, received_to=end)
    title = _("Dossier ledger from %(start)s to %(end)s") % {
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
    }
    response = HttpResponse(
        printing.ledger_workbook(rows.iterator(chunk_size=2000), title=title),
        content_type=printing.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response


# --- printed forms (issued through the documents service) -------------------------------------------


def _pdf_response(document, *, filename: str) -> FileResponse:
    # Inline: the browser opens its PDF viewer, from which the officer prints.
    response = FileResponse(document.file.open("rb"), content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _dossier_pdf(request, code: str, kind: str, filename: str):
    _require_dossier_official(request.user)
    dossier = selectors.dossier_detail(user=request.user, code=code)
    if kind == DocumentKind.APOLOGY and not dossier.has_apology:
        raise Http404
    document = printing.dossier_document(actor=request.user, dossier=dossier, kind=kind)
    _record_view(request, dossier, f"dossier.{kind}")
    return _pdf_response(document, filename=f"{filename}-{dossier.code}.pdf")


@require_GET
def dossier_receipt_pdf(request, code: str):
    """Form 01, the receipt and appointment slip."""
    return _dossier_pdf(request, code, DocumentKind.RECEIPT, "giay-tiep-nhan")


@require_GET
def dossier_apology_pdf(request, code: str):
    """The apology and new appointment letter (404 until one was given)."""
    return _dossier_pdf(request, code, DocumentKind.APOLOGY, "phieu-xin-loi")


@require_GET
def dossier_control_slip_pdf(request, code: str):
    """The processing control slip, as the dossier stands now."""
    return _dossier_pdf(request, code, DocumentKind.CONTROL_SLIP, "phieu-kiem-soat")


@require_GET
def notice_pdf(request, pk: int):
    """Form 02 or Form 03 given at the counter."""
    notice = selectors.access_notice(user=request.user, pk=pk)
    document = printing.notice_document(actor=request.user, notice=notice)
    name = "phieu-yeu-cau-bo-sung" if notice.kind == NoticeKind.SUPPLEMENT else "phieu-tu-choi"
    return _pdf_response(document, filename=f"{name}-{notice.pk}.pdf")


@require_GET
def ledger_pdf(request):
    """The ledger of the official's own unit for a period (?from=&to=), as the printed form."""
    _require_dossier_official(request.user)
    unit = primary_unit(request.user)
    if unit is None:
        raise Http404
    form = LedgerForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    rows = selectors.ledger_rows(user=request.user, received_from=start, received_to=end).filter(
        org_unit__path__startswith=unit.path
    )
    document = printing.ledger_document(
        actor=request.user, unit=unit, rows=rows.select_related("procedure__field"), start=start, end=end
    )
    return _pdf_response(document, filename=f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


@require_POST
def receipts_pdf(request):
    """The receipts of the dossiers ticked on a list, in one PDF to print at once."""
    _require_dossier_official(request.user)
    codes = request.POST.getlist("codes")[:PAGE_SIZE]
    dossiers = selectors.receipt_batch(user=request.user, codes=codes)
    if not dossiers:
        messages.warning(request, _("Tick the dossiers whose receipts you want to print."))
        return redirect(
            request.POST.get("back")
            if request.POST.get("back", "").startswith("/dossiers/")
            else "dossiers:list"
        )
    documents = [
        printing.dossier_document(actor=request.user, dossier=d, kind=DocumentKind.RECEIPT) for d in dossiers
    ]
    response = HttpResponse(printing.combined_pdf(documents), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="giay-tiep-nhan.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
