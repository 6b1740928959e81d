"""Who may see and change the catalog.

The catalog is public information: any signed-in official may read it (citizens read it on the
portal and through the public API). Changing the province-wide catalog needs `catalog.manage`
granted on the province itself (a root unit); a commune's own internal process needs it on that
commune (or above).
"""

from smartcommune.directory import permissions as perms
from smartcommune.directory.models import OrgUnit
from smartcommune.directory.policies import grant_scopes, has_perm, is_superuser


def can_view_catalog(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_official)


def can_manage_catalog(user) -> bool:
    """May change procedures, fields and the province-default processes."""
    if is_superuser(user):
        return True
    return any(
        perms.CATALOG_MANAGE in scope.permissions and len(scope.path) == OrgUnit.steplen
        for scope in grant_scopes(user)
    )


def can_manage_process(user, unit: OrgUnit | None) -> bool:
    """May change the internal process of `unit` (None: the province default)."""
    if unit is None:
        return can_manage_catalog(user)
    return has_perm(user, perms.CATALOG_MANAGE, unit)


def can_manage_any_process(user) -> bool:
    return has_perm(user, perms.CATALOG_MANAGE)
