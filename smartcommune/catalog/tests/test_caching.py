"""Intake reads the catalog through a cache; no change to the catalog may leave a stale entry."""

from decimal import Decimal

import pytest

from smartcommune.catalog.factories import make_procedure
from smartcommune.catalog.models import FeeRule, ProcessStep
from smartcommune.catalog.selectors import procedure_detail, process_for
from smartcommune.catalog.services import process_set_steps

pytestmark = pytest.mark.django_db


def test_a_procedure_is_read_once_then_served_from_the_cache(org, django_assert_num_queries):
    procedure = make_procedure(code="1.000001")
    procedure_detail("1.000001")
    process_for(procedure, org.muong_dun)
    with django_assert_num_queries(0):
        assert procedure_detail("1.000001").components.all()[0].name == "Tờ khai"
        assert len(process_for(procedure, org.muong_dun).steps.all()) == 4


def test_a_fee_changed_anywhere_is_seen_by_the_next_read(org):
    make_procedure(code="1.000002", fee=5000)
    assert procedure_detail("1.000002").fee_rules.all()[0].amount == 5000
    rule = FeeRule.objects.get(procedure__code="1.000002")
    rule.amount = 8000
    rule.save()  # e.g. the admin

    assert procedure_detail("1.000002").fee_rules.all()[0].amount == 8000


def test_new_process_steps_written_in_bulk_are_seen_by_the_next_read(org):
    procedure = make_procedure(code="1.000003", amount=3)
    assert len(process_for(procedure, org.muong_dun).steps.all()) == 4

    steps = [
        {"order": 1, "name": "Tiếp nhận", "role": "one_stop_officer", "duration_hours": "4"},
        {"order": 2, "name": "Giải quyết", "role": "specialist", "duration_hours": "20"},
    ]
    process_set_steps(actor=org.province_admin, process=procedure.processes.get(), steps=steps)

    fresh = process_for(procedure, org.muong_dun)
    assert [(s.name, s.duration_hours) for s in fresh.steps.all()] == [
        ("Tiếp nhận", Decimal("4")),
        ("Giải quyết", Decimal("20")),
    ]
    assert ProcessStep.objects.filter(process__procedure=procedure).count() == 2


def test_a_deleted_procedure_is_not_served_from_the_cache(org):
    from smartcommune.core.errors import NotFound

    procedure = make_procedure(code="1.000004", with_process=False)
    procedure_detail("1.000004")
    procedure.components.all().delete()
    FeeRule.objects.filter(procedure=procedure).delete()
    procedure.fee_exemptions.all().delete()
    procedure.delete()
    with pytest.raises(NotFound):
        procedure_detail("1.000004")
