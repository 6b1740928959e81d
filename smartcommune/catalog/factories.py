"""Test factories for the catalog. `make_procedure()` builds a procedure with its default process."""

import itertools
from decimal import Decimal

from django.core.files.base import ContentFile

from smartcommune.core.text import fold
from smartcommune.directory.models import Role

from .choices import FeeKind, OnlineLevel, ResultKind, TimeLimitUnit
from .models import Component, FeeExemption, FeeRule, Field, Procedure, ProcessStep, ProcessTemplate

_codes = itertools.count(1)


def make_field(code: str = "ho-tich", name: str = "Hộ tịch") -> Field:
    return Field.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_procedure(
    code: str | None = None,
    name: str = "Cấp Giấy xác nhận tình trạng hôn nhân",
    *,
    field: Field | None = None,
    unit: str = TimeLimitUnit.WORKING_DAYS,
    amount: int = 3,
    extension: int = 0,
    online_level: str = OnlineLevel.FULL,
    fee: int | None = 5000,
    with_process: bool = True,
    **extra,
) -> Procedure:
    """A procedure with one mandatory component, an optional fixed fee, one exemption and a
    four-step province-default process filling its legal limit."""
    procedure = Procedure.objects.create(
        code=code or f"9.{next(_codes):06d}",
        name=name,
        name_folded=fold(name),
        field=field or make_field(),
        applicant_types=["citizen"],
        time_limit_amount=amount if unit != TimeLimitUnit.SAME_DAY else 0,
        time_limit_unit=unit,
        verification_extension_days=extension,
        online_level=online_level,
        result_kind=ResultKind.DOCUMENT,
        **extra,
    )
    Component.objects.create(
        procedure=procedure,
        order=1,
        name="Tờ khai",
        accepted_types=["pdf", "jpg", "png"],
        form_code="Tờ khai",
    )
    if fee is not None:
        FeeRule.objects.create(
            procedure=procedure, name="Lệ phí", kind=FeeKind.FIXED, amount=fee, legal_ref="NQ HĐND"
        )
        FeeExemption.objects.create(
            procedure=procedure, code="poor-household", reason="Hộ nghèo", legal_ref="Luật HT"
        )
    if with_process:
        make_process(procedure)
    return procedure


def make_process(
    procedure: Procedure, org_unit=None, hours: tuple[str, ...] | None = None
) -> ProcessTemplate:
    limit = procedure.legal_limit_hours
    hours = hours or ("0.5", str(limit - 2), "1", "0.5")
    roles = ["one_stop_officer", "specialist", "commune_leader", "one_stop_officer"]
    process = ProcessTemplate.objects.create(procedure=procedure, org_unit=org_unit)
    for order, (h, role) in enumerate(zip(hours, itertools.cycle(roles)), start=1):
        ProcessStep.objects.create(
            process=process,
            order=order,
            name=f"Bước {order}",
            role=Role.objects.get(code=role),
            duration_hours=Decimal(h),
        )
    return process


def attach_blank_form(component: Component, name: str = "to-khai.pdf", content: bytes = b"%PDF-1.4\n%%EOF\n"):
    """Give `component` a stored blank form; returns the public download path."""
    component.blank_form.save(name, ContentFile(content), save=True)
    return f"/procedures/{component.procedure.code}/forms/{component.pk}/"
