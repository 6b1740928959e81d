"""The catalog's rules, checked before anything is written. Pure: lookups come in as arguments.

Internal processes must fit the legal time limit *without* the verification extension: the
extension (e.g. "+5 working days when the conditions need verifying", Luật Hộ tịch art. 18) is
granted per dossier, so the process plans the ordinary case and a dossier that needs verifying gets
the extra days on its deadline, not extra steps. Same-day procedures have 8 working hours.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ApplicantType, FeeKind, OnlineLevel, ProcedureLevel, ResultKind, TimeLimitUnit
from .errors import RowError
from .models import HOURS_PER_WORKING_DAY, Component, FeeExemption, FeeRule, Field, Procedure, ProcessStep
from .specs import CatalogBundle, ComponentSpec, ExemptionSpec, FeeSpec, ProcedureSpec, ProcessSpec, StepSpec

# National TTHC code d.dddddd (DOMAIN.md §2.4).
PROCEDURE_CODE_RE = re.compile(r"^[0-9]\.[0-9]{6}$")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
FILE_TYPE_RE = re.compile(r"^[a-z0-9]{1,10}$")
HALF_HOUR = Decimal("0.5")
MAX_STEP_HOURS = Decimal(99999)
MAX_AMOUNT = 2_000_000_000  # VND; PositiveIntegerField holds 2^31 - 1
MAX_SMALL = 32_767


def limit_hours(time_limit_unit: str, time_limit_amount: int) -> int:
    """The legal limit in working hours (1 working day = 8 h; same day = 8 h)."""
    if time_limit_unit == TimeLimitUnit.WORKING_DAYS:
        return time_limit_amount * HOURS_PER_WORKING_DAY
    if time_limit_unit == TimeLimitUnit.WORKING_HOURS:
        return time_limit_amount
    return HOURS_PER_WORKING_DAY


# --- process steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepProblem:
    index: int | None  # position in the list; None: the process as a whole
    field: str
    message: str


def step_problems(steps: Sequence, *, limit: int) -> list[StepProblem]:
    """What is wrong with a list of steps (each with `order` and `duration_hours`) against a limit
    of `limit` working hours: repeated or missing orders, durations not a positive multiple of
    half an hour, a total over the limit, no step at all."""
    problems: list[StepProblem] = []
    if not steps:
        return [StepProblem(None, "steps", _("A process needs at least one step."))]
    orders = Counter(getattr(s, "order", None) for s in steps)
    total = Decimal(0)
    for index, step in enumerate(steps):
        order = getattr(step, "order", None)
        if not isinstance(order, int) or isinstance(order, bool) or not 1 <= order <= MAX_SMALL:
            problems.append(StepProblem(index, "order", _("The order must be a whole number from 1.")))
        elif orders[order] > 1:
            problems.append(
                StepProblem(index, "order", _("Two steps have the order %(order)d.") % {"order": order})
            )
        try:
            hours = Decimal(str(getattr(step, "duration_hours", "")))
        except (InvalidOperation, ValueError):
            hours = None
        if hours is None or not hours.is_finite() or hours <= 0 or hours > MAX_STEP_HOURS:
            problems.append(
                StepProblem(index, "duration_hours", _("The duration must be more than 0 working hours."))
            )
            continue
        if hours % HALF_HOUR != 0:
            problems.append(
                StepProblem(
                    index,
                    "duration_hours",
                    _("The duration must be a multiple of half an hour (0.5, 1, 1.5 …), not %(hours)s.")
                    % {"hours": hours},
                )
            )
        total += hours
    if total > limit:
        problems.append(
            StepProblem(
                None,
                "duration_hours",
                _(
                    "The steps take %(total)s working hours in all, more than the legal time limit of "
                    "%(limit)d working hours (1 working day = 8 hours)."
                )
                % {"total": _hours(total), "limit": limit},
            )
        )
    return problems


def _hours(value: Decimal) -> str:
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())


def check_steps(steps: Sequence, *, procedure: Procedure) -> None:
    """Raise ValidationError listing every problem of `steps` for `procedure`'s legal limit."""
    problems = step_problems(steps, limit=procedure.legal_limit_hours)
    if problems:
        raise ValidationError([p.message for p in problems])


# --- a whole bundle (the import, the official data) ------------------------------------------------


class _Errors:
    def __init__(self):
        self.items: list[RowError] = []

    def add(self, spec, column: str, message: str, *, sheet: str = "", row: int = 0):
        source = getattr(spec, "source", None)
        self.items.append(
            RowError(
                sheet=source.sheet if source else sheet,
                row=source.row if source else row,
                column=column,
                message=str(message),
            )
        )


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(errors: _Errors, spec, model, name: str, *, required: bool = False, column: str | None = None):
    value = getattr(spec, name)
    column = column or name
    if required and not value:
        errors.add(spec, column, _("This value is required."))
    limit = _max_length(model, name)
    if limit and len(value) > limit:
        errors.add(
            spec,
            column,
            _("At most %(limit)d characters (this one has %(n)d).") % {"limit": limit, "n": len(value)},
        )


def _count(errors: _Errors, spec, name: str, *, low: int = 0, high: int = MAX_SMALL):
    value = getattr(spec, name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(spec, name, _("A whole number from %(low)d to %(high)d.") % {"low": low, "high": high})


def _choice(errors: _Errors, spec, name: str, choices):
    value = getattr(spec, name)
    if value not in choices.values:
        errors.add(
            spec,
            name,
            _("One of: %(choices)s (not %(value)s).")
            % {"choices": ", ".join(choices.values), "value": value},
        )


def _dates(errors: _Errors, spec):
    start, end = spec.effective_from, spec.effective_to
    for name, value in (("effective_from", start), ("effective_to", end)):
        if value is not None and not isinstance(value, date):
            errors.add(spec, name, _("A date (YYYY-MM-DD)."))
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors.add(spec, "effective_to", _("The end must not come before the start."))


def _check_procedure(errors: _Errors, spec: ProcedureSpec, field_codes: set[str]):
    if not PROCEDURE_CODE_RE.match(spec.code):
        errors.add(
            spec,
            "code",
            _("A national procedure code looks like 1.001193 (not %(code)s).") % {"code": spec.code},
        )
    _text(errors, spec, Procedure, "name", required=True)
    if spec.field_code not in field_codes:
        errors.add(
            spec,
            "field_code",
            _("Unknown field %(code)s: add it to the fields sheet.") % {"code": spec.field_code},
        )
    _choice(errors, spec, "level", ProcedureLevel)
    _choice(errors, spec, "time_limit_unit", TimeLimitUnit)
    _choice(errors, spec, "online_level", OnlineLevel)
    _choice(errors, spec, "result_kind", ResultKind)
    _count(errors, spec, "time_limit_amount", high=10_000)
    _count(errors, spec, "verification_extension_days", high=365)
    if spec.time_limit_unit != TimeLimitUnit.SAME_DAY and spec.time_limit_amount == 0:
        errors.add(spec, "time_limit_amount", _("A time limit in days or hours must be more than 0."))
    unknown = set(spec.applicant_types) - set(ApplicantType.values)
    if unknown or not spec.applicant_types:
        errors.add(
            spec,
            "applicant_types",
            _("Choose from: %(choices)s, separated by commas.")
            % {"choices": ", ".join(ApplicantType.values)},
        )
    for name in ("result_name", "result_template", "fee_note"):
        _text(errors, spec, Procedure, name)
    _dates(errors, spec)
    orders = Counter(c.order for c in spec.components)
    for component in spec.components:
        _check_component(errors, component, orders)
    for fee in spec.fees:
        _check_fee(errors, fee)
    codes = Counter(e.code for e in spec.exemptions)
    for exemption in spec.exemptions:
        _check_exemption(errors, exemption, codes)


def _check_component(errors: _Errors, spec: ComponentSpec, orders: Counter):
    _count(errors, spec, "order", low=1)
    if orders[spec.order] > 1:
        errors.add(
            spec,
            "order",
            _("Two components of this procedure have the order %(order)s.") % {"order": spec.order},
        )
    _text(errors, spec, Component, "name", required=True)
    _text(errors, spec, Component, "condition")
    _text(errors, spec, Component, "form_code")
    _count(errors, spec, "originals")
    _count(errors, spec, "copies")
    bad = [t for t in spec.accepted_types if not FILE_TYPE_RE.match(t)]
    if bad:
        errors.add(
            spec,
            "accepted_types",
            _("File types are extensions such as pdf, jpg, png, separated by commas (not %(bad)s).")
            % {"bad": ", ".join(bad)},
        )
    if spec.condition and spec.is_mandatory:
        errors.add(
            spec, "condition", _("A component required only in some cases must not be marked mandatory.")
        )


def _check_fee(errors: _Errors, spec: FeeSpec):
    _text(errors, spec, FeeRule, "name", required=True)
    _text(errors, spec, FeeRule, "legal_ref", required=True)
    _choice(errors, spec, "kind", FeeKind)
    _count(errors, spec, "amount", high=MAX_AMOUNT)
    _count(errors, spec, "next_amount", high=MAX_AMOUNT)
    _count(errors, spec, "tier_pages")
    for name in ("amount_online", "cap"):
        if getattr(spec, name) is not None:
            _count(errors, spec, name, high=MAX_AMOUNT)
    if spec.kind == FeeKind.PER_PAGE:
        if spec.amount_online is not None:
            errors.add(spec, "amount_online", _("A per-page fee has no separate online amount."))
    elif spec.tier_pages or spec.next_amount or spec.cap is not None:
        errors.add(spec, "kind", _("Pages, the rate after them and the cap apply only to per-page fees."))
    _dates(errors, spec)


def _check_exemption(errors: _Errors, spec: ExemptionSpec, codes: Counter):
    _text(errors, spec, FeeExemption, "code", required=True)
    if spec.code and not SLUG_RE.match(spec.code):
        errors.add(spec, "code", _("Letters, digits, hyphens and underscores only."))
    if codes[spec.code] > 1:
        errors.add(
            spec,
            "code",
            _("The exemption code %(code)s appears twice for this procedure.") % {"code": spec.code},
        )
    _text(errors, spec, FeeExemption, "reason", required=True)
    _text(errors, spec, FeeExemption, "legal_ref", required=True)


def _check_process(
    errors: _Errors,
    spec: ProcessSpec,
    *,
    limits: dict[str, int | None],
    role_codes: set[str],
    unit_codes: set[str],
):
    if spec.procedure_code not in limits:
        errors.add(spec, "procedure_code", _("Unknown procedure %(code)s.") % {"code": spec.procedure_code})
    if spec.unit_code and spec.unit_code not in unit_codes:
        errors.add(spec, "unit_code", _("Unknown unit %(code)s.") % {"code": spec.unit_code})
    if len(spec.legal_ref) > 300:
        errors.add(spec, "process_legal_ref", _("At most %(limit)d characters.") % {"limit": 300})
    for step in spec.steps:
        _text(errors, step, ProcessStep, "name", required=True)
        if step.role_code not in role_codes:
            errors.add(step, "role_code", _("Unknown role %(code)s.") % {"code": step.role_code})
        if step.route_to_code and step.route_to_code not in unit_codes:
            errors.add(step, "route_to_code", _("Unknown unit %(code)s.") % {"code": step.route_to_code})
    if spec.procedure_code in limits:
        limit = limits[spec.procedure_code]
        for problem in step_problems(
            spec.steps, limit=limit if limit is not None else MAX_STEP_HOURS * len(spec.steps)
        ):
            target = spec.steps[problem.index] if problem.index is not None else (spec.steps or (spec,))[-1]
            errors.add(target, problem.field, problem.message)


def bundle_errors(
    bundle: CatalogBundle,
    *,
    existing_fields: Iterable[str] = (),
    existing_limits: dict[str, int] | None = None,
    role_codes: Iterable[str] = (),
    unit_codes: Iterable[str] = (),
) -> list[RowError]:
    """Every problem in `bundle`, given what the database already holds (field codes, legal limits
    of procedures by code, role codes, unit codes). An empty list means it may be applied."""
    errors = _Errors()
    field_counts = Counter(f.code for f in bundle.fields)
    for spec in bundle.fields:
        _text(errors, spec, Field, "code", required=True)
        if spec.code and not SLUG_RE.match(spec.code):
            errors.add(spec, "code", _("Letters, digits, hyphens and underscores only."))
        if field_counts[spec.code] > 1:
            errors.add(spec, "code", _("The field %(code)s appears twice.") % {"code": spec.code})
        _text(errors, spec, Field, "name", required=True)
        _text(errors, spec, Field, "name_en")
    field_codes = set(existing_fields) | set(field_counts)
    procedure_counts = Counter(p.code for p in bundle.procedures)
    for spec in bundle.procedures:
        if procedure_counts[spec.code] > 1:
            errors.add(spec, "code", _("The procedure %(code)s appears twice.") % {"code": spec.code})
        _check_procedure(errors, spec, field_codes)
    limits: dict[str, int | None] = dict(existing_limits or {})
    for spec in bundle.procedures:
        valid = (
            spec.time_limit_unit in TimeLimitUnit.values
            and isinstance(spec.time_limit_amount, int)
            and (spec.time_limit_amount > 0 or spec.time_limit_unit == TimeLimitUnit.SAME_DAY)
        )
        # A procedure whose own limit is wrong is reported there; its processes are not measured.
        limits[spec.code] = limit_hours(spec.time_limit_unit, spec.time_limit_amount) if valid else None
    process_counts = Counter((p.procedure_code, p.unit_code) for p in bundle.processes)
    roles, units = set(role_codes), set(unit_codes)
    for spec in bundle.processes:
        if process_counts[(spec.procedure_code, spec.unit_code)] > 1:
            errors.add(spec, "unit_code", _("This process appears twice."))
        _check_process(errors, spec, limits=limits, role_codes=roles, unit_codes=units)
    return errors.items


def steps_from_dicts(steps: list[dict]) -> list[StepSpec]:
    """Steps given as dicts (order, name, role: Role or code, duration_hours, route_to: unit or code)."""
    specs = []
    for raw in steps:
        role = raw.get("role", raw.get("role_code", ""))
        route = raw.get("route_to", raw.get("route_to_code")) or ""
        try:
            hours = Decimal(str(raw.get("duration_hours", "")))
        except (InvalidOperation, ValueError):
            hours = Decimal("NaN")
        specs.append(
            StepSpec(
                order=raw.get("order"),
                name=str(raw.get("name", "")),
                role_code=getattr(role, "code", role) or "",
                duration_hours=hours,
                route_to_code=getattr(route, "code", route) or "",
            )
        )
    return specs
