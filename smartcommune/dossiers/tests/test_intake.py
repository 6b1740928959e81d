import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from smartcommune.audit.models import AuditEntry
from smartcommune.core.errors import InvalidInput
from smartcommune.directory.factories import make_official
from smartcommune.directory.policies import grant_scopes
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.errors import DossierIncomplete
from smartcommune.dossiers.models import DailySequence, Dossier, DossierFile
from smartcommune.dossiers.services import codes
from smartcommune.dossiers.services.assignment import pick_assignee
from smartcommune.dossiers.services.intake import ComponentIn, FeeIn, dossier_receive

from .conftest import vn

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def receive(org, catalog, people, **kwargs):
    kwargs.setdefault("components", [ComponentIn(catalog.declaration, originals=1)])
    kwargs.setdefault("received_at", vn(2026, 8, 13, 10, 20))
    kwargs.setdefault("cash_receipt_number", "BL-0001")
    return dossier_receive(
        actor=org.officer, org_unit=org.muong_dun, procedure=catalog.marital, citizen=people.citizen, **kwargs
    )


def test_a_complete_dossier_gets_code_due_date_and_first_step(org, catalog, people):
    dossier = receive(org, catalog, people)
    assert dossier.code == "000.01.00.H18-260813-0001"
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.due_at == vn(2026, 8, 18, 10, 20)  # DOMAIN.md §1.6 worked example: 3 WD
    assert dossier.current_assignee == org.officer  # the counter officer keeps the reception step
    assert dossier.current_step.due_at == vn(2026, 8, 13, 14, 20)  # 2 working hours, over the lunch break
    assert dossier.applicant_name == "Lò Thị Ánh" and dossier.applicant_name_folded == "lo thi anh"
    assert AuditEntry.objects.filter(action="dossier.received", target_id=str(dossier.pk)).exists()
    assert dossier.events.get().kind == "received"


def test_codes_count_per_agency_and_day(org, catalog, people):
    first = receive(org, catalog, people)
    second = receive(org, catalog, people, cash_receipt_number="BL-0002")
    next_day = receive(org, catalog, people, received_at=vn(2026, 8, 14, 9, 0), cash_receipt_number="BL-0003")
    assert [first.code[-4:], second.code[-4:]] == ["0001", "0002"]
    assert next_day.code == "000.01.00.H18-260814-0001"


def test_a_rolled_back_intake_gives_its_number_back(org, catalog, people):
    first = receive(org, catalog, people)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput):  # refused after the number was taken
        receive(
            org,
            catalog,
            people,
            components=[ComponentIn(catalog.declaration, originals=1, files=[fake])],
            cash_receipt_number="BL-0002",
        )
    second = receive(org, catalog, people, cash_receipt_number="BL-0003")
    assert [first.code[-4:], second.code[-4:]] == ["0001", "0002"]
    assert DailySequence.objects.get().last_value == 2


def test_numbers_go_on_the_same_on_a_sqlite_without_returning(org, catalog, people, monkeypatch):
    first = receive(org, catalog, people)
    with monkeypatch.context() as patch, transaction.atomic():
        # SQLite before 3.35 has no RETURNING: the counter is read and written with the ORM instead.
        patch.setattr(connection.features, "can_return_columns_from_insert", False)
        taken = codes.next_code(agency_code=first.agency_code, day=date(2026, 8, 13))
    third = receive(org, catalog, people, cash_receipt_number="BL-0003")
    assert [first.code[-4:], taken[-4:], third.code[-4:]] == ["0001", "0002", "0003"]


def test_incomplete_dossier_is_not_received_and_takes_no_number(org, catalog, people):
    with pytest.raises(DossierIncomplete):
        receive(org, catalog, people, components=[ComponentIn(catalog.optional, copies=1)])
    assert not Dossier.objects.exists()
    assert not DailySequence.objects.filter(last_value__gt=0).exists()


def test_same_client_token_creates_one_dossier(org, catalog, people):
    first = receive(org, catalog, people, client_token="tap-1")
    again = receive(org, catalog, people, client_token="tap-1")
    assert first.pk == again.pk and Dossier.objects.count() == 1


def test_unpaid_fee_waits_in_status_6(org, catalog, people):
    dossier = receive(org, catalog, people, cash_receipt_number="")
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    assert dossier.fee_total == 5000
    assert list(dossier.fee_lines.values_list("amount", flat=True)) == [5000]


def test_certified_copy_fee_by_pages_and_copies(org, catalog, people):
    dossier = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=catalog.copy,
        citizen=people.citizen,
        components=[ComponentIn(catalog.original, originals=1)],
        fee_in=FeeIn(pages=3, copies=2),
        cash_receipt_number="BL-0100",
        received_at=vn(2026, 8, 28, 15, 40),
    )
    assert dossier.fee_total == 10000  # (2×2,000 + 1,000) × 2 copies, Circular 226/2016
    assert dossier.due_at.date() == vn(2026, 9, 3).date()  # after 15:00 and the 2/9 holidays


def test_scans_are_stored_with_their_hash_and_bad_files_refused(org, catalog, people):
    scan = SimpleUploadedFile("tờ khai.pdf", PDF, content_type="application/pdf")
    dossier = receive(
        org, catalog, people, components=[ComponentIn(catalog.declaration, originals=1, files=[scan])]
    )
    stored = DossierFile.objects.get(dossier=dossier)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.original_name == "tờ khai.pdf"

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as err:
        receive(
            org,
            catalog,
            people,
            components=[ComponentIn(catalog.declaration, originals=1, files=[fake])],
            cash_receipt_number="BL-9",
        )
    assert err.value.code == "file_content"
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("ids_from_bulk_insert", [True, False], ids=["one-insert", "sqlite-before-3.35"])
def test_each_component_keeps_its_own_scans(org, catalog, people, monkeypatch, ids_from_bulk_insert):
    # On the class: SQLite derives it from its version with a property.
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", ids_from_bulk_insert)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    dossier = receive(
        org,
        catalog,
        people,
        components=[
            ComponentIn(
                catalog.declaration,
                originals=1,
                files=[
                    SimpleUploadedFile("trang-1.pdf", PDF, content_type="application/pdf"),
                    SimpleUploadedFile("trang-2.png", png, content_type="image/png"),
                ],
            ),
            ComponentIn(
                catalog.optional, copies=2, files=[SimpleUploadedFile("ly-hon.pdf", PDF, "application/pdf")]
            ),
        ],
    )
    given = {c.component_id: c for c in dossier.components.all()}
    assert (given[catalog.declaration.pk].originals, given[catalog.optional.pk].copies) == (1, 2)
    scans = {f.original_name: f for f in dossier.files.all()}
    assert {name: f.component.component_id for name, f in scans.items()} == {
        "trang-1.pdf": catalog.declaration.pk,
        "trang-2.png": catalog.declaration.pk,
        "ly-hon.pdf": catalog.optional.pk,
    }
    assert scans["trang-2.png"].content_type == "image/png"
    assert scans["ly-hon.pdf"].file.read() == PDF
    assert all(
        f.uploaded_at and f.uploaded_by == org.officer and f.kind == "component" for f in scans.values()
    )


def test_the_counter_officer_keeps_the_reception_step_without_a_query_for_it(
    org, catalog, people, django_assert_num_queries
):
    grant_scopes(org.officer)  # loaded by the request before the dossier is received
    with django_assert_num_queries(0):
        assert (
            pick_assignee(role_code="one_stop_officer", unit=org.muong_dun, prefer=org.officer) == org.officer
        )
    # Not eligible: the next one-stop officer in turn takes the step.
    other = pick_assignee(role_code="one_stop_officer", unit=org.muong_dun, prefer=org.specialist)
    assert other == org.officer


def test_a_grant_over_an_inactive_unit_still_keeps_the_reception_step(org, catalog, people):
    province_officer = make_official(org.province, "one_stop_officer")
    org.province.is_active = False  # the request's grants leave it out; the role holders do not
    org.province.save(update_fields=["is_active"])
    assert (
        pick_assignee(role_code="one_stop_officer", unit=org.muong_dun, prefer=province_officer)
        == province_officer
    )
