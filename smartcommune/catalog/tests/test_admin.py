import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.audit.models import AuditEntry
from smartcommune.catalog.factories import make_field, make_procedure, make_process
from smartcommune.catalog.models import Procedure, ProcessStep
from smartcommune.directory.factories import make_official
from smartcommune.directory.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, org):
    org.province_admin.is_staff = True
    org.province_admin.save()
    client.force_login(org.province_admin)
    return client


def _management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _procedure_post(field, **changes):
    data = {
        "code": "1.004837",
        "name": "Đăng ký giám hộ",
        "field": field.pk,
        "level": "commune",
        "applicant_types": ["citizen"],
        "life_events": "",
        "time_limit_amount": "3",
        "time_limit_unit": "working_days",
        "verification_extension_days": "0",
        "online_level": "partial",
        "result_kind": "document",
        "result_name": "Trích lục đăng ký giám hộ",
        "result_template": "",
        "legal_basis": "Luật Hộ tịch 2014",
        "fee_note": "",
        "is_active": "on",
        **_management("components", 1),
        "components-0-order": "1",
        "components-0-name": "Tờ khai đăng ký giám hộ",
        "components-0-originals": "1",
        "components-0-copies": "0",
        "components-0-is_mandatory": "on",
        "components-0-accepted_types": "pdf, .JPG",
        "components-0-form_code": "Tờ khai đăng ký giám hộ",
        **_management("fee_rules", 1),
        "fee_rules-0-name": "Miễn lệ phí",
        "fee_rules-0-kind": "fixed",
        "fee_rules-0-amount": "0",
        "fee_rules-0-tier_pages": "0",
        "fee_rules-0-next_amount": "0",
        "fee_rules-0-legal_ref": "Luật Hộ tịch 2014, Điều 11",
        **_management("fee_exemptions", 0),
    }
    data.update(changes)
    return data


def test_province_admin_adds_a_procedure_with_inlines_and_it_is_audited(admin_client, org):
    field = make_field()
    response = admin_client.post("/admin/catalog/procedure/add/", _procedure_post(field))
    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure = Procedure.objects.get(code="1.004837")
    assert procedure.name_folded == "dang ky giam ho"
    component = procedure.components.get()
    assert component.accepted_types == ["pdf", "jpg"]
    entry = AuditEntry.objects.get(action="procedure.created", target_id=str(procedure.pk))
    assert entry.actor == org.province_admin and entry.org_unit == org.province
    assert entry.data["inlines"]["component"]["added"] == 1
    assert entry.data["snapshot"]["components"][0]["name"] == "Tờ khai đăng ký giám hộ"


def test_a_change_records_the_changed_fields_and_inline_rows(admin_client, org):
    procedure = make_procedure("1.004873", fee=5000)
    fee = procedure.fee_rules.get()
    component = procedure.components.get()
    exemption = procedure.fee_exemptions.get()
    data = _procedure_post(
        procedure.field,
        code="1.004873",
        name=procedure.name,
        time_limit_amount="5",
        **_management("components", 1, 1),
        **{"components-0-id": component.pk, "components-0-procedure": procedure.pk},
        **_management("fee_rules", 1, 1),
        **{"fee_rules-0-id": fee.pk, "fee_rules-0-procedure": procedure.pk, "fee_rules-0-amount": "6000",
           "fee_rules-0-name": "Lệ phí", "fee_rules-0-legal_ref": "NQ HĐND"},
        **_management("fee_exemptions", 1, 1),
        **{"fee_exemptions-0-id": exemption.pk, "fee_exemptions-0-procedure": procedure.pk,
           "fee_exemptions-0-code": exemption.code, "fee_exemptions-0-reason": exemption.reason,
           "fee_exemptions-0-legal_ref": exemption.legal_ref},
    )  # fmt: skip
    response = admin_client.post(f"/admin/catalog/procedure/{procedure.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="procedure.updated")
    assert "time_limit_amount" in entry.data["fields"]
    assert entry.data["inlines"]["feerule"]["changed"] == [{"id": fee.pk, "fields": ["amount"]}]
    assert entry.data["snapshot"]["fees"][0]["amount"] == 6000


def test_history_is_the_audit_trail_of_the_procedure(admin_client, org):
    procedure = make_procedure()
    response = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/history/")
    assert response.status_code == 302
    assert response.url == f"/audit/?target_type=catalog.procedure&target_id={procedure.pk}"


def test_procedures_cannot_be_deleted_only_deactivated(admin_client, org):
    procedure = make_procedure()
    assert admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/delete/").status_code == 403
    assert Procedure.objects.filter(pk=procedure.pk).exists()


def test_accent_insensitive_admin_search(admin_client, org):
    make_procedure(name="Đăng ký kết hôn")
    response = admin_client.get("/admin/catalog/procedure/", {"q": "ket hon"})
    assert [p.name for p in response.context["cl"].result_list] == ["Đăng ký kết hôn"]


def _steps_post(process, steps, *, org_unit=""):
    data = {"procedure": process.procedure_id, "org_unit": org_unit, "legal_ref": "QĐ 1/2026",
            **_management("steps", len(steps), process.steps.count())}  # fmt: skip
    existing = list(process.steps.order_by("order"))
    role = Role.objects.get(code="specialist")
    for i, (order, hours) in enumerate(steps):
        data |= {
            f"steps-{i}-order": str(order),
            f"steps-{i}-name": f"Bước {order}",
            f"steps-{i}-role": role.pk,
            f"steps-{i}-duration_hours": hours,
            f"steps-{i}-process": process.pk,
        }
        if i < len(existing):
            data[f"steps-{i}-id"] = existing[i].pk
    return data


def test_process_steps_over_the_legal_limit_are_refused_in_the_admin(admin_client, org):
    procedure = make_procedure(amount=3)  # 24 working hours
    process = procedure.processes.get()
    before = list(ProcessStep.objects.values())
    data = _steps_post(process, [(1, "2"), (2, "16"), (3, "4"), (4, "2.5")])
    response = admin_client.post(f"/admin/catalog/processtemplate/{process.pk}/change/", data)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "24.5" in errors
    assert list(ProcessStep.objects.values()) == before
    assert not AuditEntry.objects.filter(action__startswith="processtemplate.").exists()


def test_process_steps_that_fit_are_saved_and_audited(admin_client, org):
    procedure = make_procedure(amount=3)
    process = procedure.processes.get()
    data = _steps_post(process, [(1, "2"), (2, "16"), (3, "4"), (4, "2")])
    response = admin_client.post(f"/admin/catalog/processtemplate/{process.pk}/change/", data)
    assert response.status_code == 302
    assert process.steps.get(order=2).duration_hours == 16
    entry = AuditEntry.objects.get(action="processtemplate.updated")
    assert [s["duration_hours"] for s in entry.data["snapshot"]["steps"]] == ["2.0", "16.0", "4.0", "2.0"]


def test_staff_without_catalog_manage_are_refused(client, org):
    org.officer.is_staff = True
    org.officer.save()
    client.force_login(org.officer)
    assert client.get("/admin/catalog/procedure/").status_code == 403
    assert client.get("/admin/catalog/processtemplate/").status_code == 403


def test_a_commune_manager_sees_only_the_communes_processes(client, org):
    procedure = make_procedure()
    own = make_process(procedure, org_unit=org.muong_dun)
    make_process(procedure, org_unit=org.phin_ho)
    user = make_official(org.muong_dun, "province_admin", username="quantri_xa", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/catalog/procedure/").status_code == 403  # not province-wide
    listing = client.get("/admin/catalog/processtemplate/")
    assert list(listing.context["cl"].result_list) == [own]


def test_a_blank_form_must_be_a_document(admin_client, org):
    procedure = make_procedure("1.004873", fee=None)
    component = procedure.components.get()
    data = _procedure_post(
        procedure.field,
        code="1.004873",
        name=procedure.name,
        **_management("components", 1, 1),
        **{"components-0-id": component.pk, "components-0-procedure": procedure.pk,
           "components-0-blank_form": SimpleUploadedFile("virus.exe", b"MZ")},
        **_management("fee_rules", 0),
    )  # fmt: skip
    response = admin_client.post(f"/admin/catalog/procedure/{procedure.pk}/change/", data)
    assert response.status_code == 200
    component.refresh_from_db()
    assert not component.blank_form
    assert not AuditEntry.objects.filter(action="procedure.updated").exists()
