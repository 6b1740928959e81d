"""Fee assessment (tính phí, lệ phí) for one dossier. Pure: no database, integer VND only.

Kinds (see models.FeeRule):
- FIXED: one amount per dossier; `amount_online` instead when submitted online, if set.
- PER_CASE: `amount` (or `amount_online`) times `cases`: signatures certified on one document,
  contracts certified, extract copies issued.
- PER_PAGE: for each copy, `amount` a page for the first `tier_pages` pages and `next_amount` a page
  after, at most `cap` a copy; times `copies`. Pages are counted on the original (Circular
  226/2016/TT-BTC art. 4: 2,000 VND/page for pages 1–2, 1,000 from page 3, at most 200,000 a copy).

Only rules in force on the assessment day count. An exemption (miễn) keeps the lines, with their
quantities, at 0 VND, so that the dossier shows what was waived and on what ground; the national
portal reads an all-zero fee list as "exempted" (DOMAIN.md §6.1).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

from smartcommune.core.errors import InvalidInput

from .choices import FeeKind
from .errors import UnknownExemption

CHANNELS = ("counter", "online", "post")
MAX_QUANTITY = 100_000  # pages, copies or cases in one dossier: beyond this the input is a mistake


class FeeRuleLike(Protocol):
    pk: int | None
    name: str
    kind: str
    amount: int
    amount_online: int | None
    tier_pages: int
    next_amount: int
    cap: int | None
    legal_ref: str
    effective_from: date | None
    effective_to: date | None


class FeeExemptionLike(Protocol):
    code: str
    reason: str
    legal_ref: str


@dataclass(frozen=True)
class FeeSchedule:
    """A procedure's fee rules and exemptions, already loaded."""

    rules: tuple = ()
    exemptions: tuple = ()


@dataclass(frozen=True)
class FeeLineSpec:
    rule_id: int | None
    description: str
    quantity: int
    unit_amount: int
    amount: int


@dataclass(frozen=True)
class FeeAssessment:
    lines: list[FeeLineSpec] = field(default_factory=list)
    total: int = 0
    exempt_reason: str | None = None
    exempt_legal_ref: str | None = None
    waived: int = 0  # what the lines would have cost without the exemption


def in_force(rule: FeeRuleLike, on: date) -> bool:
    return (rule.effective_from is None or rule.effective_from <= on) and (
        rule.effective_to is None or on <= rule.effective_to
    )


def per_copy_amount(rule: FeeRuleLike, pages: int) -> int:
    """The PER_PAGE fee for one copy of a `pages`-page original, capped."""
    first = min(pages, rule.tier_pages)
    amount = first * rule.amount + (pages - first) * rule.next_amount
    return min(amount, rule.cap) if rule.cap is not None else amount


def _schedule(procedure_rules) -> FeeSchedule:
    if isinstance(procedure_rules, FeeSchedule):
        return procedure_rules
    if hasattr(procedure_rules, "fee_rules"):
        # A Procedure: its related rows (prefetch them to spare the two queries).
        return FeeSchedule(
            tuple(procedure_rules.fee_rules.all()), tuple(procedure_rules.fee_exemptions.all())
        )
    return FeeSchedule(tuple(procedure_rules), ())


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise InvalidInput(
            _("%(name)s must be a whole number from 0 to %(max)d.") % {"name": name, "max": MAX_QUANTITY}
        )
    return value


def _line(rule: FeeRuleLike, *, channel: str, pages: int, copies: int, cases: int) -> FeeLineSpec:
    online = channel == "online" and rule.amount_online is not None
    if rule.kind == FeeKind.PER_PAGE:
        unit_amount = per_copy_amount(rule, pages)
        quantity = copies
        description = _("%(name)s: %(pages)d pages × %(copies)d copies") % {
            "name": rule.name,
            "pages": pages,
            "copies": copies,
        }
    elif rule.kind == FeeKind.PER_CASE:
        unit_amount = rule.amount_online if online else rule.amount
        quantity = cases
        description = rule.name
    elif rule.kind == FeeKind.FIXED:
        unit_amount = rule.amount_online if online else rule.amount
        quantity = 1
        description = rule.name
    else:
        raise InvalidInput(_("Unknown fee kind: %(kind)s") % {"kind": rule.kind})
    return FeeLineSpec(
        rule_id=getattr(rule, "pk", None),
        description=description,
        quantity=quantity,
        unit_amount=unit_amount,
        amount=unit_amount * quantity,
    )


def assess_fees(
    procedure_rules,
    *,
    on: date,
    channel: str,
    pages: int = 0,
    copies: int = 1,
    cases: int = 1,
    exemption_code: str | None = None,
) -> FeeAssessment:
    """The fee lines and total of one dossier.

    `procedure_rules` is a FeeSchedule, a Procedure (its `fee_rules` and `fee_exemptions` are read:
    prefetch them) or an iterable of fee rules (then no exemption can apply). `channel` is
    "counter", "online" or "post" (post pays the counter rate). Raises InvalidInput for a bad
    channel or count, UnknownExemption for an exemption the procedure does not have.
    """
    if channel not in CHANNELS:
        raise InvalidInput(_("channel must be one of: %(choices)s.") % {"choices": ", ".join(CHANNELS)})
    pages, copies, cases = _count(pages, "pages"), _count(copies, "copies"), _count(cases, "cases")
    schedule = _schedule(procedure_rules)
    exemption = None
    if exemption_code:
        exemption = next((e for e in schedule.exemptions if e.code == exemption_code), None)
        if exemption is None:
            raise UnknownExemption()
    lines = [
        _line(rule, channel=channel, pages=pages, copies=copies, cases=cases)
        for rule in _sorted(schedule.rules)
        if in_force(rule, on)
    ]
    if exemption is None:
        return FeeAssessment(lines=lines, total=sum(line.amount for line in lines))
    return FeeAssessment(
        lines=[FeeLineSpec(line.rule_id, line.description, line.quantity, 0, 0) for line in lines],
        total=0,
        exempt_reason=exemption.reason,
        exempt_legal_ref=exemption.legal_ref,
        waived=sum(line.amount for line in lines),
    )


def _sorted(rules: Iterable[FeeRuleLike]) -> list[FeeRuleLike]:
    return sorted(rules, key=lambda r: (getattr(r, "pk", None) is None, getattr(r, "pk", None) or 0))
