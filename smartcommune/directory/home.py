"""What a person can do now, by role: the sections of their home page.

Only screens that exist are offered; later issues add their own entries here.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions as perms
from .policies import has_perm, is_superuser

_DOSSIER_PERMS = (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_APPROVE)


def _item(title: str, text: str, url: str) -> dict:
    return {"title": title, "text": text, "url": url}


def sections_for(user) -> list[dict]:
    if user.is_citizen:
        return [
            {
                "title": _("Public services"),
                "items": [
                    _item(
                        _("My dossiers"),
                        _("Follow your dossiers, send what the office asks for, get your results."),
                        reverse("portal:my_dossiers"),
                    ),
                    _item(
                        _("Find a procedure"),
                        _("What to bring, how long it takes, what it costs; send it online."),
                        reverse("portal:procedures"),
                    ),
                ],
            },
            {
                "title": _("Your account"),
                "items": [
                    _item(
                        _("Your personal details"),
                        _("See what the commune holds about you."),
                        reverse("directory:profile"),
                    ),
                    _item(
                        _("Working-day calendar"),
                        _("Holidays and days off that move result dates."),
                        reverse("workdays:calendar"),
                    ),
                ],
            },
        ]
    work, manage = [], []
    if has_perm(user, perms.DOSSIER_RECEIVE):
        work.append(
            _item(
                _("Receive a dossier"),
                _("At the counter: choose the procedure, check the papers, issue the receipt."),
                reverse("dossiers:intake_start"),
            )
        )
    if any(has_perm(user, p) for p in _DOSSIER_PERMS):
        work += [
            _item(
                _("My dossiers"),
                _("What waits for you, due soonest first."),
                reverse("dossiers:mine"),
            ),
            _item(
                _("The unit's dossiers"),
                _("Find any dossier by code, applicant, procedure or status."),
                reverse("dossiers:list"),
            ),
            _item(
                _("Overdue"),
                _("Open dossiers past their appointment."),
                reverse("dossiers:overdue"),
            ),
        ]
    if has_perm(user, perms.CITIZEN_VIEW):
        work.append(
            _item(
                _("Citizens"),
                _("Find a citizen by name, identification number or phone."),
                reverse("directory:citizen_list"),
            )
        )
    if has_perm(user, perms.UNIT_VIEW):
        work.append(
            _item(
                _("Units and officials"),
                _("Your commune, its villages and who works where."),
                reverse("directory:unit_list"),
            )
        )
    work.append(
        _item(
            _("Working-day calendar"),
            _("Holidays, swapped days and make-up working days."),
            reverse("workdays:calendar"),
        )
    )
    if has_perm(user, perms.AUDIT_VIEW):
        manage.append(
            _item(_("Audit trail"), _("Every change, who made it and when."), reverse("audit:list"))
        )
    if user.is_staff and (
        has_perm(user, perms.UNIT_MANAGE) or has_perm(user, perms.PEOPLE_MANAGE) or is_superuser(user)
    ):
        manage.append(
            _item(_("Administration"), _("Units, officials, roles and grants."), reverse("admin:index"))
        )
    account = [
        _item(
            _("Profile and security"), _("Two-factor sign-in and API tokens."), reverse("directory:profile")
        ),
    ]
    sections = [{"title": _("Your work"), "items": work}]
    if manage:
        sections.append({"title": _("Management"), "items": manage})
    sections.append({"title": _("Account"), "items": account})
    return sections
