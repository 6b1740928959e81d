"""Reads shaped for the directory screens. Every read is scoped through policies."""

from django.db.models import Count, Prefetch, Q, QuerySet

from smartcommune.core.text import fold

from . import permissions as perms
from .models import ApiToken, Citizen, Membership, OrgUnit, RoleGrant, User
from .policies import citizen_qs_for, orgunit_qs_for


def primary_unit(user) -> OrgUnit | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        Membership.objects.filter(official__user=user, is_primary=True).select_related("org_unit").first()
    )
    return membership.org_unit if membership else None


def grant_list(*, user) -> list[dict]:
    rows = (
        RoleGrant.objects.filter(user=user)
        .select_related("role", "org_unit")
        .order_by("org_unit__path", "role__code")
    )
    return [
        {"role": g.role, "unit": g.org_unit, "include_subtree": g.include_subtree, "pk": g.pk} for g in rows
    ]


def orgunit_list(*, user, q: str = "") -> QuerySet[OrgUnit]:
    qs = orgunit_qs_for(user=user, action=perms.UNIT_VIEW).filter(is_active=True)
    if q:
        key = fold(q)
        qs = qs.filter(Q(name_folded__contains=key) | Q(code__icontains=q.strip()))
    return qs.annotate(member_count=Count("memberships")).order_by("path")


def orgunit_detail(*, unit: OrgUnit, user) -> dict:
    children = (
        orgunit_qs_for(user=user).filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("name")
    )
    members = (
        User.objects.filter(official__memberships__org_unit=unit, is_active=True)
        .select_related("official")
        .prefetch_related(Prefetch("grants", queryset=RoleGrant.objects.select_related("role", "org_unit")))
        .order_by("full_name")
    )
    return {"unit": unit, "children": children, "members": members}


def citizen_list(*, user, q: str = "", unit: OrgUnit | None = None) -> QuerySet[Citizen]:
    """Accent-insensitive search by name ("lo thi" finds "Lò Thị …"), exact identification number,
    or phone."""
    qs = citizen_qs_for(user=user).select_related("home_unit")
    q = (q or "").strip()
    if q.isdigit() and len(q) == 12:
        qs = qs.filter(personal_id=q)
    elif q.isdigit() and len(q) >= 9:
        qs = qs.filter(phone__endswith=q.lstrip("0"))
    elif q:
        qs = qs.filter(full_name_folded__contains=fold(q))
    if unit is not None:
        qs = qs.filter(home_unit__path__startswith=unit.path)
    return qs.order_by("full_name_folded", "pk")


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
