"""API authentication: the browser's session (with CSRF) or a personal API token (Bearer)."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from .policies import requires_two_factor
from .services import api_token_authenticate


class SessionAuth(APIKeyCookie):
    """The signed-in browser session. CSRF is checked on unsafe methods by django-ninja."""

    param_name = "sessionid"

    def _get_key(self, request):
        # No session cookie: not a browser session, so no CSRF check (a Bearer caller gets 401, not 403).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if requires_two_factor(user) and not user.is_verified():
            raise HttpError(403, _("Two-factor sign-in is required for this account."))
        return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


session_or_token = [TokenAuth(), SessionAuth()]
