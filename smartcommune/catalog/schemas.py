from datetime import date

from django.urls import reverse
from ninja import Schema

from .formatting import time_limit_text


class FieldOut(Schema):
    code: str
    name: str
    name_en: str


class TimeLimitOut(Schema):
    amount: int
    unit: str
    verification_extension_days: int
    hours: int
    text: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: FieldOut
    level: str
    online_level: str
    time_limit: TimeLimitOut
    result_kind: str
    fee_note: str
    is_active: bool

    @staticmethod
    def resolve_time_limit(obj) -> dict:
        return {
            "amount": obj.time_limit_amount,
            "unit": obj.time_limit_unit,
            "verification_extension_days": obj.verification_extension_days,
            "hours": obj.legal_limit_hours,
            "text": time_limit_text(obj),
        }


class ComponentOut(Schema):
    order: int
    name: str
    originals: int
    copies: int
    is_mandatory: bool
    condition: str
    reusable: bool
    accepted_types: list[str]
    form_code: str
    blank_form_url: str | None = None

    @staticmethod
    def resolve_blank_form_url(obj) -> str | None:
        if not obj.blank_form:
            return None
        return reverse("catalog:blank_form", kwargs={"code": obj.procedure.code, "pk": obj.pk})


class FeeRuleOut(Schema):
    id: int
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


class FeeExemptionOut(Schema):
    code: str
    reason: str
    legal_ref: str


class ProcedureDetailOut(ProcedureOut):
    applicant_types: list[str]
    result_name: str
    legal_basis: str
    effective_from: date | None
    effective_to: date | None
    components: list[ComponentOut]
    fees: list[FeeRuleOut]
    exemptions: list[FeeExemptionOut]

    @staticmethod
    def resolve_components(obj):
        return list(obj.components.all())

    @staticmethod
    def resolve_fees(obj):
        return list(obj.fee_rules.all())

    @staticmethod
    def resolve_exemptions(obj):
        return list(obj.fee_exemptions.all())
