"""What the portal lets a person do. Which dossiers they see is decided by dossiers.policies
(a citizen sees only their own); this adds what the applicant may do on one of them."""

from django.http import Http404

from smartcommune.directory import permissions as perms
from smartcommune.directory.policies import has_perm
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.workflow import Action, allowed

APPLICANT_ACTIONS = frozenset({Action.SUPPLEMENT, Action.WITHDRAW, Action.CONFIRM_RECEIPT})
RESULT_STATUSES = frozenset({DossierStatus.PROCESSED, DossierStatus.RETURNED})


def require_citizen(user) -> None:
    """The citizen's pages are for citizens' accounts; officials and others get 404."""
    if not (getattr(user, "is_authenticated", False) and user.is_citizen):
        raise Http404


def can_submit_for_others(user) -> bool:
    """Relatives (citizens' accounts) and community digital-technology team members."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_citizen or has_perm(user, perms.COMMUNITY_VISIT)


def require_submitter(user) -> None:
    if not can_submit_for_others(user):
        raise Http404


def can_applicant(dossier, action: Action) -> bool:
    if action not in APPLICANT_ACTIONS or not allowed(dossier.status, action):
        return False
    if action == Action.CONFIRM_RECEIPT:
        return dossier.receipt_confirmed_at is None
    return True


def result_ready(dossier) -> bool:
    return dossier.status in RESULT_STATUSES


def can_rate(dossier, *, rated: bool) -> bool:
    return result_ready(dossier) and not rated
