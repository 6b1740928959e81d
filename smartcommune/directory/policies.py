"""Who may see and do what, over the org-unit tree. Every scoped read goes through here.

An official's grants give permissions on units (with or without their subtree). A citizen sees
only their own records. Out-of-scope objects answer 404 (`access_*` raise Http404), never 403,
so that existence is not revealed.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from . import permissions as perms
from .choices import UserKind
from .models import Citizen, OrgUnit, RoleGrant, User

_CACHE_ATTR = "_smartcommune_grant_scopes"


@dataclass(frozen=True)
class GrantScope:
    unit_id: int
    path: str
    include_subtree: bool
    permissions: frozenset[str]
    role_code: str = ""


def grant_scopes(user) -> list[GrantScope]:
    """The user's grants, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = RoleGrant.objects.filter(user=user, org_unit__is_active=True).values_list(
            "org_unit_id", "org_unit__path", "include_subtree", "role__permissions", "role__code"
        )
        cached = [GrantScope(uid, path, sub, frozenset(p or ()), role) for uid, path, sub, p, role in rows]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def permission_codes(user) -> frozenset[str]:
    """Every permission the user holds somewhere."""
    if is_superuser(user):
        return frozenset(perms.PERMISSIONS)
    codes: set[str] = set()
    for scope in grant_scopes(user):
        codes |= scope.permissions
    return frozenset(codes)


def has_perm(user, perm: str, unit: OrgUnit | None = None) -> bool:
    """Does `user` hold `perm` on `unit` (or anywhere, when unit is None)?"""
    if is_superuser(user):
        return True
    return any(
        perm in scope.permissions and (unit is None or _covers(scope, unit)) for scope in grant_scopes(user)
    )


def holds_role(user, role_code: str, unit: OrgUnit) -> bool:
    """Does one of `user`'s grants give them `role_code` on `unit` (directly or over its subtree)?"""
    return any(scope.role_code == role_code and _covers(scope, unit) for scope in grant_scopes(user))


def _covers(scope: GrantScope, unit: OrgUnit) -> bool:
    return scope.unit_id == unit.pk or (scope.include_subtree and unit.path.startswith(scope.path))


def unit_scope_q(user, perm: str, field: str = "") -> Q:
    """Q limiting a queryset to rows whose `field` unit (or the OrgUnit itself) is in scope."""
    prefix = f"{field}__" if field else ""
    if is_superuser(user):
        return Q()
    q = Q(pk__in=[]) if not field else Q(**{f"{prefix}pk__in": []})
    for scope in grant_scopes(user):
        if perm not in scope.permissions:
            continue
        if scope.include_subtree:
            q |= Q(**{f"{prefix}path__startswith": scope.path})
        else:
            q |= Q(**{f"{prefix}pk": scope.unit_id})
    return q


def requires_two_factor(user) -> bool:
    """Officials who may approve or sign must sign in with TOTP (and superusers always)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_superuser(user) or bool(permission_codes(user) & perms.TWO_FACTOR_PERMISSIONS)


# --- org units -----------------------------------------------------------------------------------


def orgunit_qs_for(*, user, action: str = perms.UNIT_VIEW) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(unit_scope_q(user, action))


def access_orgunit(*, user, pk, action: str = perms.UNIT_VIEW) -> OrgUnit:
    try:
        return orgunit_qs_for(user=user, action=action).get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- officials -----------------------------------------------------------------------------------


def official_qs_for(*, user, action: str = perms.PEOPLE_VIEW) -> QuerySet[User]:
    """Officials with a membership in a unit the user may see people of."""
    scope = unit_scope_q(user, action, field="official__memberships__org_unit")
    return User.objects.filter(kind=UserKind.OFFICIAL).filter(scope).distinct()


def access_official(*, user, pk, action: str = perms.PEOPLE_VIEW) -> User:
    if getattr(user, "pk", None) is not None and str(user.pk) == str(pk):
        return user
    try:
        return official_qs_for(user=user, action=action).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- citizens ------------------------------------------------------------------------------------


def citizen_qs_for(*, user, action: str = perms.CITIZEN_VIEW) -> QuerySet[Citizen]:
    """A citizen sees only themself; an official the residents of units in scope."""
    if not getattr(user, "is_authenticated", False):
        return Citizen.objects.none()
    if user.kind == UserKind.CITIZEN:
        return Citizen.objects.filter(user=user)
    return Citizen.objects.filter(unit_scope_q(user, action, field="home_unit"))


def citizen_for_reception(*, user, personal_id: str) -> Citizen | None:
    """The citizen with exactly this identification number living anywhere in the province of a
    unit where `user` receives dossiers: reception does not depend on where the applicant lives
    (DOMAIN.md, location-independent reception). Only the full number finds anyone; nobody can be
    browsed this way. Callers showing the record audit it."""
    provinces = {
        scope.path[: OrgUnit.steplen]
        for scope in grant_scopes(user)
        if perms.DOSSIER_RECEIVE in scope.permissions
    }
    if is_superuser(user):
        provinces = {""}
    if not provinces or not personal_id:
        return None
    within = Q(pk__in=[])
    for path in provinces:
        within |= Q(home_unit__path__startswith=path)
    return Citizen.objects.filter(within, personal_id=personal_id).select_related("home_unit").first()


def access_citizen(*, user, public_id, action: str = perms.CITIZEN_VIEW) -> Citizen:
    try:
        return citizen_qs_for(user=user, action=action).get(public_id=public_id)
    except (Citizen.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
