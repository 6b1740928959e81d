"""Who does a step: the chosen official when they hold the role there, else the member of the role
who was given a step least recently (round-robin)."""

from django.db.models import Max, Q

from smartcommune.directory.models import OrgUnit, RoleGrant, User

from ..errors import NoAssignee
from ..models import DossierStep


def _holders(role_code: str, unit: OrgUnit):
    ancestors = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    grants = RoleGrant.objects.filter(role__code=role_code, user__is_active=True).filter(
        Q(org_unit=unit) | Q(include_subtree=True, org_unit__path__in=ancestors)
    )
    return User.objects.filter(pk__in=grants.values("user_id"))


def pick_assignee(
    *, role_code: str, unit: OrgUnit, chosen: User | None = None, prefer: User | None = None
) -> User:
    """`chosen` must hold the role (else NoAssignee); `prefer` is taken when eligible (the officer at
    the counter keeps the reception step), else round-robin."""
    holders = _holders(role_code, unit)
    if chosen is not None:
        if not holders.filter(pk=chosen.pk).exists():
            raise NoAssignee(code="assignee_not_eligible")
        return chosen
    if prefer is not None and holders.filter(pk=prefer.pk).exists():
        return prefer
    recency = dict(
        DossierStep.objects.filter(assignee__in=holders)
        .order_by()  # no default ordering: it would join the dossier table (26-43 ms at 1M dossiers)
        .values_list("assignee")
        .annotate(last=Max("started_at"))
        .values_list("assignee", "last")
    )
    candidates = list(holders.order_by("pk"))
    if not candidates:
        raise NoAssignee()
    return min(candidates, key=lambda u: (recency.get(u.pk) is not None, recency.get(u.pk), u.pk))
