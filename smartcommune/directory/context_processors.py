from dataclasses import dataclass, field
from functools import cache as memoize

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from smartcommune.core.cache import cached

from . import permissions as perms
from .policies import has_perm
from .selectors import primary_unit

# The unit named in the header changes rarely; a few minutes' delay after a transfer is harmless.
UNIT_NAME_CACHE_SECONDS = 5 * 60


@memoize
def _url(name: str) -> str:
    """The navigation's fixed addresses, reversed once per process."""
    return reverse(name)


def _unit_name(user) -> str:
    def load() -> str:
        unit = primary_unit(user)
        return unit.name if unit else ""

    return cached(f"directory:nav-unit:{user.pk}", load, timeout=UNIT_NAME_CACHE_SECONDS)


@dataclass(frozen=True)
class Navigation:
    items: list[dict] = field(default_factory=list)  # {label, url, active}
    unit_name: str = ""


def _navigation(request) -> Navigation:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Navigation()
    entries = [(_("Home"), _url("home"))]
    if not user.is_citizen:
        if any(
            has_perm(user, p) for p in (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_APPROVE)
        ):
            entries.append((_("Dossiers"), _url("dossiers:list")))
        if has_perm(user, perms.CITIZEN_VIEW):
            entries.append((_("Citizens"), _url("directory:citizen_list")))
        if has_perm(user, perms.UNIT_VIEW):
            entries.append((_("Units"), _url("directory:unit_list")))
    entries.append((_("Calendar"), _url("workdays:calendar")))
    if has_perm(user, perms.AUDIT_VIEW):
        entries.append((_("Audit trail"), _url("audit:list")))
    if user.is_staff:
        entries.append((_("Administration"), _url("admin:index")))
    path = request.path
    items = [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for label, url in entries
    ]
    return Navigation(items=items, unit_name=_unit_name(user) if user.is_official else "")


def navigation(request):
    """Main navigation by role: only the screens this person may open. Built only when a template
    shows it (not for htmx fragments)."""
    return {"nav": SimpleLazyObject(lambda: _navigation(request))}
