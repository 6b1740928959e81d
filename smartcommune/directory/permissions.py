"""Permission codes (checked in code) and the system roles that bundle them (data in the DB).

A permission marked `requires_2fa` makes TOTP two-factor sign-in mandatory for whoever holds it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Perm:
    code: str
    label: Promise
    requires_2fa: bool = False


UNIT_VIEW = "unit.view"
UNIT_MANAGE = "unit.manage"
PEOPLE_VIEW = "people.view"
PEOPLE_MANAGE = "people.manage"
GRANT_MANAGE = "grant.manage"
CITIZEN_VIEW = "citizen.view"
CITIZEN_MANAGE = "citizen.manage"
AUDIT_VIEW = "audit.view"
CALENDAR_MANAGE = "calendar.manage"
DOSSIER_RECEIVE = "dossier.receive"
DOSSIER_PROCESS = "dossier.process"
DOSSIER_APPROVE = "dossier.approve"
DOCUMENT_SIGN = "document.sign"
DOCUMENT_REGISTER = "document.register"
COMMUNITY_VISIT = "community.visit"
REPORT_VIEW = "report.view"
CATALOG_MANAGE = "catalog.manage"
SYSTEM_ADMIN = "system.admin"

PERMISSIONS: dict[str, Perm] = {
    p.code: p
    for p in [
        Perm(UNIT_VIEW, _("View organisational units")),
        Perm(UNIT_MANAGE, _("Create and edit organisational units")),
        Perm(PEOPLE_VIEW, _("View officials")),
        Perm(PEOPLE_MANAGE, _("Create and edit officials")),
        Perm(GRANT_MANAGE, _("Grant and revoke roles")),
        Perm(CITIZEN_VIEW, _("View citizens' records")),
        Perm(CITIZEN_MANAGE, _("Create and edit citizens' records")),
        Perm(AUDIT_VIEW, _("Read the audit trail")),
        Perm(CALENDAR_MANAGE, _("Manage the working-day calendar")),
        Perm(DOSSIER_RECEIVE, _("Receive dossiers and return results")),
        Perm(DOSSIER_PROCESS, _("Process dossiers")),
        Perm(DOSSIER_APPROVE, _("Approve dossiers"), requires_2fa=True),
        Perm(DOCUMENT_SIGN, _("Sign documents digitally"), requires_2fa=True),
        Perm(DOCUMENT_REGISTER, _("Register and issue official documents")),
        Perm(COMMUNITY_VISIT, _("Record community digital-support visits")),
        Perm(REPORT_VIEW, _("View reports and dashboards")),
        Perm(CATALOG_MANAGE, _("Manage the procedure catalog and internal processes")),
        Perm(SYSTEM_ADMIN, _("Administer the system"), requires_2fa=True),
    ]
}

TWO_FACTOR_PERMISSIONS = frozenset(code for code, p in PERMISSIONS.items() if p.requires_2fa)


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    name_en: str
    permissions: tuple[str, ...]


SYSTEM_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        "one_stop_officer", "Công chức Bộ phận Một cửa", "One-stop officer",
        (UNIT_VIEW, CITIZEN_VIEW, CITIZEN_MANAGE, DOSSIER_RECEIVE),
    ),
    RoleSpec("specialist", "Chuyên viên xử lý", "Specialist", (UNIT_VIEW, CITIZEN_VIEW, DOSSIER_PROCESS)),
    RoleSpec(
        "commune_leader", "Lãnh đạo UBND xã", "Commune leader",
        (UNIT_VIEW, PEOPLE_VIEW, CITIZEN_VIEW, DOSSIER_PROCESS, DOSSIER_APPROVE, DOCUMENT_SIGN, AUDIT_VIEW,
         REPORT_VIEW),
    ),
    RoleSpec("clerk", "Văn thư", "Clerk", (UNIT_VIEW, PEOPLE_VIEW, DOCUMENT_REGISTER)),
    RoleSpec(
        "community_member", "Thành viên Tổ công nghệ số cộng đồng", "Community digital-technology team member",
        (UNIT_VIEW, COMMUNITY_VISIT),
    ),
    RoleSpec(
        "province_admin", "Quản trị viên cấp tỉnh", "Province administrator",
        (UNIT_VIEW, UNIT_MANAGE, PEOPLE_VIEW, PEOPLE_MANAGE, GRANT_MANAGE, CITIZEN_VIEW, AUDIT_VIEW,
         CALENDAR_MANAGE, REPORT_VIEW, CATALOG_MANAGE),
    ),
    RoleSpec("system_admin", "Quản trị hệ thống", "System administrator", tuple(PERMISSIONS)),
)  # fmt: skip
