"""The dossier API: receive, list, read, and every action; errors in the one format."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smartcommune.directory.factories import CitizenFactory
from smartcommune.directory.services import api_token_create
from smartcommune.dossiers.choices import DossierStatus
from smartcommune.dossiers.models import Dossier
from smartcommune.dossiers.services import processing as p
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers"


def post(client, url, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def receive(org, catalog, people, **kwargs):
    kwargs.setdefault("components", [ComponentIn(catalog.declaration, originals=1)])
    kwargs.setdefault("cash_receipt_number", f"BL-{uuid.uuid4().hex[:8]}")
    kwargs.setdefault("procedure", catalog.marital)
    kwargs.setdefault("citizen", people.citizen)
    return dossier_receive(actor=org.officer, org_unit=org.muong_dun, **kwargs)


def create_body(org, catalog, people, **extra) -> dict:
    body = {
        "procedure_code": catalog.marital.code,
        "unit_code": org.muong_dun.code,
        "personal_id": people.citizen.personal_id,
        "components": [{"component_id": catalog.declaration.pk, "originals": 1}],
        "cash_receipt_number": "BL-0001",
    }
    body.update(extra)
    return body


def fresh(d) -> Dossier:
    return Dossier.objects.get(pk=d.pk)


# --- receiving -------------------------------------------------------------------------------------------


def test_create_receives_the_dossier_and_a_repeated_token_returns_it(sign_in, org, catalog, people):
    client = sign_in(org.officer)
    body = create_body(org, catalog, people, client_token="tap-1")

    response = post(client, URL, body)

    assert response.status_code == 201, response.json()
    data = response.json()
    dossier = Dossier.objects.get()
    assert data["code"] == dossier.code and data["status"] == DossierStatus.RECEIVED
    assert data["procedure_code"] == "1.004873" and data["unit_code"] == org.muong_dun.code
    assert (
        data["applicant_name"] == "Lò Thị Ánh" and data["applicant_id_number"] == people.citizen.personal_id
    )
    assert data["fee_total"] == 5000 and data["paid"] is True
    assert data["components"] == [
        {
            "component_id": catalog.declaration.pk,
            "name": catalog.declaration.name,
            "originals": 1,
            "copies": 0,
        }
    ]
    assert data["due_state"] == "in_time" and data["version"] == dossier.version
    assert data["available_actions"] == ["forward", "request-supplement", "refuse", "withdraw", "apologize"]

    again = post(client, URL, body)

    assert again.status_code == 200 and again.json()["code"] == dossier.code
    assert Dossier.objects.count() == 1


def test_create_with_a_token_works_and_unpaid_waits_in_status_6(org, catalog, people, client):
    _token, secret = api_token_create(actor=org.officer, user=org.officer, name="cổng")

    response = post(
        client,
        URL,
        create_body(org, catalog, people, cash_receipt_number=""),
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert response.status_code == 201
    assert response.json()["status"] == DossierStatus.AWAITING_PAYMENT and response.json()["paid"] is False


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"procedure_code": "9.999999"}, 404, "procedure_not_found"),
        ({"unit_code": "000.02.00.H18"}, 404, "unit_not_found"),  # Phìn Hồ: not this officer's counter
        ({"personal_id": "011190999999"}, 404, "applicant_not_found"),
        ({"personal_id": "12345"}, 400, "invalid_input"),
        ({"components": [{"component_id": 999999, "originals": 1}]}, 400, "unknown_component"),
        ({"components": []}, 400, "dossier_incomplete"),
        ({"components": [{"component_id": 1, "originals": -1}]}, 400, "invalid_input"),
        ({"channel": 2}, 400, "invalid_input"),
        ({"fees": {"exemption_code": "khong-co"}}, 400, "unknown_exemption"),
    ],
)
def test_create_errors_answer_in_the_common_format(sign_in, org, catalog, people, change, status, code):
    client = sign_in(org.officer)

    response = post(client, URL, create_body(org, catalog, people, **change))

    assert response.status_code == status, response.json()
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Dossier.objects.exists()


def test_malformed_oversized_and_unknown_answer_400_and_404(sign_in, org, catalog, people):
    client = sign_in(org.officer)

    malformed = post(client, URL, '{"procedure_code": "1.004873",')
    oversized = post(
        client, URL, json.dumps(create_body(org, catalog, people, submitted_by_name="x" * 3_000_000))
    )
    unknown = client.get(f"{URL}/000.01.00.H18-260101-9999")

    assert (malformed.status_code, malformed.json()["code"]) == (400, "bad_request")
    assert (oversized.status_code, oversized.json()["code"]) == (400, "bad_request")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert not Dossier.objects.exists()


def test_officials_of_another_commune_and_citizens_see_nothing(sign_in, org, catalog, people):
    d = receive(org, catalog, people, citizen=org.citizen.citizen)

    for user in (org.other_officer, org.citizen, org.no_role):
        client = sign_in(user)
        assert client.get(f"{URL}/{d.code}").status_code == 404
        assert client.get(URL).json()["count"] == 0
        response = post(client, f"{URL}/{d.code}/withdraw", {"version": d.version, "reason": "x"})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert fresh(d).status == DossierStatus.RECEIVED
    assert client.post(URL, "{}", content_type="application/json").status_code in (400, 404)
    assert post(sign_in(org.other_officer), URL, create_body(org, catalog, people)).status_code == 404


def test_anonymous_callers_get_401(client, org, catalog, people):
    assert client.get(URL).status_code == 401
    assert post(client, URL, create_body(org, catalog, people)).json()["code"] == "not_authenticated"


# --- reading ---------------------------------------------------------------------------------------------


def test_list_filters_and_pages(sign_in, org, catalog, people):
    marital = receive(org, catalog, people)
    unpaid = receive(org, catalog, people, cash_receipt_number="")
    other = receive(org, catalog, people, citizen=CitizenFactory(full_name="Giàng A Dế", home_unit=org.ban_b))
    client = sign_in(org.specialist)

    def codes(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return [item["code"] for item in response.json()["items"]]

    assert codes() == [other.code, unpaid.code, marital.code]  # newest first
    assert codes(q="giang a de") == [other.code]
    assert codes(status=6) == [unpaid.code]
    assert codes(procedure="1.004873", page_size=2) == [other.code, unpaid.code]
    assert codes(procedure="1.004873", page_size=2, page=2) == [marital.code]
    assert codes(page=9) == []
    assert codes(due_state="overdue") == []
    assert codes(received_from=timezone.localdate().isoformat()) == [other.code, unpaid.code, marital.code]
    page = client.get(URL, {"page_size": 2}).json()
    assert (page["count"], page["page"], page["page_size"]) == (3, 1, 2)
    assert client.get(URL, {"procedure": "9.999999"}).json()["code"] == "procedure_not_found"
    assert client.get(URL, {"status": 11}).status_code == 400
    assert client.get(URL, {"due_state": "soon"}).status_code == 400


def test_the_list_takes_the_same_number_of_queries_at_two_sizes(
    sign_in, org, catalog, people, django_assert_max_num_queries
):
    client = sign_in(org.officer)
    counts = []
    for size in (2, 12):
        for _i in range(size):
            d = receive(org, catalog, people)
            p.dossier_forward(dossier=d, actor=org.officer, version=d.version)
        client.get(URL)
        with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_get_shows_steps_files_fees_and_masks_the_id_for_whoever_may_not_view_citizens(
    sign_in, org, catalog, people
):
    d = receive(org, catalog, people)
    client = sign_in(org.officer)

    data = client.get(f"{URL}/{d.code}").json()

    assert data["steps"][0]["name"] == "Tiếp nhận" and data["steps"][0]["outcome"] == ""
    assert data["fee_lines"] == [
        {"description": "Lệ phí", "quantity": 1, "unit_amount": 5000, "amount": 5000}
    ]
    assert data["payments"][0]["method"] == "cash"
    assert data["applicant_id_number"] == people.citizen.personal_id


# --- actions ---------------------------------------------------------------------------------------------


def test_the_whole_way_through_the_api(sign_in, org, catalog, people):
    d = receive(org, catalog, people)
    officer = sign_in(org.officer)

    data = post(officer, f"{URL}/{d.code}/forward", {"version": d.version, "assignee": "chuyenvien"}).json()
    assert data["status"] == DossierStatus.PROCESSING and data["current_assignee"] == "chuyenvien"

    specialist = sign_in(org.specialist)
    data = post(
        specialist,
        f"{URL}/{d.code}/request-supplement",
        {"version": data["version"], "items": "Bản sao", "reason": "Thiếu"},
    ).json()
    assert data["status"] == DossierStatus.SUPPLEMENT_REQUESTED and data["due_state"] == "paused"
    data = post(
        specialist, f"{URL}/{d.code}/supplement", {"version": data["version"], "note": "Đã nộp"}
    ).json()
    assert data["status"] == DossierStatus.PROCESSING
    data = post(specialist, f"{URL}/{d.code}/forward", {"version": data["version"]}).json()
    assert data["current_assignee"] == "lanhdao"

    leader = sign_in(org.leader)
    data = post(leader, f"{URL}/{d.code}/send-back", {"version": data["version"], "reason": "Xem lại"}).json()
    assert data["current_assignee"] == "chuyenvien"
    data = post(sign_in(org.specialist), f"{URL}/{d.code}/forward", {"version": data["version"]}).json()
    leader = sign_in(org.leader)
    later = fresh(d).due_at + timedelta(days=7)
    while timezone.localtime(later).weekday() >= 5:
        later += timedelta(days=1)
    later = timezone.localtime(later).replace(hour=9, minute=0, second=0, microsecond=0)
    data = post(
        leader,
        f"{URL}/{d.code}/apologize",
        {"version": data["version"], "reason": "Chậm", "new_due_at": later.replace(tzinfo=None).isoformat()},
    ).json()
    assert fresh(d).due_at == later and data["version"] == fresh(d).version
    data = post(leader, f"{URL}/{d.code}/approve", {"version": data["version"]}).json()
    assert data["approved_at"] and data["current_assignee"] == "motcua"

    officer = sign_in(org.officer)
    refused = post(officer, f"{URL}/{d.code}/record-result", {"version": data["version"]})
    assert refused.status_code == 400 and refused.json()["code"] == "result_file_required"
    p.dossier_record_result(dossier=fresh(d), actor=org.officer, version=data["version"], result_file=_pdf())
    data = post(
        officer, f"{URL}/{d.code}/return-result", {"version": fresh(d).version, "method": "post"}
    ).json()
    assert data["status"] == DossierStatus.RETURNED and data["return_method"] == "post"
    data = post(officer, f"{URL}/{d.code}/confirm-receipt", {"version": data["version"]}).json()
    assert data["receipt_confirmed_at"] is not None and data["available_actions"] == []


def _pdf():
    return SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def test_refuse_withdraw_and_pay(sign_in, org, catalog, people):
    officer = sign_in(org.officer)
    a, b = receive(org, catalog, people), receive(org, catalog, people)
    unpaid = receive(org, catalog, people, cash_receipt_number="")

    refused = post(officer, f"{URL}/{a.code}/refuse", {"version": a.version, "reason": "Không đủ"}).json()
    withdrawn = post(officer, f"{URL}/{b.code}/withdraw", {"version": b.version, "reason": "Xin rút"}).json()
    paid = post(
        officer, f"{URL}/{unpaid.code}/pay", {"version": unpaid.version, "receipt_number": "BL-9"}
    ).json()

    assert (refused["status"], refused["stop_reason"]) == (DossierStatus.STOPPED, "Không đủ")
    assert withdrawn["status"] == DossierStatus.WITHDRAWN
    assert paid["status"] == DossierStatus.RECEIVED and paid["paid"] is True


def test_a_stale_version_is_409_and_changes_nothing(sign_in, org, catalog, people):
    d = receive(org, catalog, people)
    client = sign_in(org.officer)
    stale = d.version
    p.dossier_forward(dossier=d, actor=org.officer, version=stale)
    before = fresh(d)

    response = post(client, f"{URL}/{d.code}/withdraw", {"version": stale, "reason": "x"})

    assert response.status_code == 409
    assert response.json()["code"] == "dossier_conflict"
    after = fresh(d)
    assert (after.version, after.status, after.events.count()) == (
        before.version,
        before.status,
        before.events.count(),
    )


def test_wrong_status_wrong_role_and_bad_bodies(sign_in, org, catalog, people):
    d = receive(org, catalog, people)

    pay = post(sign_in(org.officer), f"{URL}/{d.code}/pay", {"version": d.version, "receipt_number": "X"})
    approve = post(sign_in(org.specialist), f"{URL}/{d.code}/approve", {"version": d.version})
    no_version = post(sign_in(org.officer), f"{URL}/{d.code}/withdraw", {"reason": "x"})
    empty_reason = post(
        sign_in(org.officer), f"{URL}/{d.code}/withdraw", {"version": d.version, "reason": ""}
    )
    bad_assignee = post(
        sign_in(org.officer), f"{URL}/{d.code}/forward", {"version": d.version, "assignee": "vanthu"}
    )

    assert (pay.status_code, pay.json()["code"]) == (409, "action_not_allowed")
    assert (approve.status_code, approve.json()["code"]) == (403, "action_not_permitted")
    assert (no_version.status_code, no_version.json()["code"]) == (400, "invalid_input")
    assert empty_reason.status_code == 400
    assert (bad_assignee.status_code, bad_assignee.json()["code"]) == (400, "assignee_not_eligible")
    assert fresh(d).version == d.version
