"""Reads of the audit trail, scoped to what the user may see.

Scope: entries recorded on a unit within the units where the user holds `audit.view`; entries with
no unit (province-wide and system actions, API tokens) only for holders of `system.admin`;
superusers see everything.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from smartcommune.directory import permissions as perms
from smartcommune.directory.choices import UserKind
from smartcommune.directory.models import OrgUnit
from smartcommune.directory.policies import grant_scopes, has_perm, is_superuser, unit_scope_q

from .models import AuditEntry, PersonalDataAccess


@dataclass(frozen=True)
class AuditEntryFilters:
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    org_unit: OrgUnit | None = None
    date_from: date | None = None
    date_to: date | None = None


def can_view_audit(user) -> bool:
    """Does the user hold `audit.view` anywhere?"""
    return has_perm(user, perms.AUDIT_VIEW)


def auditentry_qs_for(*, user) -> QuerySet[AuditEntry]:
    if is_superuser(user):
        return AuditEntry.objects.all()
    if not can_view_audit(user):
        return AuditEntry.objects.none()
    scope = unit_scope_q(user, perms.AUDIT_VIEW, field="org_unit")
    if has_perm(user, perms.SYSTEM_ADMIN):
        scope |= Q(org_unit__isnull=True)
    return AuditEntry.objects.filter(scope)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def auditentry_list(*, user, filters: AuditEntryFilters) -> QuerySet[AuditEntry]:
    """Entries in scope matching `filters`, newest first, with their unit loaded.

    Dates are local (Asia/Ho_Chi_Minh) calendar days, both ends included.
    """
    qs = auditentry_qs_for(user=user)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.actor:
        # A citizen's username is their personal identification number: never searchable here.
        qs = qs.filter(
            Q(actor_label__icontains=filters.actor)
            | (Q(actor__username__icontains=filters.actor) & ~Q(actor__kind=UserKind.CITIZEN))
        )
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id)
    if filters.org_unit is not None:
        qs = qs.filter(org_unit__path__startswith=filters.org_unit.path)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return qs.select_related("org_unit").order_by("-created_at", "-id")


def auditentry_detail(*, user, pk) -> AuditEntry:
    """One entry in scope, or Http404 (outside scope looks the same as missing)."""
    try:
        return auditentry_qs_for(user=user).select_related("org_unit").get(pk=pk)
    except (AuditEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def auditentry_unit_choices(*, user) -> QuerySet[OrgUnit]:
    """Units offered in the unit filter: those in scope down to commune level, plus any unit the
    user holds `audit.view` on directly (villages would make the list unusably long)."""
    scope = unit_scope_q(user, perms.AUDIT_VIEW)
    granted = [s.unit_id for s in grant_scopes(user) if perms.AUDIT_VIEW in s.permissions]
    return OrgUnit.objects.filter(scope).filter(Q(depth__lte=2) | Q(pk__in=granted)).order_by("path")


def personal_data_access_list(*, user, q: str = "") -> QuerySet[PersonalDataAccess]:
    """Views of personal data recorded on units where the user holds `audit.view` (all for
    superusers), newest first; `q` matches the record (e.g. a dossier code) or the official."""
    if is_superuser(user):
        qs = PersonalDataAccess.objects.all()
    elif can_view_audit(user):
        qs = PersonalDataAccess.objects.filter(unit_scope_q(user, perms.AUDIT_VIEW, field="org_unit"))
    else:
        return PersonalDataAccess.objects.none()
    q = q.strip()
    if q:
        qs = qs.filter(Q(subject_label__icontains=q) | Q(actor_label__icontains=q))
    return qs.select_related("org_unit").order_by("-at", "-id")
