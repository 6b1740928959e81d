"""The catalog as plain values: what the official data, the Excel import and the database all
reduce to, so that "does this change anything?" is an equality test.

`source` (sheet and row of an imported row) is carried for error messages and never compared.
"""

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal

from smartcommune.core.text import normalize

from .choices import OnlineLevel, ProcedureLevel, ResultKind

DEFAULT_ACCEPTED_TYPES = ("pdf", "jpg", "png")


@dataclass(frozen=True)
class Source:
    sheet: str
    row: int


@dataclass(frozen=True)
class FieldSpec:
    code: str
    name: str
    name_en: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ComponentSpec:
    order: int
    name: str
    originals: int = 1
    copies: int = 0
    is_mandatory: bool = True
    condition: str = ""
    reusable: bool = False
    accepted_types: tuple[str, ...] = DEFAULT_ACCEPTED_TYPES
    form_code: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class FeeSpec:
    name: str
    kind: str
    amount: int
    legal_ref: str
    amount_online: int | None = None
    tier_pages: int = 0
    next_amount: int = 0
    cap: int | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ExemptionSpec:
    code: str
    reason: str
    legal_ref: str
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class StepSpec:
    order: int
    name: str
    role_code: str
    duration_hours: Decimal
    route_to_code: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ProcessSpec:
    """An internal process; `unit_code` empty means the province-wide default."""

    procedure_code: str
    steps: tuple[StepSpec, ...]
    unit_code: str = ""
    legal_ref: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field_code: str
    time_limit_unit: str
    online_level: str = OnlineLevel.PARTIAL
    time_limit_amount: int = 0
    verification_extension_days: int = 0
    level: str = ProcedureLevel.COMMUNE
    applicant_types: tuple[str, ...] = ("citizen",)
    life_events: tuple[str, ...] = ()
    result_kind: str = ResultKind.DOCUMENT
    result_name: str = ""
    result_template: str = ""
    legal_basis: str = ""
    fee_note: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    is_active: bool = True
    components: tuple[ComponentSpec, ...] = ()
    fees: tuple[FeeSpec, ...] = ()
    exemptions: tuple[ExemptionSpec, ...] = ()
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class CatalogBundle:
    fields: tuple[FieldSpec, ...] = ()
    procedures: tuple[ProcedureSpec, ...] = ()
    processes: tuple[ProcessSpec, ...] = ()


# --- normalisation ---------------------------------------------------------------------------------

_MULTILINE = {"legal_basis"}


def _clean_text(name: str, value: str) -> str:
    if name in _MULTILINE:
        return "\n".join(normalize(line) for line in (value or "").splitlines() if line.strip())
    return normalize(value)


def normalized(spec):
    """The spec with its text in stored form (NFC, trimmed, inner spaces collapsed), recursively."""
    changes = {}
    for f in fields(spec):
        value = getattr(spec, f.name)
        if isinstance(value, str):
            changes[f.name] = _clean_text(f.name, value)
        elif isinstance(value, tuple) and value and not isinstance(value[0], str | int):
            changes[f.name] = tuple(normalized(item) for item in value)
        elif isinstance(value, tuple):
            changes[f.name] = tuple(normalize(v).lower() if isinstance(v, str) else v for v in value)
    return replace(spec, **changes)


def spec_dict(spec) -> dict:
    """A JSON-friendly dict of a spec for the audit trail (without `source`)."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "source"}
        if isinstance(value, list | tuple):
            return [strip(v) for v in value]
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    return strip(asdict(spec))


def changed_keys(before, after) -> list[str]:
    """Names of the top-level fields that differ between two specs of the same type."""
    return sorted(
        f.name for f in fields(after) if f.compare and getattr(before, f.name) != getattr(after, f.name)
    )
