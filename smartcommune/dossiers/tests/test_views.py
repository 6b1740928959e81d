"""The one-stop screens through HTTP: intake at the counter, the actions on a dossier, the lists,
files and the ledger. Pages are asked for in English so that assertions read the msgids."""

import hashlib
import io
import re
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from smartcommune.audit.models import AuditEntry
from smartcommune.directory import permissions as perms
from smartcommune.directory.choices import OrgUnitKind
from smartcommune.directory.factories import (
    CitizenFactory,
    make_official,
    make_province,
    make_unit,
    valid_personal_id,
)
from smartcommune.directory.models import Citizen, Role, RoleGrant
from smartcommune.directory.policies import citizen_for_reception
from smartcommune.directory.validators import mask_id_number
from smartcommune.documents.models import IssuedDocument
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.listing import PAGE_SIZE
from smartcommune.dossiers.models import DailySequence, Dossier, DossierFile, ReceptionNotice
from smartcommune.dossiers.services import processing as p
from smartcommune.dossiers.services.intake import ComponentIn, FeeIn, dossier_receive

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def officer(english, sign_in, org):
    return sign_in(org.officer)


def receive(org, catalog, people, **kwargs):
    kwargs.setdefault("components", [ComponentIn(catalog.declaration, originals=1)])
    kwargs.setdefault("cash_receipt_number", f"BL-{uuid.uuid4().hex[:8]}")
    kwargs.setdefault("procedure", catalog.marital)
    kwargs.setdefault("citizen", people.citizen)
    return dossier_receive(actor=org.officer, org_unit=org.muong_dun, **kwargs)


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def intake_data(catalog, people, **extra) -> dict:
    decl = catalog.declaration.pk
    data = {
        "client_token": uuid.uuid4().hex,
        "applicant_kind": "citizen",
        "personal_id": people.citizen.personal_id,
        "channel": "1",
        f"c{decl}_given": "on",
        f"c{decl}_originals": "1",
        f"c{decl}_copies": "0",
        f"c{catalog.optional.pk}_originals": "0",
        f"c{catalog.optional.pk}_copies": "0",
        "cash_receipt_number": "BL-0001",
        "intent": "receive",
    }
    data.update(extra)
    return data


def act(client, dossier, action, **data):
    prefix = action.replace("-", "_")
    payload = {f"{prefix}-version": dossier.version}
    payload.update({f"{prefix}-{k}": v for k, v in data.items()})
    return client.post(f"/dossiers/{dossier.code}/{action}/", payload)


# --- intake ------------------------------------------------------------------------------------------


def test_procedure_search_is_accent_insensitive_and_the_plain_list_redirects(officer, catalog):
    response = officer.get("/dossiers/new/", {"q": "tinh trang hon nhan"})

    assert response.status_code == 200
    assert b'href="/dossiers/new/1.004873/"' in response.content
    assert b'href="/dossiers/new/2.000815/"' not in response.content

    response = officer.get("/dossiers/new/", {"procedure": "2.000815"})

    assert response.status_code == 302
    assert response.url == "/dossiers/new/2.000815/"


def test_procedure_search_answers_a_fragment_to_htmx(officer, catalog):
    response = officer.get("/dossiers/new/", {"q": "chung thuc"}, **HTMX)

    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<div id="procedure-results"')
    assert b"2.000815" in response.content


def test_the_intake_form_lists_components_with_a_fresh_client_token(officer, catalog):
    response = officer.get("/dossiers/new/1.004873/")

    assert response.status_code == 200
    content = response.content.decode()
    assert catalog.declaration.name in content and catalog.optional.name in content
    token = response.context["form"]["client_token"].value()
    assert len(token) == 32 and f'value="{token}"' in content
    assert 'accept=".pdf,.jpg,.png"' in content
    assert "5,000 ₫" in content  # the fixed fee, assessed before anything is typed


def test_a_clerk_and_a_specialist_cannot_open_intake(english, sign_in, org, catalog):
    for user in (org.clerk, org.specialist):
        sign_in(user)
        assert english.get("/dossiers/new/").status_code == 404
        assert english.get("/dossiers/new/1.004873/").status_code == 404


def test_intake_with_a_scan_receives_the_dossier_and_stores_the_file(officer, org, catalog, people):
    scan = SimpleUploadedFile("tờ khai.pdf", PDF, content_type="application/pdf")
    data = intake_data(catalog, people, **{f"c{catalog.declaration.pk}_files": [scan]})

    response = officer.post("/dossiers/new/1.004873/", data)

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"/dossiers/{dossier.code}/"
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.citizen == people.citizen and dossier.received_by == org.officer
    assert dossier.payments.get().reference == "BL-0001"
    stored = DossierFile.objects.get(dossier=dossier)
    assert stored.original_name == "tờ khai.pdf"
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.component.component == catalog.declaration

    page = officer.get(response.url)
    content = page.content.decode()
    assert f"Dossier {dossier.code} received." in content
    assert f"/dossiers/{dossier.code}/files/{stored.public_id}/" in content


def test_intake_records_a_new_citizen_and_checks_the_birth_year(officer, org, catalog, people):
    personal_id = valid_personal_id(serial=424242)  # born 1990
    wrong = intake_data(
        catalog, people, personal_id=personal_id, full_name="Quàng Văn Mới", date_of_birth="1991-02-03"
    )

    response = officer.post("/dossiers/new/1.004873/", wrong)

    assert response.status_code == 400
    assert "encodes birth year 1990" in response.content.decode()
    assert not Citizen.objects.filter(personal_id=personal_id).exists() and not Dossier.objects.exists()

    response = officer.post("/dossiers/new/1.004873/", {**wrong, "date_of_birth": "1990-02-03"})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.citizen.personal_id == personal_id
    assert dossier.citizen.full_name == "Quàng Văn Mới" and dossier.citizen.home_unit == org.muong_dun


def test_a_new_citizen_is_not_recorded_when_their_dossier_is_not_received(officer, catalog, people):
    personal_id = valid_personal_id(serial=434343)
    data = intake_data(
        catalog, people, personal_id=personal_id, full_name="Quàng Văn Mới", date_of_birth="1990-02-03"
    )
    data[f"c{catalog.declaration.pk}_given"] = ""  # the mandatory declaration is missing

    response = officer.post("/dossiers/new/1.004873/", data)

    assert response.status_code == 400 and response.context["open_notice"] == "supplement"
    assert not Citizen.objects.filter(personal_id=personal_id).exists() and not Dossier.objects.exists()


def test_an_officer_of_two_communes_chooses_where_the_dossier_is_received(
    english, sign_in, org, catalog, people
):
    two = make_official(org.muong_dun, "one_stop_officer")
    RoleGrant.objects.create(user=two, role=Role.objects.get(code="one_stop_officer"), org_unit=org.phin_ho)
    client = sign_in(two)

    page = client.get("/dossiers/new/1.004873/").content.decode()
    assert f'<option value="{org.muong_dun.pk}">Xã Mường Đun</option>' in page
    assert f'<option value="{org.phin_ho.pk}">Xã Phìn Hồ</option>' in page

    response = client.post("/dossiers/new/1.004873/", intake_data(catalog, people, org_unit=org.phin_ho.pk))
    assert response.status_code == 302
    assert Dossier.objects.get().org_unit == org.phin_ho

    for elsewhere in (org.province.pk, "x"):  # not one of theirs, not a unit at all
        response = client.post("/dossiers/new/1.004873/", intake_data(catalog, people, org_unit=elsewhere))
        assert response.status_code == 400 and "org_unit" in response.context["form"].errors
    assert Dossier.objects.count() == 1


def test_an_unknown_number_without_a_name_asks_for_the_name(officer, catalog, people):
    data = intake_data(catalog, people, personal_id=valid_personal_id(serial=555))

    response = officer.post("/dossiers/new/1.004873/", data)

    assert response.status_code == 400
    assert "enter the full name to record them" in response.context["form"].errors["full_name"][0]
    assert not Dossier.objects.exists()


def test_a_missing_mandatory_component_offers_form_02_and_issues_it(officer, org, catalog, people):
    decl, opt = catalog.declaration.pk, catalog.optional.pk
    data = intake_data(
        catalog, people, **{f"c{decl}_given": "", f"c{opt}_given": "on", f"c{opt}_copies": "1"}
    )

    response = officer.post("/dossiers/new/1.004873/", data)

    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert not DailySequence.objects.filter(last_value__gt=0).exists()
    assert response.context["open_notice"] == "supplement"
    assert [c.pk for c in response.context["missing"]] == [decl]
    assert response.context["form"]["notice_items"].value() == catalog.declaration.name
    assert "Incomplete: issue a supplement request slip (Form 02)" in response.content.decode()

    data |= {
        "intent": "supplement",
        "notice_items": catalog.declaration.name,
        "notice_reason": "Thiếu tờ khai",
    }
    response = officer.post("/dossiers/new/1.004873/", data)

    notice = ReceptionNotice.objects.get()
    assert response.status_code == 302 and response.url == f"/dossiers/notices/{notice.pk}/"
    assert (notice.kind, notice.applicant_name, notice.items) == (
        "supplement",
        people.citizen.full_name,
        catalog.declaration.name,
    )
    assert not Dossier.objects.exists()
    page = officer.get(response.url)
    assert page.status_code == 200 and "Thiếu tờ khai" in page.content.decode()


def test_refusal_at_the_counter_records_form_03_with_reasons(officer, catalog, people):
    data = intake_data(catalog, people, intent="refuse", refusal_reason="")

    response = officer.post("/dossiers/new/1.004873/", data)

    assert response.status_code == 400 and not ReceptionNotice.objects.exists()

    response = officer.post("/dossiers/new/1.004873/", {**data, "refusal_reason": "Không thuộc thẩm quyền"})

    notice = ReceptionNotice.objects.get()
    assert response.status_code == 302
    assert (notice.kind, notice.reason) == ("refusal", "Không thuộc thẩm quyền")
    assert not Dossier.objects.exists()


def test_a_double_submit_with_the_same_client_token_creates_one_dossier(officer, catalog, people):
    data = intake_data(catalog, people)

    first = officer.post("/dossiers/new/1.004873/", data)
    second = officer.post("/dossiers/new/1.004873/", data)

    assert Dossier.objects.count() == 1
    assert first.url == second.url == f"/dossiers/{Dossier.objects.get().code}/"


def test_without_a_receipt_number_the_dossier_waits_for_payment(officer, catalog, people):
    response = officer.post("/dossiers/new/1.004873/", intake_data(catalog, people, cash_receipt_number=""))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.status == DossierStatus.AWAITING_PAYMENT and dossier.fee_total == 5000
    page = officer.get(response.url).content.decode()
    assert "It waits for the fee of 5.000 VND to be paid." in page


def test_a_certified_copy_is_charged_by_pages_and_copies(officer, catalog, people):
    data = {
        "client_token": uuid.uuid4().hex,
        "applicant_kind": "citizen",
        "personal_id": people.citizen.personal_id,
        "channel": "1",
        f"c{catalog.original.pk}_given": "on",
        f"c{catalog.original.pk}_originals": "1",
        f"c{catalog.original.pk}_copies": "0",
        "pages": "3",
        "copies": "2",
        "cash_receipt_number": "BL-0100",
    }

    preview = officer.post("/dossiers/new/2.000815/", {**data, "intent": "preview"})

    assert preview.status_code == 200 and preview.context["assessment"].total == 10000
    assert not Dossier.objects.exists()

    response = officer.post("/dossiers/new/2.000815/", {**data, "intent": "receive"})

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.fee_total == 10000  # (2×2,000 + 1,000) × 2


def test_the_fee_total_and_the_citizen_lookup_answer_fragments_to_htmx(officer, catalog, people):
    fees = officer.get("/dossiers/new/2.000815/", {"intent": "preview", "pages": "3", "copies": "2"}, **HTMX)

    assert fees.status_code == 200
    assert fees.content.lstrip().startswith(b'<div id="fee-total"')
    assert "10,000 ₫" in fees.content.decode()

    found = officer.get("/dossiers/new/1.004873/", {"personal_id": people.citizen.personal_id}, **HTMX)

    assert found.content.lstrip().startswith(b'<div id="applicant-lookup"')
    assert people.citizen.full_name in found.content.decode()

    unknown = officer.get("/dossiers/new/1.004873/", {"personal_id": valid_personal_id(serial=9)}, **HTMX)
    assert "Nobody with this number is recorded" in unknown.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizen_of_another_commune_is_received_here_and_the_lookup_is_audited(
    officer, org, catalog, people
):
    # Without the test transaction: the lookup view must open the one its audit entry needs.
    # Reception does not depend on where the applicant lives (DOMAIN.md, location-independent).
    stranger = CitizenFactory(home_unit=org.ban_c)  # lives in Phìn Hồ, applies in Mường Đun

    found = officer.get("/dossiers/new/1.004873/", {"personal_id": stranger.personal_id}, **HTMX)

    assert stranger.full_name in found.content.decode()
    entry = AuditEntry.objects.get(action="citizen.looked_up")
    assert (entry.actor, entry.target_id, entry.data) == (
        org.officer,
        str(stranger.pk),
        {"purpose": "reception"},
    )

    response = officer.post(
        "/dossiers/new/1.004873/", intake_data(catalog, people, personal_id=stranger.personal_id)
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and (dossier.citizen, dossier.org_unit) == (stranger, org.muong_dun)
    assert Citizen.objects.filter(personal_id=stranger.personal_id).count() == 1  # no second record


def test_only_the_full_number_of_someone_in_the_province_is_found(officer, org, catalog):
    elsewhere = make_province(name="Tỉnh Lai Châu", code="000.00.00.H29")
    outsider = CitizenFactory(
        home_unit=make_unit(elsewhere, "Xã Bum Tở", OrgUnitKind.COMMUNE, code="000.01.00.H29")
    )
    neighbour = CitizenFactory(home_unit=org.ban_c)

    outside = officer.get("/dossiers/new/1.004873/", {"personal_id": outsider.personal_id}, **HTMX)
    partial = officer.get("/dossiers/new/1.004873/", {"personal_id": neighbour.personal_id[:11]}, **HTMX)

    assert outsider.full_name not in outside.content.decode()
    assert neighbour.full_name not in partial.content.decode()
    assert not AuditEntry.objects.filter(action="citizen.looked_up").exists()


def test_officials_who_do_not_receive_find_nobody_by_number(org):
    citizen = org.citizen.citizen  # lives in Mường Đun
    assert citizen_for_reception(user=org.specialist, personal_id=citizen.personal_id) is None
    assert citizen_for_reception(user=org.no_role, personal_id=citizen.personal_id) is None
    assert citizen_for_reception(user=org.other_officer, personal_id=citizen.personal_id) == citizen


# --- one dossier and its actions ------------------------------------------------------------------------


@pytest.fixture
def dossier(org, catalog, people):
    return receive(org, catalog, people)


def test_the_dossier_page_shows_facts_steps_history_and_the_officers_actions(officer, dossier):
    response = officer.get(f"/dossiers/{dossier.code}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert dossier.code in content and dossier.procedure.name in content
    assert dossier.applicant_id_number in content  # the officer may view citizens' records
    assert "In time" in content and "text-bg-success" in content
    assert "Tiếp nhận" in content  # the first step of the control slip
    slugs = [a.slug for a in response.context["actions"]]
    assert slugs == ["forward", "request-supplement", "refuse", "withdraw", "apologize"]
    assert f'name="forward-version" value="{dossier.version}"' in content
    assert "<summary>Forward</summary>" in content  # in the reader's language, not the server's


def test_the_actions_are_named_in_the_readers_language(sign_in, org, dossier):
    client = sign_in(org.officer)
    assert "<summary>Chuyển xử lý</summary>" in client.get(f"/dossiers/{dossier.code}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<summary>Forward</summary>" in client.get(f"/dossiers/{dossier.code}/").content.decode()


def test_the_officer_forwards_to_a_chosen_holder_of_the_next_role_only(
    english, sign_in, org, people, dossier
):
    client = sign_in(org.officer)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    # The next step's specialists, by name, after "whoever's turn it is"; nobody else.
    assert f'<option value="{people.specialist2.pk}">{people.specialist2.full_name}</option>' in page
    assert f'<option value="{org.specialist.pk}">{org.specialist.full_name}</option>' in page
    assert f'<option value="{org.leader.pk}">' not in page

    refused = act(client, dossier, "forward", assignee=org.leader.pk)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert fresh(dossier).status == dossier.status  # nothing applied

    assert act(client, dossier, "forward", assignee=people.specialist2.pk).status_code == 302
    assert fresh(dossier).current_assignee == people.specialist2


def _without_csrf(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)  # htmx's header, in the page's body tag


def test_action_forms_drawn_once_per_version_show_new_candidates_and_never_keep_errors(
    english, sign_in, org, people, dossier
):
    client = sign_in(org.officer)
    first = client.get(f"/dossiers/{dossier.code}/").content.decode()
    again = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert _without_csrf(again) == _without_csrf(first)  # drawn, then read back: the same page

    # A specialist granted since: offered at once, though the dossier has not changed.
    newcomer = make_official(
        org.muong_dun, "specialist", username="chuyenvien_moi", full_name="Quàng Văn Mới"
    )
    assert (
        f'<option value="{newcomer.pk}">Quàng Văn Mới</option>'
        in client.get(f"/dossiers/{dossier.code}/").content.decode()
    )

    refused = act(client, dossier, "refuse", reason="  ")
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    later = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "This field is required." not in later  # the error belonged to that answer only


def test_the_whole_way_through_the_views(english, sign_in, org, dossier):
    client = sign_in(org.officer)
    response = act(client, dossier, "forward")
    assert response.status_code == 302
    d = fresh(dossier)
    assert d.status == DossierStatus.PROCESSING and d.current_assignee == org.specialist
    assert "Forwarded to" in client.get(response.url).content.decode()

    client = sign_in(org.specialist)
    assert act(client, d, "forward", note="Đủ điều kiện").status_code == 302
    d = fresh(d)
    assert d.current_assignee == org.leader

    client = sign_in(org.leader)
    assert act(client, d, "approve").status_code == 302
    d = fresh(d)
    assert d.approved_by == org.leader and d.current_assignee == org.officer

    client = sign_in(org.officer)
    result = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
    assert act(client, d, "record-result", result_file=result).status_code == 302
    d = fresh(d)
    assert d.status == DossierStatus.PROCESSED and d.files.get(kind="result").original_name == "ket-qua.pdf"

    assert act(client, d, "return-result", method="counter").status_code == 302
    d = fresh(d)
    assert d.status == DossierStatus.RETURNED and d.return_method == "counter"

    assert act(client, d, "confirm-receipt").status_code == 302
    assert fresh(d).receipt_confirmed_at is not None
    kinds = [e.kind for e in fresh(d).events.all()]
    assert kinds == [
        "received",
        "forwarded",
        "forwarded",
        "approved",
        "result_recorded",
        "returned",
        "receipt_confirmed",
    ]


def test_send_back_needs_a_reason_and_goes_to_the_previous_official(english, sign_in, org, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    d = p.dossier_forward(dossier=d, actor=org.specialist, version=d.version)
    client = sign_in(org.leader)

    response = act(client, d, "send-back", reason="  ")

    assert response.status_code == 400
    assert (
        "This field is required." in response.content.decode()
        or "Please give a reason." in response.content.decode()
    )
    assert fresh(d).version == d.version

    response = act(client, d, "send-back", reason="Thiếu thông tin")

    assert response.status_code == 302
    assert fresh(d).current_assignee == org.specialist


def test_supplements_requested_and_recorded_with_files(english, sign_in, org, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    client = sign_in(org.specialist)

    response = act(client, d, "request-supplement", items="Bản sao giấy ly hôn", reason="Cần chứng minh")

    d = fresh(d)
    assert response.status_code == 302 and d.status == DossierStatus.SUPPLEMENT_REQUESTED
    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Clock paused" in page and "Bản sao giấy ly hôn" in page

    scan = SimpleUploadedFile("ly-hon.pdf", PDF, content_type="application/pdf")
    response = act(client, d, "supplement", files=[scan], note="Đã nộp")

    d = fresh(d)
    assert response.status_code == 302 and d.status == DossierStatus.PROCESSING
    assert d.files.get(kind="supplement").original_name == "ly-hon.pdf"


def test_refusal_withdrawal_and_apology_through_the_views(english, sign_in, org, catalog, people, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    client = sign_in(org.leader)
    new_due = d.due_at + timedelta(days=7)
    day = timezone.localtime(new_due).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)

    response = act(client, d, "apologize", reason="Chậm xác minh", new_date=day.isoformat(), new_time="09:00")

    assert response.status_code == 302
    assert timezone.localtime(fresh(d).due_at).date() == day and fresh(d).apology.reason == "Chậm xác minh"

    response = act(client, fresh(d), "refuse", reason="Không đủ điều kiện")

    assert response.status_code == 302
    assert fresh(d).status == DossierStatus.STOPPED and fresh(d).stop_reason == "Không đủ điều kiện"

    other = receive(org, catalog, people)
    client = sign_in(org.officer)
    response = act(client, other, "withdraw", reason="Công dân xin rút")
    assert response.status_code == 302 and fresh(other).status == DossierStatus.WITHDRAWN


def test_paying_at_the_counter_moves_the_dossier_on(officer, org, catalog, people):
    d = receive(org, catalog, people, cash_receipt_number="")

    response = act(officer, d, "pay", receipt_number="BL-77")

    assert response.status_code == 302
    assert fresh(d).status == DossierStatus.RECEIVED and fresh(d).payments.get().reference == "BL-77"


def test_a_stale_version_says_someone_acted_first_and_changes_nothing(officer, org, dossier):
    stale = dossier.version
    p.dossier_forward(dossier=dossier, actor=org.officer, version=stale)
    before = fresh(dossier)

    response = officer.post(
        f"/dossiers/{dossier.code}/withdraw/", {"withdraw-version": stale, "withdraw-reason": "x"}
    )

    assert response.status_code == 302 and response.url == f"/dossiers/{dossier.code}/"
    page = officer.get(response.url).content.decode()
    assert "Someone else acted on this dossier first" in page
    after = fresh(dossier)
    assert (after.version, after.status, after.events.count()) == (
        before.version,
        before.status,
        before.events.count(),
    )

    response = officer.post(
        f"/dossiers/{dossier.code}/withdraw/", {"withdraw-version": stale, "withdraw-reason": "x"}, **HTMX
    )

    assert response.status_code == 409
    assert response.content.lstrip().startswith(b'<div id="dossier"')
    assert b"Someone else acted on this dossier first" in response.content
    assert fresh(dossier).version == before.version


def test_a_refused_action_shows_its_message_next_to_the_form(officer, dossier):
    # Paid already: the counter may not record a payment again.
    response = officer.post(
        f"/dossiers/{dossier.code}/pay/", {"pay-version": dossier.version, "pay-receipt_number": "X"}
    )

    assert response.status_code == 409
    assert "not possible in the dossier" in response.content.decode()
    assert fresh(dossier).version == dossier.version and fresh(dossier).payments.count() == 1


def test_an_action_that_is_not_yours_is_refused_and_changes_nothing(english, sign_in, org, dossier):
    d = p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    client = sign_in(org.specialist)

    response = act(client, d, "approve")

    assert response.status_code == 403
    assert "You cannot do this on this dossier." in response.content.decode()
    assert fresh(d).approved_at is None and fresh(d).version == d.version


def test_an_unknown_action_is_404(officer, dossier):
    assert officer.post(f"/dossiers/{dossier.code}/explode/", {}).status_code == 404
    assert officer.get(f"/dossiers/{dossier.code}/forward/").status_code == 405


def test_other_communes_and_citizens_get_404_everywhere(english, sign_in, org, catalog, people):
    scan = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    mine = receive(
        org,
        catalog,
        people,
        citizen=org.citizen.citizen,
        components=[ComponentIn(catalog.declaration, 1, files=[scan])],
    )
    stored = mine.files.get()
    urls = [f"/dossiers/{mine.code}/", f"/dossiers/{mine.code}/files/{stored.public_id}/"]
    for user in (org.other_officer, org.other_leader, org.citizen, org.clerk, org.no_role):
        client = sign_in(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        assert act(client, mine, "withdraw", reason="x").status_code == 404
    assert fresh(mine).status == DossierStatus.RECEIVED


def test_files_download_as_attachments_only_from_their_own_dossier(officer, org, catalog, people):
    scan = SimpleUploadedFile("tờ khai.pdf", PDF, content_type="application/pdf")
    d = receive(org, catalog, people, components=[ComponentIn(catalog.declaration, 1, files=[scan])])
    other = receive(org, catalog, people)
    stored = d.files.get()

    response = officer.get(f"/dossiers/{d.code}/files/{stored.public_id}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "t%E1%BB%9D%20khai.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert officer.get(f"/dossiers/{other.code}/files/{stored.public_id}/").status_code == 404
    assert officer.get(f"/dossiers/{d.code}/files/{uuid.uuid4()}/").status_code == 404


# --- lists ----------------------------------------------------------------------------------------------


def test_my_worklist_lists_what_waits_for_me_due_soonest_first(officer, org, catalog, people):
    later = receive(org, catalog, people)
    sooner = receive(org, catalog, people)
    Dossier.objects.filter(pk=sooner.pk).update(due_at=later.due_at - timedelta(hours=1))
    elsewhere = receive(org, catalog, people)
    p.dossier_forward(dossier=elsewhere, actor=org.officer, version=elsewhere.version)  # the specialist's now

    response = officer.get("/dossiers/mine/")

    assert response.status_code == 200
    assert [d.code for d in response.context["page"]] == [sooner.code, later.code]


def test_a_long_worklist_pages_the_same_way_as_the_units_list(english, sign_in, org, catalog, people):
    _make(org, catalog, people, PAGE_SIZE + 2)
    Dossier.objects.update(current_assignee=org.specialist)  # forwarding took turns among two
    specialist = sign_in(org.specialist)

    first = specialist.get("/dossiers/mine/")
    second = specialist.get("/dossiers/mine/?page=2")

    by_due = list(Dossier.objects.order_by("due_at", "pk").values_list("code", flat=True))
    assert [d.code for d in first.context["page"]] == by_due[:PAGE_SIZE]
    assert [d.code for d in second.context["page"]] == by_due[PAGE_SIZE:]
    assert "Page 1 of 2" in first.content.decode() and first.context["page"].paginator.count == PAGE_SIZE + 2


def test_the_units_list_filters_by_search_status_procedure_and_dates(officer, org, catalog, people):
    marital = receive(org, catalog, people)
    unpaid = receive(org, catalog, people, cash_receipt_number="")
    copy = receive(
        org,
        catalog,
        people,
        procedure=catalog.copy,
        citizen=CitizenFactory(full_name="Giàng A Dế", home_unit=org.ban_b),
        components=[ComponentIn(catalog.original, 1)],
        fee_in=FeeIn(pages=1, copies=1),
    )

    def codes(**params):
        response = officer.get("/dossiers/", params)
        assert response.status_code == 200, response.context["form"].errors
        return {d.code for d in response.context["page"]}

    assert codes() == {marital.code, unpaid.code, copy.code}
    assert codes(q="giang a de") == {copy.code}
    assert codes(q=copy.code) == {copy.code}
    assert codes(q=people.citizen.personal_id) == {marital.code, unpaid.code}
    assert codes(status=DossierStatus.AWAITING_PAYMENT) == {unpaid.code}
    assert codes(procedure=catalog.copy.pk) == {copy.code}
    assert codes(channel=3) == set()
    assert codes(due_state="open") == {marital.code, unpaid.code, copy.code}
    today = timezone.localdate()
    assert codes(received_from=today.isoformat(), received_to=today.isoformat()) == {
        marital.code,
        unpaid.code,
        copy.code,
    }
    assert codes(received_to=(today - timedelta(days=1)).isoformat()) == set()
    assert (
        officer.get("/dossiers/", {"received_from": "2026-05-01", "received_to": "2026-04-01"}).status_code
        == 400
    )


def test_the_overdue_list_holds_only_open_dossiers_past_due(officer, org, catalog, people):
    late = receive(org, catalog, people)
    receive(org, catalog, people)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))

    response = officer.get("/dossiers/overdue/")

    rows = list(response.context["page"])
    assert [d.code for d in rows] == [late.code]
    assert rows[0].due_state == "overdue" and "text-bg-danger" in response.content.decode()


def _make(org, catalog, people, n):
    for _i in range(n):
        d = receive(org, catalog, people)
        p.dossier_forward(dossier=d, actor=org.officer, version=d.version)


@pytest.mark.parametrize(
    ("url", "user"),
    [("/dossiers/", "officer"), ("/dossiers/mine/", "specialist"), ("/dossiers/overdue/", "officer")],
)
def test_list_pages_take_the_same_bounded_number_of_queries_at_two_sizes(
    english, sign_in, org, catalog, people, django_assert_max_num_queries, url, user
):
    client = sign_in(getattr(org, user))
    counts = []
    for size in (2, 12):
        _make(org, catalog, people, size)
        Dossier.objects.update(due_at=timezone.now() - timedelta(hours=1))  # overdue rows too
        client.get(url)  # warm the per-process calendar cache
        with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_detail_page_takes_a_bounded_number_of_queries(
    officer, org, catalog, people, django_assert_max_num_queries
):
    d = receive(org, catalog, people)
    d = p.dossier_forward(dossier=d, actor=org.officer, version=d.version)
    officer.get(f"/dossiers/{d.code}/")
    with django_assert_max_num_queries(30):
        assert officer.get(f"/dossiers/{d.code}/").status_code == 200


def test_the_record_is_rendered_once_a_version_and_not_shared_across_id_rights_or_languages(
    english, sign_in, org, catalog, people
):
    d = receive(org, catalog, people)
    url = f"/dossiers/{d.code}/"
    officer = sign_in(org.officer)
    with CaptureQueriesContext(connection) as first:
        page = officer.get(url).content.decode()
    assert people.citizen.personal_id in page and "Tiếp nhận" in page
    with CaptureQueriesContext(connection) as again:
        assert officer.get(url).content.decode().count("Tiếp nhận") == page.count("Tiếp nhận")
    assert len(again) < len(first) - 4  # steps, events, components, files, fees... come rendered

    # Someone who may process dossiers but not read citizens' records: never the cached full number.
    Role.objects.create(
        code="checker", name="Kiểm tra", name_en="Checker", permissions=[perms.DOSSIER_PROCESS]
    )
    checker = sign_in(make_official(org.muong_dun, "checker", username="kiemtra"))
    page = checker.get(url).content.decode()
    assert people.citizen.personal_id not in page and mask_id_number(people.citizen.personal_id) in page

    officer = sign_in(org.officer)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Lịch sử hồ sơ" in officer.get(url).content.decode()  # not the English rendering

    # An action makes a new version: the next page shows it at once.
    p.dossier_forward(dossier=fresh(d), actor=org.officer, version=d.version)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = officer.get(url).content.decode()
    assert "Forwarded" in page and org.specialist.full_name in page


@pytest.mark.parametrize(
    ("lang", "paid", "first"),
    [
        ("vi", "đã nộp 10.000 ₫, biên lai số BL-&lt;9&gt;", "hẹn ban đầu"),
        ("en", "paid 10,000 ₫, receipt BL-&lt;9&gt;", "first appointment"),
    ],
)
def test_the_dossier_record_reads_in_both_languages_and_escapes_what_people_typed(
    client, sign_in, org, catalog, people, lang, paid, first
):
    d = receive(
        org,
        catalog,
        people,
        procedure=catalog.copy,
        components=[ComponentIn(catalog.original, originals=1)],
        fee_in=FeeIn(pages=3, copies=2),
        cash_receipt_number="BL-<9>",
    )
    d = p.dossier_forward(dossier=d, actor=org.officer, version=d.version, note="Gửi <b>chuyên viên</b>")
    p.dossier_request_supplement(
        dossier=d,
        actor=org.specialist,
        version=d.version,
        items="Bản sao 1\n<script>x</script>",
        reason="Thiếu",
    )
    d = fresh(d)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = sign_in(org.officer).get(f"/dossiers/{d.code}/").content.decode()

    assert paid in page
    assert f", {timezone.localtime(d.payments.get().paid_at):%d/%m/%Y}" in page
    assert "Bản sao 1<br>&lt;script&gt;x&lt;/script&gt;" in page  # lines kept, tags escaped
    assert "Gửi &lt;b&gt;chuyên viên&lt;/b&gt;" in page and "<b>chuyên viên</b>" not in page
    assert first not in page  # no re-appointment yet
    assert f"{timezone.localtime(d.due_at):%H:%M %d/%m/%Y}" in page
    assert ("Thành phần hồ sơ" if lang == "vi" else "Components and files") in page

    p.dossier_apologize(
        dossier=d, actor=org.leader, version=d.version, reason="Chậm", new_due_at=d.due_at + timedelta(days=7)
    )
    page = sign_in(org.officer).get(f"/dossiers/{d.code}/").content.decode()
    assert f"{first} {timezone.localtime(d.due_at):%H:%M %d/%m/%Y}" in page


def test_list_rows_escape_what_applicants_typed(officer, org, catalog, people):
    d = receive(org, catalog, people)
    Dossier.objects.filter(pk=d.pk).update(applicant_name='<script>alert("x")</script> & Lò Văn A')

    page = officer.get("/dossiers/").content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Lò Văn A" in page
    assert f'href="/dossiers/{d.code}/"' in page


# --- the ledger -----------------------------------------------------------------------------------------


def test_the_ledger_exports_the_units_dossiers_with_the_standard_columns(officer, org, catalog, people):
    d = receive(org, catalog, people)
    today = timezone.localdate().isoformat()

    response = officer.get("/dossiers/ledger.xlsx", {"from": today, "to": today})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="so-theo-doi-ho-so-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1] == (
        "No.",
        "Dossier code",
        "Procedure",
        "Applicant",
        "Address, phone",
        "Lead agency",
        "Received",
        "Appointment",
        "Returned",
        "Return method",
        "Signature",
    )
    assert rows[2][:4] == (1, d.code, catalog.marital.name, people.citizen.full_name)
    assert rows[2][5] == "Xã Mường Đun"
    assert len(rows) == 3
    assert officer.get("/dossiers/ledger.xlsx", {"from": "2026-13-01"}).status_code == 400


# --- home and navigation --------------------------------------------------------------------------------


def test_home_cards_and_navigation_follow_the_role(english, sign_in, org):
    officer_home = sign_in(org.officer).get("/").content.decode()
    assert 'href="/dossiers/new/"' in officer_home and 'href="/dossiers/mine/"' in officer_home
    assert 'href="/dossiers/overdue/"' in officer_home

    specialist_home = sign_in(org.specialist).get("/").content.decode()
    assert 'href="/dossiers/new/"' not in specialist_home and 'href="/dossiers/mine/"' in specialist_home

    clerk_home = sign_in(org.clerk).get("/").content.decode()
    assert "/dossiers/" not in clerk_home


# --- printed forms ----------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_receipt_is_issued_once_and_served_again_as_stored(officer, org, dossier):
    first = officer.get(f"/dossiers/{dossier.code}/receipt.pdf")
    again = officer.get(f"/dossiers/{dossier.code}/receipt.pdf")

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("inline;")
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF-") and body == b"".join(again.streaming_content)
    document = IssuedDocument.objects.get()
    assert (document.kind, document.subject_type, document.subject_id) == (
        "receipt",
        "dossiers.dossier",
        str(dossier.pk),
    )
    text = _pdf_text(body)
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text and dossier.code.split("-")[-1] in text


def test_the_control_slip_follows_the_dossier_and_the_apology_needs_one(officer, org, dossier):
    assert officer.get(f"/dossiers/{dossier.code}/apology.pdf").status_code == 404
    assert officer.get(f"/dossiers/{dossier.code}/control-slip.pdf").status_code == 200
    assert officer.get(f"/dossiers/{dossier.code}/control-slip.pdf").status_code == 200
    assert IssuedDocument.objects.filter(kind="control_slip").count() == 1

    p.dossier_forward(dossier=dossier, actor=org.officer, version=dossier.version)
    response = officer.get(f"/dossiers/{dossier.code}/control-slip.pdf")

    slips = IssuedDocument.objects.filter(kind="control_slip").order_by("issued_at", "pk")
    assert response.status_code == 200 and slips.count() == 2
    assert slips[0].superseded_by == slips[1]
    assert "Trước hạn" in _pdf_text(b"".join(response.streaming_content))


def test_the_apology_letter_prints_the_new_date(english, sign_in, org, dossier):
    new_due = dossier.due_at + timedelta(days=7)
    while timezone.localtime(new_due).weekday() >= 5:
        new_due += timedelta(days=1)
    new_due = timezone.localtime(new_due).replace(hour=9, minute=0, second=0, microsecond=0)
    p.dossier_apologize(
        dossier=dossier, actor=org.leader, version=dossier.version, reason="Chậm xác minh", new_due_at=new_due
    )
    client = sign_in(org.leader)

    response = client.get(f"/dossiers/{dossier.code}/apology.pdf")

    assert response.status_code == 200
    text = _pdf_text(b"".join(response.streaming_content))
    assert "Chậm xác minh" in text and f"{new_due:%d/%m/%Y}" in text
    assert (
        f'href="/dossiers/{dossier.code}/apology.pdf"'
        in client.get(f"/dossiers/{dossier.code}/").content.decode()
    )


def test_the_slips_given_at_the_counter_print(officer, org, catalog, people):
    data = intake_data(catalog, people, intent="refuse", refusal_reason="Không thuộc thẩm quyền")
    response = officer.post("/dossiers/new/1.004873/", data)
    notice = ReceptionNotice.objects.get()
    assert f'href="/dossiers/notices/{notice.pk}/slip.pdf"' in officer.get(response.url).content.decode()

    pdf = officer.get(f"/dossiers/notices/{notice.pk}/slip.pdf")

    assert pdf.status_code == 200
    assert "Không thuộc thẩm quyền" in _pdf_text(b"".join(pdf.streaming_content))
    assert IssuedDocument.objects.get().kind == "refusal"


def test_receipts_of_ticked_dossiers_print_as_one_pdf(officer, org, catalog, people):
    a, b = receive(org, catalog, people), receive(org, catalog, people)
    elsewhere = dossier_receive(
        actor=org.other_officer,
        org_unit=org.phin_ho,
        procedure=catalog.marital,
        citizen=CitizenFactory(home_unit=org.ban_c),
        components=[ComponentIn(catalog.declaration, originals=1)],
        cash_receipt_number="BL-PH",
    )

    response = officer.post("/dossiers/receipts.pdf", {"codes": [b.code, a.code, elsewhere.code]})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2
    assert b.code.split("-")[-1] in pages[0].extract_text()
    assert IssuedDocument.objects.filter(kind="receipt").count() == 2

    nothing = officer.post("/dossiers/receipts.pdf", {"codes": [elsewhere.code], "back": "/dossiers/"})
    assert nothing.status_code == 302 and nothing.url == "/dossiers/"


def test_the_ledger_prints_for_the_officers_unit(officer, org, catalog, people):
    d = receive(org, catalog, people)
    today = timezone.localdate().isoformat()

    response = officer.get("/dossiers/ledger.pdf", {"from": today, "to": today})

    assert response.status_code == 200
    assert "SỔ THEO DÕI HỒ SƠ" in _pdf_text(b"".join(response.streaming_content))
    assert officer.get("/dossiers/ledger.pdf", {"from": today, "to": today}).status_code == 200
    assert IssuedDocument.objects.filter(kind="ledger").count() == 1
    p.dossier_forward(dossier=d, actor=org.officer, version=d.version)
    officer.get("/dossiers/ledger.pdf", {"from": today, "to": today})
    assert IssuedDocument.objects.filter(kind="ledger").count() == 2


def test_printed_forms_of_another_commune_are_404(english, sign_in, org, dossier):
    client = sign_in(org.other_officer)
    for suffix in ("receipt.pdf", "control-slip.pdf", "apology.pdf"):
        assert client.get(f"/dossiers/{dossier.code}/{suffix}").status_code == 404
    assert not IssuedDocument.objects.exists()


def test_an_organisation_is_recorded_and_receives_a_dossier(officer, org, catalog):
    catalog.copy.applicant_types = ["citizen", "organisation"]
    catalog.copy.save(update_fields=["applicant_types"])
    data = {
        "client_token": uuid.uuid4().hex,
        "applicant_kind": "organisation",
        "tax_code": "0101234567",
        "org_name": "Hợp tác xã Mường Đun",
        "org_kind": "cooperative",
        "channel": "3",
        f"c{catalog.original.pk}_given": "on",
        f"c{catalog.original.pk}_originals": "1",
        f"c{catalog.original.pk}_copies": "0",
        "pages": "1",
        "copies": "1",
        "cash_receipt_number": "BL-HTX",
        "intent": "receive",
    }

    page = officer.get("/dossiers/new/2.000815/").content.decode()
    response = officer.post("/dossiers/new/2.000815/", data)

    assert 'name="applicant_kind" value="organisation"' in page
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.organisation.tax_code == "0101234567" and dossier.citizen is None
    assert dossier.applicant_name == "Hợp tác xã Mường Đun" and dossier.channel == 3


def test_intake_takes_a_bounded_number_of_queries_whatever_is_handed_in(
    officer, catalog, people, django_assert_max_num_queries
):
    decl, opt = catalog.declaration.pk, catalog.optional.pk

    def scan(name):
        return SimpleUploadedFile(f"{name}.pdf", PDF, "application/pdf")

    one_scan = {f"c{decl}_files": [scan("a")]}
    more = {f"c{decl}_files": [scan("a"), scan("b")], f"c{opt}_given": "on", f"c{opt}_files": [scan("c")]}
    officer.post("/dossiers/new/1.004873/", intake_data(catalog, people))  # warms the catalog cache
    counts = []
    for n, handed_in in enumerate((one_scan, more), start=2):
        data = intake_data(catalog, people, cash_receipt_number=f"BL-{n}", **handed_in)
        # session, user, second factor, grants, units, citizen, client token; code, dossier, fee,
        # payment, components, scans, step, dossier again, event, audit (3), message; and the
        # savepoint pair of the test's own transaction
        with django_assert_max_num_queries(22), CaptureQueriesContext(connection) as queries:
            response = officer.post("/dossiers/new/1.004873/", data)
        assert response.status_code == 302
        counts.append(len(queries))
    assert Dossier.objects.get(code__endswith="-0003").files.count() == 3
    assert counts[0] == counts[1], counts
