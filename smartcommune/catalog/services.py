"""Every change to the procedure catalog: one transaction each, with its audit entries.

Callers have authorized `actor` (`catalog.manage`; see policies). Procedures are keyed by national
code, fields by code, processes by (procedure, unit). Applying data that matches what is stored
changes nothing and records nothing, so loading the official catalog twice is harmless.

Children are matched in place so that rows other apps point at keep their ids: components by
position, fee rules by position (oldest first), exemptions by code, process steps by order.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from smartcommune.audit.services import audit_record
from smartcommune.core.text import fold
from smartcommune.directory.models import OrgUnit, Role

from . import data, excel
from .caching import catalog_changed
from .errors import CatalogInvalid, RowError
from .models import Component, FeeExemption, FeeRule, Field, Procedure, ProcessStep, ProcessTemplate
from .selectors import procedure_spec, process_spec
from .specs import (
    CatalogBundle,
    ComponentSpec,
    ExemptionSpec,
    FeeSpec,
    FieldSpec,
    ProcedureSpec,
    ProcessSpec,
    StepSpec,
    changed_keys,
    normalized,
    spec_dict,
)
from .validation import bundle_errors, check_steps, steps_from_dicts

PROCEDURE_FIELDS = (
    "name",
    "level",
    "time_limit_amount",
    "time_limit_unit",
    "verification_extension_days",
    "online_level",
    "result_kind",
    "result_name",
    "result_template",
    "legal_basis",
    "fee_note",
    "effective_from",
    "effective_to",
    "is_active",
)
COMPONENT_FIELDS = (
    "order",
    "name",
    "originals",
    "copies",
    "is_mandatory",
    "condition",
    "reusable",
    "form_code",
)
FEE_FIELDS = (
    "name",
    "kind",
    "amount",
    "amount_online",
    "tier_pages",
    "next_amount",
    "cap",
    "legal_ref",
    "effective_from",
    "effective_to",
)


@dataclass
class CatalogApplyResult:
    """What applying catalog data did (counts of procedures; processes and fields changed)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    processes_changed: int = 0
    fields_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.processes_changed or self.fields_changed)


def catalog_province() -> OrgUnit | None:
    """The province this installation serves: catalog changes are recorded on its audit chain."""
    roots = list(OrgUnit.objects.filter(depth=1).order_by("path")[:50])
    code = settings.SMARTCOMMUNE["PROVINCE_CODE"]
    return next((r for r in roots if r.code == code), roots[0] if len(roots) == 1 else None)


# --- applying a bundle -----------------------------------------------------------------------------


@transaction.atomic
def catalog_apply(*, actor, bundle: CatalogBundle) -> CatalogApplyResult:
    """Create or update the fields, procedures and processes in `bundle`, all or nothing.

    A procedure listed is replaced as a whole: its components, fee rules and exemptions become
    those of the bundle. Procedures and processes not listed are left alone. Raises CatalogInvalid
    (with every row's problem) before changing anything. Audits each created or changed row.
    """
    catalog_changed()  # bulk writes send no signals
    bundle = normalized_bundle(bundle)
    lookups = _lookups(bundle)
    errors = _check(bundle, lookups)
    if errors:
        raise CatalogInvalid(errors)
    result = CatalogApplyResult()
    province = catalog_province()
    for spec in bundle.fields:
        if _apply_field(spec, actor=actor, province=province):
            result.fields_changed += 1
    fields = {f.code: f for f in Field.objects.all()}
    lookups["procedures"] = {}
    for spec in bundle.procedures:
        outcome, procedure = _apply_procedure(spec, actor=actor, fields=fields, province=province)
        lookups["procedures"][procedure.code] = procedure
        setattr(result, outcome, getattr(result, outcome) + 1)
    for spec in bundle.processes:
        if _apply_process(spec, actor=actor, lookups=lookups, province=province):
            result.processes_changed += 1
    return result


def _apply_field(spec: FieldSpec, *, actor, province) -> bool:
    field = Field.objects.filter(code=spec.code).first()
    if field is None:
        field = Field.objects.create(code=spec.code, name=spec.name, name_en=spec.name_en)
        changed = ["code", "name", "name_en"]
    else:
        changed = [k for k in ("name", "name_en") if getattr(field, k) != getattr(spec, k)]
        if not changed:
            return False
        for name in changed:
            setattr(field, name, getattr(spec, name))
        field.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="field.created" if changed[0] == "code" else "field.updated",
        target=field,
        org_unit=province,
        data={"fields": changed},
    )
    return True


def _check(bundle: CatalogBundle, lookups: dict) -> list[RowError]:
    return bundle_errors(
        bundle,
        existing_fields=lookups["field_codes"],
        existing_limits=lookups["limits"],
        role_codes=lookups["roles"],
        unit_codes=lookups["units"],
    )


def catalog_check(bundle: CatalogBundle) -> list[RowError]:
    """Every rule `bundle` breaks against the stored catalog (empty: it may be applied)."""
    bundle = normalized_bundle(bundle)
    return _check(bundle, _lookups(bundle))


def normalized_bundle(bundle: CatalogBundle) -> CatalogBundle:
    return CatalogBundle(
        fields=tuple(normalized(f) for f in bundle.fields),
        # Exemptions have no order of their own: stored and compared by code.
        procedures=tuple(
            replace(p, exemptions=tuple(sorted(p.exemptions, key=lambda e: e.code)))
            for p in (normalized(p) for p in bundle.procedures)
        ),
        processes=tuple(normalized(p) for p in bundle.processes),
    )


def _lookups(bundle: CatalogBundle) -> dict:
    unit_codes = {p.unit_code for p in bundle.processes if p.unit_code} | {
        s.route_to_code for p in bundle.processes for s in p.steps if s.route_to_code
    }
    listed = {p.code for p in bundle.procedures}
    outside = {p.procedure_code for p in bundle.processes} - listed
    return {
        "field_codes": set(Field.objects.values_list("code", flat=True)),
        "limits": {p.code: p.legal_limit_hours for p in Procedure.objects.filter(code__in=outside)},
        "roles": {r.code: r for r in Role.objects.all()},
        "units": {u.code: u for u in OrgUnit.objects.filter(code__in=unit_codes)},
    }


def _audit_procedure(
    *, actor, procedure: Procedure, created: bool, spec: ProcedureSpec, changed: list[str], province
):
    audit_record(
        actor=actor,
        action="procedure.created" if created else "procedure.updated",
        target=procedure,
        org_unit=province,
        data={"fields": changed, "snapshot": spec_dict(spec)},
    )


def _apply_procedure(spec: ProcedureSpec, *, actor, fields: dict, province) -> tuple[str, Procedure]:
    procedure = (
        Procedure.objects.select_for_update(of=("self",))
        .filter(code=spec.code)
        .select_related("field")
        .prefetch_related("components", "fee_rules", "fee_exemptions")
        .first()
    )
    created = procedure is None
    if created:
        procedure = Procedure(code=spec.code)
        before = None
    else:
        before = procedure_spec(procedure)
        if before == spec:
            return "unchanged", procedure
    for name in PROCEDURE_FIELDS:
        setattr(procedure, name, getattr(spec, name))
    procedure.field = fields[spec.field_code]
    procedure.name_folded = fold(spec.name)
    procedure.applicant_types = list(spec.applicant_types)
    procedure.life_events = list(spec.life_events)
    procedure.save()
    existing = (
        (
            list(procedure.components.all()),
            list(procedure.fee_rules.all()),
            list(procedure.fee_exemptions.all()),
        )
        if not created
        else ([], [], [])
    )
    try:
        _sync_components(procedure, existing[0], spec.components)
        _sync_fees(procedure, existing[1], spec.fees)
        _sync_exemptions(procedure, existing[2], spec.exemptions)
    except ProtectedError as exc:
        source = spec.source
        raise CatalogInvalid(
            [
                RowError(
                    source.sheet if source else "procedures",
                    source.row if source else 0,
                    "code",
                    _(
                        "%(code)s: a component or fee rule that dossiers refer to cannot be removed. "
                        "Keep it; end a fee rule with an effective-until date instead."
                    )
                    % {"code": spec.code},
                )
            ]
        ) from exc
    changed = ["code", *PROCEDURE_FIELDS, "field_code"] if created else changed_keys(before, spec)
    _audit_procedure(
        actor=actor, procedure=procedure, created=created, spec=spec, changed=changed, province=province
    )
    return ("created" if created else "updated"), procedure


def _sync_positional(existing: list, specs: Sequence, *, same: Callable, assign: Callable, build: Callable):
    for obj, spec in zip(existing, specs, strict=False):
        if not same(obj, spec):
            assign(obj, spec)
            obj.save()
    new = [build(spec) for spec in specs[len(existing) :]]
    if new:
        type(new[0]).objects.bulk_create(new)
    for obj in existing[len(specs) :]:
        obj.delete()


def _component_spec(c: Component) -> ComponentSpec:
    return ComponentSpec(
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


def _assign_component(c: Component, spec: ComponentSpec):
    for name in COMPONENT_FIELDS:
        setattr(c, name, getattr(spec, name))
    c.accepted_types = list(spec.accepted_types)


def _sync_components(procedure: Procedure, existing: list[Component], specs: Sequence[ComponentSpec]):
    existing = sorted(existing, key=lambda c: (c.order, c.pk))

    def build(spec):
        c = Component(procedure=procedure)
        _assign_component(c, spec)
        return c

    _sync_positional(
        existing, specs, same=lambda c, s: _component_spec(c) == s, assign=_assign_component, build=build
    )


def _fee_spec(f: FeeRule) -> FeeSpec:
    return FeeSpec(**{name: getattr(f, name) for name in FEE_FIELDS})


def _assign_fee(f: FeeRule, spec: FeeSpec):
    for name in FEE_FIELDS:
        setattr(f, name, getattr(spec, name))


def _sync_fees(procedure: Procedure, existing: list[FeeRule], specs: Sequence[FeeSpec]):
    existing = sorted(existing, key=lambda f: f.pk)

    def build(spec):
        f = FeeRule(procedure=procedure)
        _assign_fee(f, spec)
        return f

    _sync_positional(existing, specs, same=lambda f, s: _fee_spec(f) == s, assign=_assign_fee, build=build)


def _sync_exemptions(procedure: Procedure, existing: list[FeeExemption], specs: Sequence[ExemptionSpec]):
    by_code = {e.code: e for e in existing}
    new = []
    for spec in specs:
        exemption = by_code.pop(spec.code, None)
        if exemption is None:
            new.append(
                FeeExemption(
                    procedure=procedure, code=spec.code, reason=spec.reason, legal_ref=spec.legal_ref
                )
            )
        elif (exemption.reason, exemption.legal_ref) != (spec.reason, spec.legal_ref):
            exemption.reason, exemption.legal_ref = spec.reason, spec.legal_ref
            exemption.save(update_fields=["reason", "legal_ref"])
    FeeExemption.objects.bulk_create(new)
    for exemption in by_code.values():
        exemption.delete()


# --- processes -------------------------------------------------------------------------------------


def _sync_steps(process: ProcessTemplate, steps: Sequence[StepSpec], *, roles: dict, units: dict) -> None:
    existing = {s.order: s for s in process.steps.all()}
    new = []
    for spec in steps:
        route_to = units[spec.route_to_code] if spec.route_to_code else None
        values = {
            "name": spec.name,
            "role_id": roles[spec.role_code].pk,
            "duration_hours": spec.duration_hours,
            "route_to_id": route_to.pk if route_to else None,
        }
        step = existing.pop(spec.order, None)
        if step is None:
            new.append(ProcessStep(process=process, order=spec.order, **values))
        elif any(getattr(step, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(step, name, value)
            step.save()
    # Removed orders go first: a new step may take an order only after its old holder is gone.
    ProcessStep.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    ProcessStep.objects.bulk_create(new)


def _audit_process(
    *, actor, process: ProcessTemplate, spec: ProcessSpec, created: bool, province, changed: list[str]
):
    audit_record(
        actor=actor,
        action="processtemplate.created" if created else "processtemplate.updated",
        target=process,
        org_unit=process.org_unit or province,
        data={"fields": changed, "snapshot": spec_dict(spec)},
    )


def _apply_process(spec: ProcessSpec, *, actor, lookups: dict, province) -> bool:
    procedure = lookups["procedures"].get(spec.procedure_code) or Procedure.objects.get(
        code=spec.procedure_code
    )
    unit = lookups["units"][spec.unit_code] if spec.unit_code else None
    process = (
        ProcessTemplate.objects.select_for_update(of=("self",))
        .filter(procedure=procedure, org_unit=unit)
        .prefetch_related("steps__role", "steps__route_to")
        .first()
    )
    created = process is None
    if created:
        process = ProcessTemplate.objects.create(procedure=procedure, org_unit=unit, legal_ref=spec.legal_ref)
        changed = ["legal_ref", "steps"]
    else:
        process.procedure = procedure
        before = process_spec(process)
        if before == spec:
            return False
        changed = changed_keys(before, spec)
        if process.legal_ref != spec.legal_ref:
            process.legal_ref = spec.legal_ref
            process.save(update_fields=["legal_ref"])
    _sync_steps(process, spec.steps, roles=lookups["roles"], units=lookups["units"])
    _audit_process(
        actor=actor, process=process, spec=spec, created=created, province=province, changed=changed
    )
    return True


def _resolve_steps(steps: list[dict]) -> tuple[list[StepSpec], dict, dict]:
    specs = [normalized(s) for s in steps_from_dicts(steps)]
    roles = {r.code: r for r in Role.objects.filter(code__in={s.role_code for s in specs})}
    units = {
        u.code: u
        for u in OrgUnit.objects.filter(code__in={s.route_to_code for s in specs if s.route_to_code})
    }
    problems = []
    for spec in specs:
        if not spec.name:
            problems.append(_("Every step needs a name."))
        if spec.role_code not in roles:
            problems.append(_("Unknown role %(code)s.") % {"code": spec.role_code or "—"})
        if spec.route_to_code and spec.route_to_code not in units:
            problems.append(_("Unknown unit %(code)s.") % {"code": spec.route_to_code})
    if problems:
        raise ValidationError(problems)
    return specs, roles, units


@transaction.atomic
def process_set_steps(*, actor, process: ProcessTemplate, steps: list[dict]) -> ProcessTemplate:
    """Replace the steps of an internal process.

    `steps` are dicts with order, name, role (a Role or its code), duration_hours (a multiple of
    0.5) and optionally route_to (an OrgUnit or its code: the step is done by another unit). Raises
    ValidationError when a role or unit is unknown, orders repeat, a duration is not a positive
    multiple of half an hour, or the total exceeds the procedure's legal limit in working hours
    (the verification extension does not count: see catalog.validation). Audits the new steps.
    """
    catalog_changed()  # bulk writes send no signals
    process = (
        ProcessTemplate.objects.select_for_update(of=("self",))
        .select_related("procedure", "org_unit")
        .get(pk=process.pk)
    )
    specs, roles, units = _resolve_steps(steps)
    check_steps(specs, procedure=process.procedure)
    before = process_spec(process)
    if list(before.steps) == specs:
        return process
    _sync_steps(process, specs, roles=roles, units=units)
    _audit_process(
        actor=actor,
        process=process,
        spec=replace(before, steps=tuple(specs)),
        created=False,
        province=catalog_province(),
        changed=["steps"],
    )
    return process


@transaction.atomic
def process_create(
    *, actor, procedure: Procedure, org_unit: OrgUnit | None = None, legal_ref: str = "", steps: list[dict]
) -> ProcessTemplate:
    """Create the internal process of `procedure` for `org_unit` (None: the province default).

    Raises ValidationError as process_set_steps, or when the unit already has a process for it.
    """
    catalog_changed()  # bulk writes send no signals
    specs, roles, units = _resolve_steps(steps)
    check_steps(specs, procedure=procedure)
    try:
        with transaction.atomic():
            process = ProcessTemplate.objects.create(
                procedure=procedure, org_unit=org_unit, legal_ref=legal_ref[:300]
            )
    except IntegrityError as exc:
        raise ValidationError(_("This unit already has a process for this procedure.")) from exc
    _sync_steps(process, specs, roles=roles, units=units)
    spec = ProcessSpec(
        procedure_code=procedure.code,
        unit_code=org_unit.code if org_unit else "",
        legal_ref=process.legal_ref,
        steps=tuple(specs),
    )
    _audit_process(
        actor=actor,
        process=process,
        spec=spec,
        created=True,
        province=catalog_province(),
        changed=["legal_ref", "steps"],
    )
    return process


# --- loading and importing -------------------------------------------------------------------------


def catalog_load_official(*, actor) -> CatalogApplyResult:
    """Load the real commune-level catalog shipped in catalog.data (idempotent, keyed by code).

    Existing procedures are brought back to the official data; a second run changes nothing.
    """
    return catalog_apply(actor=actor, bundle=data.official_bundle())


def catalog_import_xlsx(*, actor, file) -> CatalogApplyResult:
    """Import a workbook in the export's layout, all or nothing.

    Raises CatalogFileUnreadable for a file that is not a readable .xlsx (or too large), and
    CatalogInvalid listing every (sheet, row, column, message) problem; then nothing changed.
    """
    bundle, cell_errors = excel.read_workbook(file)
    # Cells that could not be read were left at a default: their rule errors would only repeat them.
    unreadable = {(e.sheet, e.row, e.column) for e in cell_errors}
    rule_errors = [
        e for e in excel.labelled(catalog_check(bundle)) if (e.sheet, e.row, e.column) not in unreadable
    ]
    if cell_errors or rule_errors:
        raise CatalogInvalid(excel.labelled(cell_errors + rule_errors))
    try:
        return catalog_apply(actor=actor, bundle=bundle)
    except CatalogInvalid as exc:
        raise CatalogInvalid(excel.labelled(exc.errors)) from exc
