from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from smartcommune.audit.services import audit_record

from . import home as home_sections
from . import permissions as perms
from . import selectors, services, two_factor
from .forms import ApiTokenForm, OtpTokenForm, SignInForm
from .models import ApiToken
from .policies import access_citizen, access_orgunit, has_perm, requires_two_factor


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "directory/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "directory/password_reset_form.html"
    email_template_name = "directory/password_reset_email.txt"
    subject_template_name = "directory/password_reset_subject.txt"
    success_url = reverse_lazy("directory:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "directory/password_reset_confirm.html"
    success_url = reverse_lazy("directory:password_reset_complete")


def home(request):
    user = request.user
    context = {
        "home_sections": home_sections.sections_for(user),
        "grants": selectors.grant_list(user=user),
        "is_citizen": user.is_citizen,
        "citizen": getattr(user, "citizen", None) if user.is_citizen else None,
    }
    return render(request, "directory/home.html", context)


# --- two-factor sign-in --------------------------------------------------------------------------


def two_factor_setup(request):
    """Enrol a TOTP authenticator: show the QR code, confirm with a first code."""
    user = request.user
    device = two_factor.pending_totp_device(user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            backup_codes = two_factor.totp_confirm(actor=user, device=device)
            otp_login(request, device)
            messages.success(
                request,
                _("Two-factor sign-in is on. Keep these backup codes safe: %(codes)s")
                % {"codes": " ".join(backup_codes)},
            )
            return redirect(_safe_next(request, reverse("home")))
        allowed, _info = device.verify_is_allowed()
        form.add_error(
            "token",
            _("That code is not right. Check the time on your phone and try again.")
            if allowed
            else _("Too many wrong codes: wait a few seconds, then enter the newest code."),
        )
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret_b32": two_factor.secret_b32(device),
        "next": _safe_next(request, ""),
    }
    return render(request, "directory/two_factor_setup.html", context)


def two_factor_verify(request):
    user = request.user
    if not two_factor.has_confirmed_device(user):
        return redirect(f"{reverse('directory:two_factor_setup')}?next={_safe_next(request, '')}")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request, reverse("home")))
        form.add_error("token", _("That code is not right or was already used."))
    return render(
        request, "directory/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


# --- profile and API tokens ----------------------------------------------------------------------


def _profile_context(request, *, token_form=None, new_token=None) -> dict:
    user = request.user
    return {
        "profile_user": user,
        "grants": selectors.grant_list(user=user),
        "two_factor": {
            "required": requires_two_factor(user),
            "enabled": two_factor.has_confirmed_device(user),
            "setup_url": reverse("directory:two_factor_setup"),
        },
        # API tokens are for officials' integrations; citizens have no use for them.
        "tokens": selectors.api_token_list(user=user) if user.is_official else [],
        "token_form": (token_form or ApiTokenForm()) if user.is_official else None,
        "new_token": new_token,
    }


def profile(request):
    return render(request, "directory/profile.html", _profile_context(request))


@require_POST
def token_create(request):
    if not request.user.is_official:
        raise Http404
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "directory/profile.html", _profile_context(request, token_form=form), status=400
        )
    expires = form.cleaned_data.get("expires_at")
    expires_at = two_factor.end_of_local_day(expires) if expires else None
    _token, secret = services.api_token_create(
        actor=request.user, user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
    )
    return render(request, "directory/profile.html", _profile_context(request, new_token=secret))


@require_POST
def token_revoke(request, pk: int):
    try:
        token = ApiToken.objects.get(pk=pk, user=request.user)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("directory:profile")


# --- units and citizens --------------------------------------------------------------------------


def _require_any(user, perm: str) -> None:
    # Screens a user has no right to at all answer 404, like out-of-scope objects.
    if not has_perm(user, perm):
        raise Http404


def unit_list(request):
    _require_any(request.user, perms.UNIT_VIEW)
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.orgunit_list(user=request.user, q=q), 100).get_page(request.GET.get("page"))
    return render(request, "directory/orgunit_list.html", {"page": page, "q": q})


def unit_detail(request, pk: int):
    unit = access_orgunit(user=request.user, pk=pk)
    context = selectors.orgunit_detail(unit=unit, user=request.user)
    context["can_see_people"] = has_perm(request.user, perms.PEOPLE_VIEW, unit)
    if not context["can_see_people"]:
        context["members"] = []
    return render(request, "directory/orgunit_detail.html", context)


def citizen_list(request):
    _require_any(request.user, perms.CITIZEN_VIEW)
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.citizen_list(user=request.user, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "directory/citizen_list.html", {"page": page, "q": q})


def citizen_detail(request, public_id):
    citizen = access_citizen(user=request.user, public_id=public_id)
    if not request.user.is_citizen:
        # Law 91/2025/QH15 on personal data: every view of a citizen's record by an official is recorded.
        with transaction.atomic():
            audit_record(
                actor=request.user, action="citizen.viewed", target=citizen, org_unit=citizen.home_unit
            )
    return render(request, "directory/citizen_detail.html", {"citizen": citizen})
