"""The citizen portal: public catalog and lookup (no sign-in), and a citizen's own dossiers.

Views parse, authorize, call a dossiers service or a selector, and render. Every flow works with
plain forms and links (no JavaScript needed); out-of-scope objects answer 404.
"""

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc.errors import JoseError

from smartcommune.core.errors import DomainError
from smartcommune.directory.services import (
    IdentityMismatch,
    SignUpRefused,
    citizen_sign_in_external,
    signup_confirm,
    signup_start,
)
from smartcommune.documents.choices import DocumentKind
from smartcommune.dossiers import printing
from smartcommune.dossiers.choices import DossierStatus, FileKind
from smartcommune.dossiers.errors import DossierConflict
from smartcommune.dossiers.models import Rating
from smartcommune.dossiers.selectors import role_holders
from smartcommune.dossiers.services import online, processing
from smartcommune.dossiers.workflow import Action
from smartcommune.notifications.services import Recipient, notify

from . import oidc, policies, selectors
from .forms import (
    ConfirmForm,
    DraftForm,
    FeedbackForm,
    LookupForm,
    OnBehalfForm,
    ProcedureSearchForm,
    RatingForm,
    SignUpCodeForm,
    SignUpForm,
    SupplementForm,
    WithdrawForm,
)

PAGE_SIZE = 20
log = logging.getLogger(__name__)

# What each status means, in plain words, with the official term beside it (DOMAIN.md §1.7).
PLAIN_STATUS = {
    DossierStatus.NEW_ONLINE: gettext_lazy("Sent online, waiting for the office"),
    DossierStatus.RECEIVED: gettext_lazy("Received by the office"),
    DossierStatus.NOT_RECEIVED: gettext_lazy("Not accepted by the office"),
    DossierStatus.PROCESSING: gettext_lazy("Being worked on"),
    DossierStatus.SUPPLEMENT_REQUESTED: gettext_lazy("The office needs more papers from you"),
    DossierStatus.AWAITING_PAYMENT: gettext_lazy("Waiting for you to pay the fee"),
    DossierStatus.WITHDRAWN: gettext_lazy("Withdrawn at your request"),
    DossierStatus.STOPPED: gettext_lazy("Stopped by the office"),
    DossierStatus.PROCESSED: gettext_lazy("Result ready"),
    DossierStatus.RETURNED: gettext_lazy("Result handed over"),
}


def plain_status(status: int) -> str:
    return str(PLAIN_STATUS.get(status, ""))


def _client_address(request) -> str:
    """The visitor's address as django-axes reads it: X-Forwarded-For first only behind a trusted
    proxy (DJANGO_BEHIND_PROXY), else REMOTE_ADDR; otherwise every visitor would share the proxy's."""
    for key in settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        value = request.META.get(key, "")
        if value:
            return value.split(",")[0].strip()
    return ""


# --- public pages ------------------------------------------------------------------------------------


@login_not_required
@require_GET
def index(request):
    form = ProcedureSearchForm()
    return render(
        request,
        "portal/index.html",
        {"form": form, "events": selectors.life_event_choices()},
    )


@login_not_required
@require_GET
def procedure_list(request):
    form = ProcedureSearchForm(request.GET)
    procedures = selectors.procedure_browse(**form.filters())
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v})
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "portal/procedure_list.html", {"form": form, "page": page, "query": query}, status=status
    )


@login_not_required
@require_GET
def procedure_detail(request, code: str):
    procedure = selectors.procedure_page(code)
    unit = selectors.home_commune(request.user) if request.user.is_authenticated else None
    context = {
        "procedure": procedure,
        "components": procedure.components.all(),
        "fees": selectors.fees_in_force(procedure),
        "expected": selectors.expected_return(procedure, unit=unit),
        "can_submit": procedure.online_level != "none",
        "can_submit_for_others": policies.can_submit_for_others(request.user),
    }
    return render(request, "portal/procedure_detail.html", context)


@login_not_required
@require_GET
def blank_form(request, code: str, pk: int):
    procedure = selectors.procedure_page(code)
    component = next((c for c in procedure.components.all() if c.pk == pk and c.blank_form), None)
    if component is None:
        raise Http404
    response = FileResponse(component.blank_form.open("rb"), as_attachment=True)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request):
    """Public lookup by dossier code and a second factor. Unknown code and wrong factor get the
    same answer; tries are counted per visitor and per code (online.dossier_public_lookup)."""
    if request.method == "POST":
        form = LookupForm(request.POST)
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")[:40]})
    context = {"form": form, "dossier": None, "not_found": False}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                dossier = online.dossier_public_lookup(
                    code=form.cleaned_data["code"],
                    factor=form.cleaned_data["factor"],
                    client=online.client_key(_client_address(request)),
                )
            except online.LookupThrottled as exc:
                context["throttled"] = exc.detail
                status = 429
            else:
                if dossier is None:
                    context["not_found"] = True
                    status = 404
                else:
                    context["dossier"] = dossier
                    context["plain_status"] = plain_status(dossier.status)
    response = render(request, "portal/lookup.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


# --- a citizen's own dossiers --------------------------------------------------------------------


@require_GET
def my_dossiers(request):
    policies.require_citizen(request.user)
    page = Paginator(selectors.my_dossier_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for dossier in page:
        dossier.plain_status = plain_status(dossier.status)
    drafts = list(selectors.my_draft_list(user=request.user)[:20])
    return render(request, "portal/my_dossiers.html", {"page": page, "drafts": drafts})


def _dossier_context(request, dossier, **forms) -> dict:
    rated = Rating.objects.filter(dossier=dossier).first()
    results = [f for f in dossier.files.all() if f.kind == FileKind.RESULT]
    open_request = next((r for r in dossier.supplement_requests.all() if r.completed_at is None), None)
    history = [
        {
            "at": e.at,
            "label": e.get_kind_display(),
            "status": plain_status(e.to_status) if e.to_status else "",
        }
        for e in dossier.events.all()
    ]
    return {
        "dossier": dossier,
        "plain_status": plain_status(dossier.status),
        "history": history,
        "open_request": open_request,
        "results": results if policies.result_ready(dossier) else [],
        "my_files": [f for f in dossier.files.all() if f.kind != FileKind.RESULT],
        "rating": rated,
        "can_supplement": policies.can_applicant(dossier, Action.SUPPLEMENT),
        "can_withdraw": policies.can_applicant(dossier, Action.WITHDRAW),
        "can_confirm": policies.can_applicant(dossier, Action.CONFIRM_RECEIPT),
        "can_rate": policies.can_rate(dossier, rated=rated is not None),
        "supplement_form": forms.get("supplement") or SupplementForm(initial={"version": dossier.version}),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(initial={"version": dossier.version}),
        "confirm_form": ConfirmForm(initial={"version": dossier.version}),
        "rating_form": forms.get("rating") or RatingForm(),
        "feedback_form": forms.get("feedback") or FeedbackForm(),
    }


def _render_dossier(request, code, *, status=200, **forms):
    dossier = selectors.my_dossier_detail(user=request.user, code=code)
    return render(
        request, "portal/my_dossier_detail.html", _dossier_context(request, dossier, **forms), status=status
    )


@require_GET
def my_dossier(request, code: str):
    policies.require_citizen(request.user)
    return _render_dossier(request, code)


@require_GET
def my_dossier_file(request, code: str, public_id):
    """A file of the citizen's own dossier: what they sent, and the e-result once it is ready."""
    policies.require_citizen(request.user)
    stored = selectors.my_dossier_file(user=request.user, code=code, public_id=public_id)
    if stored.kind == FileKind.RESULT and not policies.result_ready(stored.dossier):
        raise Http404
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def my_receipt(request, code: str):
    """The receipt (Form 01) of the citizen's own dossier, with its QR code to the lookup page."""
    policies.require_citizen(request.user)
    dossier = selectors.my_dossier_detail(user=request.user, code=code)
    if dossier.status in (DossierStatus.NEW_ONLINE, DossierStatus.NOT_RECEIVED):
        raise Http404
    document = printing.dossier_document(actor=request.user, dossier=dossier, kind=DocumentKind.RECEIPT)
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=f"giay-tiep-nhan-{dossier.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


_ACTIONS = {
    "supplement": (
        Action.SUPPLEMENT,
        SupplementForm,
        gettext_lazy("Thank you: your papers were sent and the clock runs again."),
    ),
    "withdraw": (Action.WITHDRAW, WithdrawForm, gettext_lazy("Your dossier was withdrawn.")),
    "confirm": (
        Action.CONFIRM_RECEIPT,
        ConfirmForm,
        gettext_lazy("Thank you for confirming that you received the result."),
    ),
}


@require_POST
def my_dossier_act(request, code: str, action: str):
    """Supplement, withdraw or confirm receipt. A stale page is a conflict: nothing changes."""
    policies.require_citizen(request.user)
    if action not in _ACTIONS:
        raise Http404
    workflow_action, form_class, done = _ACTIONS[action]
    dossier = selectors.my_dossier_detail(user=request.user, code=code)
    form = form_class(request.POST, request.FILES)
    if not policies.can_applicant(dossier, workflow_action):
        messages.error(request, _("This is not possible in the dossier's current status."))
        return _render_dossier(request, code, status=409)
    if not form.is_valid():
        return _render_dossier(request, code, status=400, **{action: form})
    data, common = (
        form.cleaned_data,
        {"dossier": dossier, "actor": request.user, "version": form.cleaned_data["version"]},
    )
    try:
        if workflow_action == Action.SUPPLEMENT:
            processing.dossier_supplement(**common, files=[data["files"]], note=data.get("note", ""))
        elif workflow_action == Action.WITHDRAW:
            processing.dossier_withdraw(**common, reason=data["reason"])
        else:
            processing.dossier_confirm_receipt(**common)
    except DossierConflict:
        messages.warning(request, _("Your dossier changed in the meantime. Here is its current state."))
        return redirect("portal:my_dossier", code=code)
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return _render_dossier(request, code, status=exc.status, **{action: form})
    messages.success(request, str(done))
    return redirect("portal:my_dossier", code=code)


@require_POST
def my_dossier_rate(request, code: str):
    policies.require_citizen(request.user)
    dossier = selectors.my_dossier_detail(user=request.user, code=code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, code, status=400, rating=form)
    try:
        online.dossier_rate(
            dossier=dossier,
            actor=request.user,
            satisfied=form.cleaned_data["satisfied"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return _render_dossier(request, code, status=exc.status, rating=form)
    messages.success(request, _("Thank you for your rating."))
    return redirect("portal:my_dossier", code=code)


@require_POST
def my_dossier_feedback(request, code: str):
    policies.require_citizen(request.user)
    dossier = selectors.my_dossier_detail(user=request.user, code=code)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, code, status=400, feedback=form)
    try:
        online.dossier_feedback_send(
            dossier=dossier,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            leaders=list(role_holders("commune_leader", dossier.org_unit)),
        )
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return _render_dossier(request, code, status=exc.status, feedback=form)
    messages.success(request, _("Your message was sent to the commune's leaders."))
    return redirect("portal:my_dossier", code=code)


# --- online submission ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def draft_start_for(request, code: str):
    """Send a dossier for someone else (a relative, or as a community team member), with their consent."""
    policies.require_submitter(request.user)
    procedure = selectors.procedure_page(code)
    form = OnBehalfForm(request.POST or None)
    context = {"procedure": procedure, "form": form}
    if request.method != "POST":
        return render(request, "portal/on_behalf.html", context)
    if not form.is_valid():
        return render(request, "portal/on_behalf.html", context, status=400)
    data = form.cleaned_data
    try:
        draft = online.draft_start_on_behalf(
            actor=request.user,
            procedure=procedure,
            org_unit=selectors.home_commune(request.user),
            personal_id=data["personal_id"],
            full_name=data["full_name"],
            date_of_birth=data["date_of_birth"],
            phone=data["phone"],
            relation=data["relation"],
            consent_method=data["consent_method"],
        )
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return render(request, "portal/on_behalf.html", context, status=exc.status)
    except ValidationError as exc:
        form.add_error(None, exc.messages[0])
        return render(request, "portal/on_behalf.html", context, status=400)
    return redirect("portal:draft", public_id=draft.public_id)


@require_POST
def draft_start(request, code: str):
    policies.require_citizen(request.user)
    procedure = selectors.procedure_page(code)
    try:
        draft = online.draft_start(
            actor=request.user, procedure=procedure, org_unit=selectors.home_commune(request.user)
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("portal:procedure", code=code)
    return redirect("portal:draft", public_id=draft.public_id)


def _draft_context(draft, form) -> dict:
    files_by_component = {}
    for f in draft.files.all():
        files_by_component.setdefault(f.component_id, []).append(f)
    rows = [
        {
            "component": c,
            "field": form[f"file_{c.pk}"],
            "reuse": form[f"reuse_{c.pk}"] if f"reuse_{c.pk}" in form.fields else None,
            "files": files_by_component.get(c.pk, []),
        }
        for c in form.components
    ]
    return {"draft": draft, "form": form, "rows": rows}


def _after_submit(draft):
    """The applicant follows their own dossier; a helper gets the lookup page with the code."""
    if draft.applicant_id is None:
        return redirect("portal:my_dossier", code=draft.dossier.code)
    return redirect(f"{reverse('portal:lookup')}?{urlencode({'code': draft.dossier.code})}")


@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request, public_id):
    """Fill the e-form: office, files per component. "Save" keeps a draft; "Submit" sends it."""
    policies.require_submitter(request.user)
    draft = selectors.my_draft(user=request.user, public_id=public_id)
    if draft.dossier_id:
        return _after_submit(draft)
    components = list(draft.procedure.components.all())
    # The repository is the applicant's own: someone helping does not see it.
    repository = selectors.my_repository_files(user=request.user) if draft.applicant_id is None else []
    if request.method != "POST":
        form = DraftForm(
            initial={"org_unit": draft.org_unit, "note": draft.note},
            components=components,
            repository=repository,
        )
        return render(request, "portal/draft_form.html", _draft_context(draft, form))
    form = DraftForm(request.POST, request.FILES, components=components, repository=repository)
    if not form.is_valid():
        return render(request, "portal/draft_form.html", _draft_context(draft, form), status=400)
    remove = [int(v) for v in request.POST.getlist("remove") if v.isdigit()][:50]
    # Saving and submitting are two transactions: a refused submit keeps what was saved.
    try:
        online.draft_save(
            actor=request.user,
            draft=draft,
            org_unit=form.cleaned_data["org_unit"],
            note=form.cleaned_data["note"],
            uploads=form.uploads(request.FILES),
            reuse=form.reused(),
            remove=remove,
        )
        if "submit" in request.POST:
            dossier = online.draft_submit(actor=request.user, draft=draft)
    except DomainError as exc:
        form.add_error(None, exc.detail)
        draft = selectors.my_draft(user=request.user, public_id=public_id)
        return render(request, "portal/draft_form.html", _draft_context(draft, form), status=exc.status)
    if "submit" in request.POST:
        messages.success(
            request, _("Your dossier was submitted. Its code is %(code)s.") % {"code": dossier.code}
        )
        draft.dossier = dossier
        return _after_submit(draft)
    messages.success(request, _("Your draft was saved. You can come back to it from “My dossiers”."))
    return redirect("portal:draft", public_id=draft.public_id)


# --- sign-in ---------------------------------------------------------------------------------------


def _safe_next(request) -> str:
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("portal:my_dossiers")


@login_not_required
@require_GET
def sign_in(request):
    """Choose how to sign in: the national identity provider (if configured) or a local account."""
    next_url = _safe_next(request)
    return render(
        request,
        "portal/sign_in.html",
        {
            "next": next_url,
            "oidc_enabled": oidc.enabled(),
            "provider_name": oidc.config()["PROVIDER_NAME"],
        },
    )


@login_not_required
@require_GET
def oidc_start(request):
    """Send the browser to the provider (authorization-code flow; state and nonce kept in the session)."""
    if not oidc.enabled():
        raise Http404
    request.session["portal_next"] = _safe_next(request)
    redirect_uri = request.build_absolute_uri(reverse("portal:oidc_callback"))
    acr = oidc.config()["ACR_VALUES"]
    return oidc.client().authorize_redirect(request, redirect_uri, **({"acr_values": acr} if acr else {}))


def _sign_in_failed(request, reason: str):
    context = {"reason": reason, "provider_name": oidc.config()["PROVIDER_NAME"]}
    return render(request, "portal/sign_in_failed.html", context, status=400)


@login_not_required
@require_GET
def oidc_callback(request):
    """Back from the provider: check state, token and ID token, read the personal number from
    userinfo, and sign the citizen in (their account is marked identity-verified)."""
    if not oidc.enabled():
        raise Http404
    c = oidc.config()
    client = oidc.client()
    try:
        token = client.authorize_access_token(request)
        userinfo = dict(client.userinfo(token=token))
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        log.warning("OIDC sign-in failed: %s", type(exc).__name__)
        return _sign_in_failed(request, _("The sign-in was cancelled or could not be checked."))
    id_claims = token.get("userinfo") or {}
    subject = str(id_claims.get("sub", ""))
    if not subject or str(userinfo.get("sub", "")) != subject:
        return _sign_in_failed(request, _("The identity provider's answer could not be checked."))
    try:
        user = citizen_sign_in_external(
            issuer=c["ISSUER"],
            subject=subject,
            personal_id=str(userinfo.get(c["PERSONAL_ID_CLAIM"], "")),
            full_name=str(userinfo.get(c["NAME_CLAIM"]) or userinfo.get("name") or ""),
            date_of_birth=oidc.birth_date(userinfo.get(c["BIRTH_DATE_CLAIM"])),
        )
    except (ValidationError, IdentityMismatch):
        return _sign_in_failed(
            request, _("Your identity could not be matched to a citizen's account. Ask the one-stop office.")
        )
    next_url = request.session.pop("portal_next", "") or reverse("portal:my_dossiers")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url)


_SIGNUP_REFUSED = {
    "exists": gettext_lazy(
        "This personal identification number already has an account: sign in, or reset the password."
    ),
    "too_many": gettext_lazy("Too many sign-ups for this number. Please try again in an hour."),
    "expired": gettext_lazy("This sign-up has expired. Please start again."),
    "wrong_code": gettext_lazy("The code is not right. Check the message and try again."),
    "locked": gettext_lazy("Too many wrong codes. Please start again."),
}


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    """A citizen opens their own account; the code goes to their phone (SMS) or e-mail."""
    form = SignUpForm(request.POST or None)
    if request.method != "POST":
        return render(request, "portal/sign_up.html", {"form": form})
    if not form.is_valid():
        return render(request, "portal/sign_up.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            pending, code = signup_start(
                personal_id=data["personal_id"],
                full_name=data["full_name"],
                password=data["password1"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
            )
            # Sent only once the sign-up is committed (notify hands SMS/e-mail over on commit).
            notify(
                event="account.signup_code",
                recipients=[Recipient(phone=pending.phone, email="" if pending.phone else pending.email)],
                context={"code": code, "minutes": 15},
                channels=("sms",) if pending.phone else ("email",),
                secret=True,
            )
    except ValidationError as exc:
        form.add_error(
            None, exc.messages[0] if exc.code != "contact_required" else _("Give a phone or e-mail.")
        )
        return render(request, "portal/sign_up.html", {"form": form}, status=400)
    except SignUpRefused as exc:
        form.add_error(None, _SIGNUP_REFUSED[exc.reason])
        return render(request, "portal/sign_up.html", {"form": form}, status=409)
    return redirect("portal:sign_up_confirm", public_id=pending.public_id)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up_confirm(request, public_id):
    form = SignUpCodeForm(request.POST or None)
    if request.method != "POST":
        return render(request, "portal/sign_up_confirm.html", {"form": form})
    if not form.is_valid():
        return render(request, "portal/sign_up_confirm.html", {"form": form}, status=400)
    try:
        user = signup_confirm(public_id=public_id, code=form.cleaned_data["code"])
    except SignUpRefused as exc:
        form.add_error(None, _SIGNUP_REFUSED[exc.reason])
        return render(request, "portal/sign_up_confirm.html", {"form": form}, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your account is ready. You can now send dossiers online."))
    return redirect("portal:my_dossiers")
