"""The catalog's rules, checked without the database."""

from dataclasses import replace
from decimal import Decimal

from smartcommune.catalog.specs import (
    CatalogBundle,
    ComponentSpec,
    FeeSpec,
    FieldSpec,
    ProcedureSpec,
    ProcessSpec,
    StepSpec,
)
from smartcommune.catalog.validation import bundle_errors, limit_hours, step_problems

ROLES = {"one_stop_officer", "specialist", "commune_leader"}


def steps(*hours, orders=None):
    orders = orders or range(1, len(hours) + 1)
    return tuple(
        StepSpec(order=o, name=f"Bước {o}", role_code="specialist", duration_hours=Decimal(h))
        for o, h in zip(orders, hours, strict=True)
    )


def test_limits_in_hours():
    assert limit_hours("working_days", 3) == 24
    assert limit_hours("working_hours", 6) == 6
    assert limit_hours("same_day", 0) == 8


def test_steps_that_fill_the_limit_exactly_pass():
    assert step_problems(steps("2", "16", "4", "2"), limit=24) == []


def test_steps_over_the_limit_are_refused_with_the_totals():
    (problem,) = step_problems(steps("2", "16.5", "4", "2"), limit=24)
    assert problem.index is None
    assert "24.5" in problem.message and "24" in problem.message


def test_repeated_orders_quarter_hours_and_non_positive_durations_are_refused():
    problems = step_problems(steps("1", "0.25", "0", "-1", orders=[1, 1, 2, 3]), limit=24)
    fields = [(p.index, p.field) for p in problems]
    assert (0, "order") in fields and (1, "order") in fields
    assert (1, "duration_hours") in fields
    assert (2, "duration_hours") in fields and (3, "duration_hours") in fields


def test_no_steps_at_all_is_refused():
    assert step_problems((), limit=8)[0].field == "steps"


FIELD = FieldSpec("ho-tich", "Hộ tịch")
GOOD = ProcedureSpec(
    code="1.004873",
    name="Cấp Giấy xác nhận tình trạng hôn nhân",
    field_code="ho-tich",
    time_limit_unit="working_days",
    time_limit_amount=3,
    online_level="full",
    components=(ComponentSpec(order=1, name="Tờ khai"),),
    fees=(FeeSpec("Lệ phí", "fixed", 5_000, "NQ HĐND"),),
)


def _errors(procedure=GOOD, processes=()):
    return bundle_errors(
        CatalogBundle(fields=(FIELD,), procedures=(procedure,), processes=processes), role_codes=ROLES
    )


def test_a_good_procedure_has_no_errors():
    assert _errors() == []


def test_bad_procedure_values_are_each_reported():
    bad = replace(
        GOOD,
        code="1001193",
        field_code="nope",
        time_limit_unit="weeks",
        online_level="maybe",
        applicant_types=("alien",),
        name="x" * 401,
    )
    columns = {e.column for e in _errors(bad)}
    assert {"code", "field_code", "time_limit_unit", "online_level", "applicant_types", "name"} <= columns


def test_days_limit_needs_an_amount_but_same_day_does_not():
    assert {e.column for e in _errors(replace(GOOD, time_limit_amount=0))} == {"time_limit_amount"}
    assert _errors(replace(GOOD, time_limit_amount=0, time_limit_unit="same_day")) == []


def test_fee_rules_are_checked():
    fees = (
        FeeSpec("Theo trang", "per_page", 2_000, "TT 226", amount_online=1_000),
        FeeSpec("Cố định", "fixed", 5_000, "", cap=100),
        FeeSpec("Âm", "fixed", -5, "NQ"),
    )
    columns = [e.column for e in _errors(replace(GOOD, fees=fees))]
    assert columns.count("amount_online") == 1
    assert "legal_ref" in columns and "kind" in columns and "amount" in columns


def test_a_conditional_component_must_not_be_mandatory():
    component = ComponentSpec(order=1, name="Giấy ủy quyền", condition="Khi nộp thay", is_mandatory=True)
    assert [e.column for e in _errors(replace(GOOD, components=(component,)))] == ["condition"]


def test_process_over_the_limit_unknown_role_and_unit_are_reported():
    process = ProcessSpec(
        procedure_code=GOOD.code,
        unit_code="999.99.99.H18",
        steps=(
            StepSpec(order=1, name="Tiếp nhận", role_code="wizard", duration_hours=Decimal(20)),
            StepSpec(order=2, name="Xử lý", role_code="specialist", duration_hours=Decimal(8)),
        ),
    )
    columns = {e.column for e in _errors(processes=(process,))}
    assert columns == {"unit_code", "role_code", "duration_hours"}
