"""Who does a step: the chosen official when they hold the role there, else the member of the role
who was given a step least recently (round-robin)."""

from django.db.models import Max

from smartcommune.directory.models import OrgUnit, User
from smartcommune.directory.policies import holds_role

from ..errors import NoAssignee
from ..models import DossierStep
from ..selectors import role_holders


def pick_assignee(
    *, role_code: str, unit: OrgUnit, chosen: User | None = None, prefer: User | None = None
) -> User:
    """`chosen` must hold the role (else NoAssignee); `prefer` is taken when eligible (the officer at
    the counter keeps the reception step), else round-robin."""
    # The officer's own grants, loaded with their request, mostly answer without a query; a grant
    # on an inactive unit is not among them but still counts, hence the role holders when they don't.
    if chosen is None and prefer is not None and holds_role(prefer, role_code, unit):
        return prefer
    holders = role_holders(role_code, unit)
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
