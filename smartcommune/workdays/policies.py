"""Who may change a province's working-day calendar. Everyone signed in may read it."""

from django.http import Http404

from smartcommune.directory import permissions as perms
from smartcommune.directory.models import OrgUnit
from smartcommune.directory.policies import has_perm

from .models import CalendarOverride


def can_manage_calendar(user, province: OrgUnit) -> bool:
    return has_perm(user, perms.CALENDAR_MANAGE, province)


def access_override(*, user, province: OrgUnit, pk) -> CalendarOverride:
    """An override of `province`'s calendar that `user` may manage; Http404 otherwise."""
    if not can_manage_calendar(user, province):
        raise Http404
    try:
        return CalendarOverride.objects.select_related("calendar__province").get(
            pk=pk, calendar__province=province
        )
    except (CalendarOverride.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
