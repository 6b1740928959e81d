from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from smartcommune.core.addresses import address
from smartcommune.core.cache import cached

from . import permissions as perms
from .policies import has_perm
from .selectors import primary_unit

# The unit named in the header changes rarely; a few minutes' delay after a transfer is harmless.
UNIT_NAME_CACHE_SECONDS = 5 * 60


def _unit_name(user) -> str:
    def load() -> str:
        unit = primary_unit(user)
        return unit.name if unit else ""

    return cached(f"directory:nav-unit:{user.pk}", load, timeout=UNIT_NAME_CACHE_SECONDS)


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class Navigation:
    items: list[NavItem] = field(default_factory=list)
    unit_name: str = ""


def _navigation(request) -> Navigation:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Navigation()
    entries = [(_("Home"), address("home"))]
    if not user.is_citizen:
        if any(
            has_perm(user, p) for p in (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_APPROVE)
        ):
            entries.append((_("Dossiers"), address("dossiers:list")))
        if has_perm(user, perms.CITIZEN_VIEW):
            entries.append((_("Citizens"), address("directory:citizen_list")))
        if has_perm(user, perms.UNIT_VIEW):
            entries.append((_("Units"), address("directory:unit_list")))
    entries.append((_("Calendar"), address("workdays:calendar")))
    if has_perm(user, perms.AUDIT_VIEW):
        entries.append((_("Audit trail"), address("audit:list")))
    if user.is_staff:
        entries.append((_("Administration"), address("admin:index")))
    path = request.path
    items = [
        NavItem(label, url, path == url if url == "/" else path.startswith(url)) for label, url in entries
    ]
    return Navigation(items=items, unit_name=_unit_name(user) if user.is_official else "")


def navigation(request):
    """Main navigation by role: only the screens this person may open. Built only when a template
    shows it (not for htmx fragments)."""
    return {"nav": SimpleLazyObject(lambda: _navigation(request))}
