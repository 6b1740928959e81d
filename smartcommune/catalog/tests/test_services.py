from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import translation

from smartcommune.audit.models import AuditEntry
from smartcommune.catalog.data import official_bundle
from smartcommune.catalog.errors import CatalogInvalid
from smartcommune.catalog.factories import make_procedure
from smartcommune.catalog.models import (
    Component,
    FeeExemption,
    FeeRule,
    Field,
    Procedure,
    ProcessStep,
    ProcessTemplate,
)
from smartcommune.catalog.selectors import catalog_bundle
from smartcommune.catalog.services import (
    catalog_apply,
    catalog_load_official,
    process_create,
    process_set_steps,
)
from smartcommune.catalog.specs import CatalogBundle, ComponentSpec, FeeSpec

pytestmark = pytest.mark.django_db


def _rows():
    return {
        "procedures": list(Procedure.objects.order_by("pk").values()),
        "components": list(Component.objects.order_by("pk").values()),
        "fees": list(FeeRule.objects.order_by("pk").values()),
        "exemptions": list(FeeExemption.objects.order_by("pk").values()),
        "steps": list(ProcessStep.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_loading_the_official_catalog_creates_and_audits_it(org):
    result = catalog_load_official(actor=None)
    assert result.created == Procedure.objects.count() >= 30
    assert ProcessTemplate.objects.filter(org_unit=None).count() == result.created
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name_folded == "dang ky khai sinh"
    assert birth.field.code == "ho-tich"
    entry = AuditEntry.objects.get(action="procedure.created", target_id=str(birth.pk))
    assert entry.org_unit == org.province  # the province's chain: its administrators see it
    assert entry.data["snapshot"]["code"] == "1.001193"
    assert AuditEntry.objects.filter(action="processtemplate.created").count() == result.created


def test_loading_twice_changes_nothing_and_records_nothing(org, official):
    before = _rows()
    result = catalog_load_official(actor=None)
    assert (result.created, result.updated, result.processes_changed) == (0, 0, 0)
    assert result.unchanged == official.created
    assert _rows() == before


def test_loading_puts_back_an_edited_procedure_and_keeps_row_ids(org, official):
    procedure = Procedure.objects.get(code="2.000815")
    FeeRule.objects.filter(procedure=procedure).update(amount=3_000)
    component_ids = list(procedure.components.values_list("pk", flat=True))
    fee_ids = list(procedure.fee_rules.values_list("pk", flat=True))
    result = catalog_load_official(actor=org.province_admin)
    assert result.updated == 1
    assert procedure.fee_rules.get().amount == 2_000
    assert list(procedure.components.values_list("pk", flat=True)) == component_ids
    assert list(procedure.fee_rules.values_list("pk", flat=True)) == fee_ids
    entry = AuditEntry.objects.filter(action="procedure.updated", target_id=str(procedure.pk)).get()
    assert entry.data["fields"] == ["fees"]
    assert entry.actor == org.province_admin


def test_applying_a_bundle_replaces_a_procedures_children(org, official):
    bundle = official_bundle()
    birth = next(p for p in bundle.procedures if p.code == "1.001193")
    changed = replace(
        birth,
        name="  Đăng ký  khai sinh ",  # stored normalized: no change
        components=(ComponentSpec(order=1, name="Tờ khai đăng ký khai sinh"),),
        fees=(*birth.fees, FeeSpec("Phí mới", "fixed", 1_000, "NQ")),
    )
    result = catalog_apply(actor=None, bundle=CatalogBundle(procedures=(changed,)))
    assert result.updated == 1
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Đăng ký khai sinh"
    assert list(procedure.components.values_list("name", flat=True)) == ["Tờ khai đăng ký khai sinh"]
    assert procedure.fee_rules.count() == 2
    entry = AuditEntry.objects.filter(action="procedure.updated").latest("pk")
    assert entry.data["fields"] == ["components", "fees"]


def test_an_invalid_bundle_changes_nothing(org, official):
    before = _rows()
    bundle = official_bundle()
    broken = replace(bundle.procedures[0], online_level="maybe")
    with pytest.raises(CatalogInvalid) as exc:
        catalog_apply(actor=None, bundle=CatalogBundle(procedures=(bundle.procedures[1], broken)))
    assert [e.column for e in exc.value.errors] == ["online_level"]
    assert _rows() == before


def test_a_new_field_is_created_and_audited(org):
    bundle = official_bundle()
    catalog_apply(actor=None, bundle=replace(bundle, procedures=(), processes=()))
    assert Field.objects.count() == len(bundle.fields)
    assert AuditEntry.objects.filter(action="field.created").count() == len(bundle.fields)
    renamed = replace(bundle.fields[0], name_en="Civil registration")
    result = catalog_apply(actor=None, bundle=CatalogBundle(fields=(renamed,)))
    assert result.fields_changed == 1
    assert Field.objects.get(code=renamed.code).name_en == "Civil registration"
    assert AuditEntry.objects.get(action="field.updated").data == {"fields": ["name_en"]}


# --- internal processes ----------------------------------------------------------------------------


def _steps(*hours, orders=None, role="specialist"):
    orders = orders or range(1, len(hours) + 1)
    return [
        {"order": o, "name": f"Bước {o}", "role": role, "duration_hours": h}
        for o, h in zip(orders, hours, strict=True)
    ]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (_steps("2", "16", "4", "2.5"), "24.5"),  # over 3 working days = 24 h
        (_steps("2", "2", orders=[1, 1]), "order 1"),
        (_steps("2", "0.25"), "half an hour"),
        (_steps("2", "0"), "more than 0"),
        (_steps("2", "-1"), "more than 0"),
        (_steps("2", "abc"), "more than 0"),
        (_steps("2", role="wizard"), "wizard"),
        ([], "at least one step"),
    ],
)
def test_process_steps_that_break_a_rule_are_refused_and_nothing_changes(org, steps, message):
    procedure = make_procedure(amount=3)
    process = procedure.processes.get()
    before = _rows()
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        process_set_steps(actor=org.province_admin, process=process, steps=steps)
    with translation.override("en"):
        assert message in " ".join(exc.value.messages)
    assert _rows() == before


def test_same_day_processes_have_eight_hours(org):
    procedure = make_procedure(unit="same_day")
    process = procedure.processes.get()
    with pytest.raises(ValidationError):
        process_set_steps(actor=None, process=process, steps=_steps("4", "4.5"))
    process_set_steps(actor=None, process=process, steps=_steps("4", "4"))
    assert process.steps.count() == 2


def test_the_verification_extension_does_not_stretch_the_process(org):
    procedure = make_procedure(amount=3, extension=5)
    with pytest.raises(ValidationError):
        process_set_steps(actor=None, process=procedure.processes.get(), steps=_steps("24", "8"))


def test_setting_steps_replaces_them_keeps_matching_rows_and_audits(org):
    procedure = make_procedure(amount=3)
    process = procedure.processes.get()
    first = process.steps.get(order=1)
    steps = _steps("0.5", "20", "3.5")
    steps[1]["route_to"] = org.phin_ho
    process_set_steps(actor=org.province_admin, process=process, steps=steps)
    assert list(process.steps.order_by("order").values_list("order", "duration_hours", "route_to")) == [
        (1, Decimal("0.5"), None),
        (2, Decimal("20.0"), org.phin_ho.pk),
        (3, Decimal("3.5"), None),
    ]
    assert process.steps.get(order=1).pk == first.pk
    entry = AuditEntry.objects.get(action="processtemplate.updated")
    assert [s["duration_hours"] for s in entry.data["snapshot"]["steps"]] == ["0.5", "20", "3.5"]


def test_a_commune_process_is_created_once(org):
    procedure = make_procedure(amount=3)
    process = process_create(
        actor=org.province_admin, procedure=procedure, org_unit=org.muong_dun, steps=_steps("8", "8")
    )
    assert process.org_unit == org.muong_dun
    assert AuditEntry.objects.get(action="processtemplate.created").org_unit == org.muong_dun
    with pytest.raises(ValidationError):
        process_create(
            actor=org.province_admin, procedure=procedure, org_unit=org.muong_dun, steps=_steps("8")
        )
    assert ProcessTemplate.objects.filter(procedure=procedure).count() == 2


def test_rows_that_dossiers_point_at_are_not_removed(org, monkeypatch):
    procedure = make_procedure("1.004873")
    bundle = catalog_bundle()
    (spec,) = bundle.procedures

    def protected(self, *args, **kwargs):
        raise ProtectedError("referenced by a fee line", {self})

    monkeypatch.setattr(FeeRule, "delete", protected)
    before = _rows()
    with pytest.raises(CatalogInvalid) as exc:
        catalog_apply(actor=None, bundle=replace(bundle, procedures=(replace(spec, fees=()),)))
    assert "1.004873" in exc.value.errors[0].message
    assert _rows() == before
    assert procedure.fee_rules.count() == 1
