from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    VILLAGE = "village", _("Village")
    HAMLET = "hamlet", _("Hamlet")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")
    DEPARTMENT = "department", _("Province department")
    SERVICE_CENTRE = "service_centre", _("Public administration service centre")
    OFFICE = "office", _("Office")


# Units that are a local government of the lower tier (cấp xã) since 1 July 2025.
COMMUNE_LEVEL_KINDS = frozenset({OrgUnitKind.WARD, OrgUnitKind.COMMUNE, OrgUnitKind.SPECIAL_ZONE})
# Units where people live (thôn, bản, tổ dân phố).
SETTLEMENT_KINDS = frozenset({OrgUnitKind.VILLAGE, OrgUnitKind.HAMLET, OrgUnitKind.RESIDENTIAL_GROUP})


class UserKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    CITIZEN = "citizen", _("Citizen")
    SYSTEM = "system", _("System account")


class Position(models.TextChoices):
    CHAIRMAN = "chairman", _("Chairman of the People's Committee")
    VICE_CHAIRMAN = "vice_chairman", _("Vice chairman of the People's Committee")
    OFFICE_CHIEF = "office_chief", _("Chief of office")
    CENTRE_DIRECTOR = "centre_director", _("Director of the service centre")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    SPECIALIST = "specialist", _("Specialist")
    CLERK = "clerk", _("Clerk")
    VILLAGE_HEAD = "village_head", _("Village head")
    TEAM_MEMBER = "team_member", _("Community team member")
    DEPARTMENT_DIRECTOR = "department_director", _("Department director")
    IT_OFFICER = "it_officer", _("IT officer")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    HOUSEHOLD_BUSINESS = "household_business", _("Household business")
    COOPERATIVE = "cooperative", _("Cooperative")
    OTHER = "other", _("Other organisation")
