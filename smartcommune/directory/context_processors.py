from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions as perms
from .policies import has_perm
from .selectors import primary_unit


def navigation(request):
    """Main navigation by role: only the screens this person may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"items": [], "unit_name": ""}}
    entries = [(_("Home"), reverse("home"))]
    if not user.is_citizen:
        if any(
            has_perm(user, p) for p in (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_APPROVE)
        ):
            entries.append((_("Dossiers"), reverse("dossiers:list")))
        if has_perm(user, perms.CITIZEN_VIEW):
            entries.append((_("Citizens"), reverse("directory:citizen_list")))
        if has_perm(user, perms.UNIT_VIEW):
            entries.append((_("Units"), reverse("directory:unit_list")))
    entries.append((_("Calendar"), reverse("workdays:calendar")))
    if has_perm(user, perms.AUDIT_VIEW):
        entries.append((_("Audit trail"), reverse("audit:list")))
    if user.is_staff:
        entries.append((_("Administration"), reverse("admin:index")))
    path = request.path
    items = [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for label, url in entries
    ]
    unit = primary_unit(user) if user.is_official else None
    return {"nav": {"items": items, "unit_name": unit.name if unit else ""}}
