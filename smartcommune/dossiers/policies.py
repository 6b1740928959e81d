"""Who may see a dossier and who may act on it."""

from django.db.models import Q, QuerySet

from smartcommune.directory import permissions as perms
from smartcommune.directory.models import OrgUnit
from smartcommune.directory.policies import has_perm, unit_scope_q

from .models import Dossier
from .workflow import Action

# Officials who work dossiers see those of their units; any of these rights is enough to look.
_VIEW_PERMS = (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_APPROVE)

# Actions of the one-stop office (reception and return) and of processing.
_COUNTER_ACTIONS = frozenset({Action.PAY, Action.RETURN_RESULT, Action.CONFIRM_RECEIPT, Action.WITHDRAW})


def dossier_qs_for(*, user) -> QuerySet[Dossier]:
    """Dossiers the user may see: an official's units, or a citizen's own."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    if user.is_citizen:
        return Dossier.objects.filter(Q(citizen__user=user) | Q(organisation__representative__user=user))
    scope = Q(pk__in=[])
    for perm in _VIEW_PERMS:
        scope |= unit_scope_q(user, perm)
    # Resolve the scope to unit ids first: a path join on every dossier row makes PostgreSQL walk
    # the whole history of a busy commune (bench/README.md).
    return Dossier.objects.filter(org_unit_id__in=OrgUnit.objects.filter(scope).values("pk"))


def may_view(user, dossier: Dossier) -> bool:
    """The rule of `dossier_qs_for` for one loaded dossier: for officials, from the grants already
    loaded for the request, without a query."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_citizen:
        return dossier_qs_for(user=user).filter(pk=dossier.pk).exists()
    return any(has_perm(user, perm, dossier.org_unit) for perm in _VIEW_PERMS)


def can_act(user, dossier: Dossier, action: Action) -> bool:
    """May `user` run `action` on `dossier` (status aside, which the workflow decides)?

    Reception and return belong to the one-stop office; approval to leaders; processing actions to
    the current assignee, or to a leader of the unit who may take over any step.
    """
    unit = dossier.org_unit
    if action in _COUNTER_ACTIONS:
        return has_perm(user, perms.DOSSIER_RECEIVE, unit)
    if action == Action.APPROVE:
        return has_perm(user, perms.DOSSIER_APPROVE, unit)
    if action == Action.SUPPLEMENT and has_perm(user, perms.DOSSIER_RECEIVE, unit):
        return True  # the applicant may bring the supplements to the counter
    is_assignee = dossier.current_assignee_id == user.pk
    return is_assignee or has_perm(user, perms.DOSSIER_APPROVE, unit)


def can_receive(user, unit) -> bool:
    return has_perm(user, perms.DOSSIER_RECEIVE, unit)
