"""Reads shaped for the citizen portal: the public catalog, expected return dates, a citizen's own
dossiers. Scoping of dossiers stays with dossiers.policies (dossier_qs_for)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.catalog import selectors as catalog_selectors
from smartcommune.catalog.fees import in_force
from smartcommune.catalog.models import Component, Procedure
from smartcommune.core.errors import DomainError, NotFound
from smartcommune.directory.choices import COMMUNE_LEVEL_KINDS
from smartcommune.directory.models import OrgUnit
from smartcommune.dossiers import deadlines
from smartcommune.dossiers.models import Dossier, DossierEvent, DossierFile, OnlineDraft
from smartcommune.dossiers.policies import dossier_qs_for
from smartcommune.workdays import engine
from smartcommune.workdays.selectors import calendar_for_code, rules_for_calendar

# Life events a citizen thinks in (DOMAIN.md: birth, marriage, death, residence, certification,
# business). Certification has no life event in the national data: its field stands in.
LIFE_EVENTS = {
    "birth": (_("A birth"), Q()),
    "marriage": (_("Marriage"), Q()),
    "death": (_("A death"), Q()),
    "residence": (_("Residence"), Q()),
    "certification": (_("Certified copies and signatures"), Q(field__code="chung-thuc")),
    "business": (_("Household business"), Q()),
}


def life_event_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _q) in LIFE_EVENTS.items()]


def procedure_browse(*, q: str = "", field: str = "", life_event: str = "") -> QuerySet[Procedure]:
    """Procedures in force by accent-insensitive search, field and life event (with their field)."""
    qs = catalog_selectors.procedure_list(q=q, field=field or None)
    if life_event in LIFE_EVENTS:
        # JSON text search works on SQLite and PostgreSQL alike ("contains" does not on SQLite).
        qs = qs.filter(Q(life_events__icontains=f'"{life_event}"') | LIFE_EVENTS[life_event][1])
    return qs


def procedure_page(code: str) -> Procedure:
    """An active procedure with components, fee rules and exemptions; Http404 otherwise."""
    try:
        procedure = catalog_selectors.procedure_detail(code)
    except NotFound as exc:
        raise Http404 from exc
    if not procedure.is_active:
        raise Http404
    return procedure


def fees_in_force(procedure: Procedure, *, on=None) -> list:
    on = on or timezone.localdate()
    return [rule for rule in procedure.fee_rules.all() if in_force(rule, on)]


@dataclass
class ExpectedReturn:
    deemed_received_at: datetime
    due_at: datetime


def expected_return(procedure: Procedure, *, unit: OrgUnit | None = None, now=None) -> ExpectedReturn | None:
    """When the result is due if the dossier is submitted online now (the workdays engine on the
    unit's province calendar, or this installation's province). None when no calendar is set up."""
    now = now or timezone.now()
    try:
        rules = deadlines.rules_for(unit) if unit is not None else rules_for_calendar(calendar_for_code(None))
    except (DomainError, OrgUnit.DoesNotExist):
        return None
    channel = engine.Channel.ONLINE
    amount = deadlines.legal_amount(procedure, False)
    unit_code = deadlines.legal_unit(procedure, False)
    return ExpectedReturn(
        deemed_received_at=engine.deemed_receipt(rules, now, channel),
        due_at=engine.due(rules, now, amount, unit_code, channel),
    )


def receiving_units() -> QuerySet[OrgUnit]:
    """The communes and wards a citizen may submit to (reception is location-independent within
    the province, DOMAIN.md §1.1)."""
    return OrgUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS, is_active=True).order_by("name")


def home_commune(user) -> OrgUnit | None:
    citizen = getattr(user, "citizen", None)
    unit = getattr(citizen, "home_unit", None)
    if unit is None or unit.kind in COMMUNE_LEVEL_KINDS:
        return unit
    ancestors = reversed(OrgUnit.objects.get_ancestors(unit))
    return next((a for a in ancestors if a.kind in COMMUNE_LEVEL_KINDS), None)


# --- a citizen's own dossiers ----------------------------------------------------------------------


def my_dossier_list(*, user) -> QuerySet[Dossier]:
    return dossier_qs_for(user=user).select_related("procedure", "org_unit").order_by("-received_at", "-pk")


def my_dossier_detail(*, user, code: str) -> Dossier:
    """One of the citizen's dossiers with what its page shows; Http404 for anyone else's."""
    dossier = (
        dossier_qs_for(user=user)
        .filter(code=str(code)[:40])
        .select_related("procedure", "org_unit")
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.order_by("at", "pk")),
            Prefetch("files", queryset=DossierFile.objects.order_by("uploaded_at", "pk")),
            "supplement_requests",
        )
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def my_dossier_file(*, user, code: str, public_id) -> DossierFile:
    dossier = my_dossier_detail(user=user, code=code)
    stored = DossierFile.objects.filter(dossier=dossier, public_id=public_id).first()
    if stored is None:
        raise Http404
    return stored


REPOSITORY_KINDS = ("component", "supplement", "result")


def my_repository_files(*, user, limit: int = 50) -> list[DossierFile]:
    """The citizen's repository (kho dữ liệu): files of their own earlier dossiers, newest first."""
    return list(
        DossierFile.objects.filter(dossier__in=dossier_qs_for(user=user), kind__in=REPOSITORY_KINDS)
        .select_related("dossier")
        .order_by("-uploaded_at", "-pk")[:limit]
    )


def my_draft_list(*, user) -> QuerySet[OnlineDraft]:
    return OnlineDraft.objects.filter(owner=user, dossier__isnull=True).select_related(
        "procedure", "org_unit"
    )


def my_draft(*, user, public_id) -> OnlineDraft:
    """A draft of the signed-in citizen, with its procedure's components and its files."""
    draft = (
        OnlineDraft.objects.filter(owner=user, public_id=public_id)
        .select_related("procedure", "org_unit", "dossier")
        .prefetch_related(
            Prefetch("procedure__components", queryset=Component.objects.order_by("order", "pk")), "files"
        )
        .first()
    )
    if draft is None:
        raise Http404
    return draft
