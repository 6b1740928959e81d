from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")


class TimeLimitUnit(models.TextChoices):
    # The same codes as the workdays engine and its API.
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    SAME_DAY = "same_day", _("same day")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full-process online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation")


class ResultKind(models.TextChoices):
    DOCUMENT = "document", _("A document")
    NONE = "none", _("No document (a notice or an update)")


class FeeKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount per dossier")
    PER_CASE = "per_case", _("Fixed amount per case or copy")
    PER_PAGE = "per_page", _("Per page, in tiers, with a cap per copy")
