"""Directory API: who am I, and personal API tokens (list, create, revoke).

Authentication by the browser session (CSRF-checked on POST) or a personal token
(`Authorization: Bearer sc_<prefix>_<secret>`).
"""

from datetime import UTC

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from smartcommune.core.api import ErrorOut
from smartcommune.core.errors import InvalidInput

from . import permissions as perms
from .auth import session_or_token
from .models import ApiToken
from .policies import has_perm, official_qs_for
from .schemas import MeOut, RoleOut, TokenCreatedOut, TokenIn, TokenOut
from .selectors import api_token_list, grant_list
from .services import api_token_create, api_token_revoke

router = Router(tags=["directory"], auth=session_or_token)

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/me", response={200: MeOut, **_ERRORS}, summary="Who am I")
def me(request):
    user = request.auth
    roles = [
        RoleOut(
            code=g["role"].code,
            name=g["role"].display_name,
            unit_code=g["unit"].code,
            unit_name=g["unit"].name,
            include_subtree=g["include_subtree"],
        )
        for g in grant_list(user=user)
    ]
    return MeOut(username=user.username, full_name=user.full_name, kind=user.kind, roles=roles)


@router.get("/tokens", response={200: list[TokenOut], **_ERRORS}, summary="My API tokens")
def token_list(request):
    return api_token_list(user=request.auth)


@router.post("/tokens", response={201: TokenCreatedOut, **_ERRORS}, summary="Create an API token")
def token_create(request, payload: TokenIn):
    """The answer carries the full token once; afterwards only its prefix is known."""
    expires_at = payload.expires_at
    if expires_at is not None:
        try:
            if timezone.is_naive(expires_at):
                expires_at = timezone.make_aware(expires_at, timezone.get_default_timezone())
            expires_at = expires_at.astimezone(UTC)  # answered as stored: UTC
        except (OverflowError, ValueError) as exc:  # year 1 or 9999 pushed out of range by the offset
            raise InvalidInput(_("Enter a valid expiry time in the future.")) from exc
    try:
        token, secret = api_token_create(
            actor=request.auth, user=request.auth, name=payload.name, expires_at=expires_at
        )
    except ValidationError as exc:
        messages = {
            "name": _("Give the token a name of at most 100 characters."),
            "expires_at": _("The expiry time must be in the future."),
        }
        fields = getattr(exc, "error_dict", {}) or {}
        detail = " ".join(str(messages[f]) for f in fields if f in messages) or " ".join(exc.messages)
        raise InvalidInput(detail) from exc
    token.token = secret  # carried to TokenCreatedOut for this one answer, never stored
    return Status(201, token)


@router.post(
    "/tokens/{int:token_id}/revoke", response={200: TokenOut, **_ERRORS}, summary="Revoke an API token"
)
def token_revoke(request, token_id: int):
    """Revoke one of my tokens, or, with `people.manage`, a token of an official in my scope.

    Any other token answers 404. Revoking a revoked token changes nothing.
    """
    user = request.auth
    allowed = Q(user=user)
    if has_perm(user, perms.PEOPLE_MANAGE):
        allowed |= Q(user__in=official_qs_for(user=user, action=perms.PEOPLE_MANAGE))
    token = ApiToken.objects.filter(allowed, pk=token_id).first()
    if token is None:
        raise Http404
    return api_token_revoke(actor=user, token=token)
