from django.utils.translation import gettext_lazy as _

from smartcommune.core.errors import Conflict, DomainError


class DossierConflict(Conflict):
    code = "dossier_conflict"
    default_detail = _("Someone else acted on this dossier first. Reload it to see what changed.")


class ActionNotAllowed(DomainError):
    code = "action_not_allowed"
    status = 409
    default_detail = _("This action is not possible in the dossier's current status.")


class DossierIncomplete(DomainError):
    code = "dossier_incomplete"
    default_detail = _("Mandatory components are missing: issue a supplement request slip instead.")


class ApologyAlreadyIssued(DomainError):
    code = "apology_already_issued"
    status = 409
    default_detail = _("An apology and new appointment can be issued only once per dossier.")


class NoProcess(DomainError):
    code = "no_process"
    default_detail = _("The procedure has no internal process for this unit. Ask the province administrator.")


class NoAssignee(DomainError):
    code = "no_assignee"
    default_detail = _("Nobody in the unit holds the role this step needs.")


class FeeUnpaid(DomainError):
    code = "fee_unpaid"
    status = 409
    default_detail = _("The fee has not been paid yet.")


class NotApproved(DomainError):
    code = "not_approved"
    status = 409
    default_detail = _("A leader must approve the dossier before its result is recorded.")
