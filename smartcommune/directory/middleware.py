from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .policies import requires_two_factor
from .two_factor import has_confirmed_device

# Pages an official must still reach before the second factor: enrolment, verification, sign-out.
_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/", "/healthz")


class TwoFactorRequiredMiddleware:
    """Officials who may approve or sign (and superusers) must complete TOTP before anything else.

    It looks the signed-in user up for every request anyway, so it also hands the rest of the request
    the user object itself instead of Django's lazy proxy: pages consult the user hundreds of times
    (permissions, navigation, templates), and each access through the proxy costs three calls."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:  # looked up now: each proxy (auth's, then django_otp's) holds its object
            while isinstance(user, LazyObject):
                user = user._wrapped
            request.user = user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and requires_two_factor(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "two_factor_required",
                        "detail": _("Two-factor sign-in is required for this account."),
                    },
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            name = (
                "directory:two_factor_verify" if has_confirmed_device(user) else "directory:two_factor_setup"
            )
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
