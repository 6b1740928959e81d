"""Reads of the procedure catalog. The catalog is public information: no scoping, except that
processes are chosen for a unit."""

from django.db.models import Prefetch, Q, QuerySet

from smartcommune.core.errors import NotFound
from smartcommune.core.text import fold, normalize
from smartcommune.directory.models import OrgUnit

from .caching import cached
from .fees import FeeAssessment, FeeSchedule, assess_fees
from .models import Component, FeeExemption, FeeRule, Field, Procedure, ProcessStep, ProcessTemplate
from .specs import (
    CatalogBundle,
    ComponentSpec,
    ExemptionSpec,
    FeeSpec,
    FieldSpec,
    ProcedureSpec,
    ProcessSpec,
    StepSpec,
)

MAX_QUERY_TERMS = 8


def _field_code(field) -> str | None:
    return getattr(field, "code", field) or None


def procedure_list(
    *,
    q: str = "",
    field: Field | str | None = None,
    level: str | None = None,
    online_level: str | None = None,
    active_only: bool = True,
) -> QuerySet[Procedure]:
    """Procedures matching an accent-insensitive search and filters, by code, with their field.

    Every word of `q` must appear in the name ("chung thuc", "kết hôn", "khai sinh"); a query that
    looks like a code ("1.0011") matches the start of the code.
    """
    qs = Procedure.objects.select_related("field").order_by("code")
    if active_only:
        qs = qs.filter(is_active=True)
    q = normalize(q)[:200]
    if q:
        terms = fold(q).split()[:MAX_QUERY_TERMS]
        by_name = Q()
        for term in terms:
            by_name &= Q(name_folded__contains=term)
        qs = qs.filter(by_name | Q(code__startswith=q))
    field_code = _field_code(field)
    if field_code:
        qs = qs.filter(field__code=field_code)
    if level:
        qs = qs.filter(level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    return qs


def _detail_qs() -> QuerySet[Procedure]:
    return Procedure.objects.select_related("field").prefetch_related(
        Prefetch("components", queryset=Component.objects.order_by("order", "pk")),
        Prefetch("fee_rules", queryset=FeeRule.objects.order_by("pk")),
        Prefetch("fee_exemptions", queryset=FeeExemption.objects.order_by("code")),
        Prefetch(
            "processes",
            queryset=ProcessTemplate.objects.select_related("org_unit").prefetch_related(
                Prefetch(
                    "steps",
                    queryset=ProcessStep.objects.select_related("role", "route_to").order_by("order"),
                )
            ),
        ),
    )


def procedure_options() -> tuple[tuple[int, str], ...]:
    """(id, "code — name") of the active procedures, for filter menus (cached)."""

    def load():
        rows = Procedure.objects.filter(is_active=True).order_by("code").values_list("pk", "code", "name")
        return tuple((pk, f"{code} — {name}") for pk, code, name in rows)

    # Read only: callers copy the pairs into their menus.
    return cached("options", "active", load, read_only=True)


def procedure_detail(code: str) -> Procedure:
    """One procedure by national code with components, fees, exemptions and processes loaded
    (cached; see catalog.caching). Raises NotFound."""
    code = str(code)[:20]
    procedure = cached("procedure", code, lambda: _detail_qs().filter(code=code).first())
    if procedure is None:
        raise NotFound()
    return procedure


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    return [unit.path[: OrgUnit.steplen * depth] for depth in range(1, len(unit.path) // OrgUnit.steplen + 1)]


def process_for(procedure: Procedure, unit: OrgUnit | None) -> ProcessTemplate | None:
    """The internal process that applies at `unit`: the nearest one defined on the unit or an
    ancestor (a commune's own process), else the province default; None when there is none.
    Its steps are loaded in order, with roles and routing units (cached; see catalog.caching)."""
    if "processes" in getattr(procedure, "_prefetched_objects_cache", {}):
        # procedure_detail loaded them all, with their steps: choose here, no cache round trip.
        return _nearest(list(procedure.processes.all()), unit)
    key = f"{procedure.pk}:{unit.path if unit is not None else ''}"
    # Read only: the steps are specifications that dossiers copy, never edited through here.
    return cached("process", key, lambda: _process_for(procedure, unit), read_only=True)


def process_steps(procedure: Procedure, unit: OrgUnit | None) -> list[ProcessStep]:
    """The steps of the process that applies at `unit`, in order (empty when there is none)."""
    process = process_for(procedure, unit)
    return list(process.steps.all()) if process else []


def _process_for(procedure: Procedure, unit: OrgUnit | None) -> ProcessTemplate | None:
    q = Q(org_unit__isnull=True)
    if unit is not None:
        q |= Q(org_unit__path__in=_ancestor_paths(unit))
    candidates = list(
        ProcessTemplate.objects.filter(q, procedure=procedure)
        .select_related("org_unit")
        .prefetch_related(
            Prefetch(
                "steps", queryset=ProcessStep.objects.select_related("role", "route_to").order_by("order")
            )
        )
    )
    return _nearest(candidates, unit)


def _nearest(processes: list[ProcessTemplate], unit: OrgUnit | None) -> ProcessTemplate | None:
    """The process of `unit` or of its nearest ancestor, else the province default (no unit)."""
    ancestors = set(_ancestor_paths(unit)) if unit is not None else set()
    candidates = [p for p in processes if p.org_unit_id is None or p.org_unit.path in ancestors]
    if not candidates:
        return None
    return max(candidates, key=lambda p: p.org_unit.depth if p.org_unit_id else 0)


def fee_schedule(procedure: Procedure) -> FeeSchedule:
    """The procedure's rules and exemptions (prefetched rows when loaded by procedure_detail)."""
    return FeeSchedule(tuple(procedure.fee_rules.all()), tuple(procedure.fee_exemptions.all()))


def procedure_fee_assess(procedure: Procedure, **kwargs) -> FeeAssessment:
    """assess_fees over the procedure's stored rules; kwargs as for assess_fees."""
    return assess_fees(fee_schedule(procedure), **kwargs)


def field_list() -> QuerySet[Field]:
    return Field.objects.order_by("name")


# --- the catalog as specs (export, idempotent loading, audit snapshots) --------------------------


def field_spec(field: Field) -> FieldSpec:
    return FieldSpec(code=field.code, name=field.name, name_en=field.name_en)


def procedure_spec(procedure: Procedure) -> ProcedureSpec:
    """The procedure with its components, fees and exemptions as values (use prefetched rows)."""
    components = sorted(procedure.components.all(), key=lambda c: (c.order, c.pk))
    fees = sorted(procedure.fee_rules.all(), key=lambda f: f.pk)
    exemptions = sorted(procedure.fee_exemptions.all(), key=lambda e: e.code)
    return ProcedureSpec(
        code=procedure.code,
        name=procedure.name,
        field_code=procedure.field.code,
        level=procedure.level,
        applicant_types=tuple(procedure.applicant_types or ()),
        life_events=tuple(procedure.life_events or ()),
        time_limit_amount=procedure.time_limit_amount,
        time_limit_unit=procedure.time_limit_unit,
        verification_extension_days=procedure.verification_extension_days,
        online_level=procedure.online_level,
        result_kind=procedure.result_kind,
        result_name=procedure.result_name,
        result_template=procedure.result_template,
        legal_basis=procedure.legal_basis,
        fee_note=procedure.fee_note,
        effective_from=procedure.effective_from,
        effective_to=procedure.effective_to,
        is_active=procedure.is_active,
        components=tuple(
            ComponentSpec(
                order=c.order,
                name=c.name,
                originals=c.originals,
                copies=c.copies,
                is_mandatory=c.is_mandatory,
                condition=c.condition,
                reusable=c.reusable,
                accepted_types=tuple(c.accepted_types or ()),
                form_code=c.form_code,
            )
            for c in components
        ),
        fees=tuple(
            FeeSpec(
                name=f.name,
                kind=f.kind,
                amount=f.amount,
                legal_ref=f.legal_ref,
                amount_online=f.amount_online,
                tier_pages=f.tier_pages,
                next_amount=f.next_amount,
                cap=f.cap,
                effective_from=f.effective_from,
                effective_to=f.effective_to,
            )
            for f in fees
        ),
        exemptions=tuple(
            ExemptionSpec(code=e.code, reason=e.reason, legal_ref=e.legal_ref) for e in exemptions
        ),
    )


def process_spec(process: ProcessTemplate) -> ProcessSpec:
    steps = sorted(process.steps.all(), key=lambda s: s.order)
    return ProcessSpec(
        procedure_code=process.procedure.code,
        unit_code=process.org_unit.code if process.org_unit_id else "",
        legal_ref=process.legal_ref,
        steps=tuple(
            StepSpec(
                order=s.order,
                name=s.name,
                role_code=s.role.code,
                duration_hours=s.duration_hours,
                route_to_code=s.route_to.code if s.route_to_id else "",
            )
            for s in steps
        ),
    )


def catalog_bundle() -> CatalogBundle:
    """The whole catalog as values, in a fixed order (a handful of queries)."""
    procedures = list(_detail_qs().order_by("code"))
    processes = [
        process
        for procedure in procedures
        for process in sorted(
            procedure.processes.all(),
            key=lambda p: (p.org_unit_id is not None, p.org_unit.code if p.org_unit_id else ""),
        )
    ]
    return CatalogBundle(
        fields=tuple(field_spec(f) for f in Field.objects.order_by("code")),
        procedures=tuple(procedure_spec(p) for p in procedures),
        processes=tuple(process_spec(p) for p in processes),
    )
