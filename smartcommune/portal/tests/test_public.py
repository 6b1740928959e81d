"""The public pages: catalog browse and procedure page, and the rate-limited lookup."""

import re

import pytest

from smartcommune.documents.tests.pdf_tools import decode_qr, has_tool
from smartcommune.dossiers import printing
from smartcommune.dossiers.models import LookupAttempt
from smartcommune.dossiers.services import online

pytestmark = pytest.mark.django_db


def _link(procedure) -> str:
    return f'href="/portal/procedures/{procedure.code}/"'


def test_search_is_accent_insensitive_and_public(client, portal):
    response = client.get("/portal/procedures/", {"q": "khai sinh"})
    assert response.status_code == 200
    assert _link(portal.birth) in response.text
    assert _link(portal.certify) not in response.text


def test_browse_by_life_event(client, portal):
    births = client.get("/portal/procedures/", {"event": "birth"}).text
    certification = client.get("/portal/procedures/", {"event": "certification"}).text
    assert _link(portal.birth) in births and _link(portal.certify) not in births
    assert _link(portal.certify) in certification and _link(portal.birth) not in certification


def test_unknown_filter_is_a_clear_400(client, portal):
    response = client.get("/portal/procedures/", {"event": "<script>"})
    assert response.status_code == 400
    assert "<script>" not in response.text


def test_procedure_list_queries_are_bounded(client, portal, django_assert_max_num_queries):
    from smartcommune.catalog.factories import make_procedure

    for i in range(15):
        make_procedure(f"8.{i:06d}", f"Thủ tục thử {i}")
    with django_assert_max_num_queries(8):
        assert client.get("/portal/procedures/").status_code == 200


def test_procedure_page_says_expected_date_and_fee(client, portal):
    client.cookies["django_language"] = "en"
    response = client.get(f"/portal/procedures/{portal.certify.code}/")
    assert response.status_code == 200
    assert "If you send it online now, the result is due by" in response.text
    assert "8.000" in response.text or "8,000" in response.text
    assert 'id="expected"' in response.text
    assert "Sign in to send it online" in response.text


def test_unknown_procedure_is_404(client, portal):
    assert client.get("/portal/procedures/9.999999/").status_code == 404


def _lookup(client, code, factor, addr="10.0.0.1"):
    return client.post("/portal/lookup/", {"code": code, "factor": factor}, REMOTE_ADDR=addr)


def _comparable(html: str, code: str) -> str:
    html = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN", html)
    return html.replace(code, "CODE")


def test_lookup_with_phone_or_last_four_digits(client, portal):
    client.cookies["django_language"] = "en"
    by_phone = _lookup(client, portal.dossier.code, "+84 912 345 678")
    by_id = _lookup(client, portal.dossier.code, portal.citizen.personal_id[-4:])
    assert by_phone.status_code == by_id.status_code == 200
    assert "Received by the office" in by_phone.text
    assert portal.dossier.code in by_id.text
    assert portal.citizen.personal_id not in by_id.text  # nothing personal is shown


def test_lookup_answers_the_same_for_unknown_code_and_wrong_factor(client, portal):
    code = portal.dossier.code
    unknown = _lookup(client, code[:-4] + "9999", "0912345678")
    wrong = _lookup(client, code, "0999999999")
    assert unknown.status_code == wrong.status_code == 404
    # Byte for byte the same page, once the per-response CSRF token and the typed code are set aside.
    assert _comparable(unknown.text, code[:-4] + "9999") == _comparable(wrong.text, code)


def test_lookup_is_rate_limited_per_visitor(client, portal):
    for i in range(online.LOOKUP_MAX_PER_CLIENT):
        assert _lookup(client, f"000.01.00.H18-260101-{i:04d}", "0912345678").status_code == 404
    # Even the right answer is refused now: the visitor must wait.
    blocked = _lookup(client, portal.dossier.code, "0912345678")
    assert blocked.status_code == 429
    assert LookupAttempt.objects.count() == online.LOOKUP_MAX_PER_CLIENT
    assert _lookup(client, portal.dossier.code, "0912345678", addr="10.0.0.2").status_code == 200


def test_lookup_is_rate_limited_per_code_across_visitors(client, portal):
    for i in range(online.LOOKUP_MAX_FAILED_PER_CODE):
        assert _lookup(client, portal.dossier.code, f"09000000{i:02d}", addr=f"10.1.0.{i}").status_code == 404
    assert _lookup(client, portal.dossier.code, "0912345678", addr="10.2.0.1").status_code == 429


def test_lookup_rejects_malformed_input(client, portal):
    response = client.post("/portal/lookup/", {"code": "x" * 500, "factor": "abc"})
    assert response.status_code == 400
    assert LookupAttempt.objects.count() == 0


def test_lookup_page_is_prefilled_from_the_qr_link(client, portal):
    response = client.get("/portal/lookup/", {"code": portal.dossier.code})
    assert response.status_code == 200
    assert f'value="{portal.dossier.code}"' in response.text


def test_receipt_carries_the_lookup_link(portal):
    context = printing.receipt_context(portal.dossier)
    assert context["lookup_url"].endswith(f"/portal/lookup/?code={portal.dossier.code}")


@pytest.mark.skipif(not (has_tool("pdftoppm") and has_tool("zbarimg")), reason="pdftoppm or zbarimg missing")
def test_receipt_qr_codes_open_the_verification_and_the_lookup_pages(client, org, portal, sign_in, settings):
    settings.SMARTCOMMUNE = {**settings.SMARTCOMMUNE, "PUBLIC_BASE_URL": "https://dvc.dienbien.example"}
    sign_in(org.citizen)
    response = client.get(f"/portal/my/{portal.dossier.code}/receipt.pdf")
    data = b"".join(response.streaming_content)
    codes = decode_qr(data, page=1)
    assert f"https://dvc.dienbien.example/portal/lookup/?code={portal.dossier.code}" in codes
    assert any(code.startswith("https://dvc.dienbien.example/verify/") for code in codes)
    # The link opens the lookup page with the code filled in.
    client.logout()
    page = client.get(f"/portal/lookup/?code={portal.dossier.code}")
    assert f'value="{portal.dossier.code}"' in page.text


def test_behind_a_proxy_each_visitor_is_counted_apart(client, portal, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    for i in range(online.LOOKUP_MAX_PER_CLIENT):
        client.post(
            "/portal/lookup/",
            {"code": f"000.01.00.H18-260101-{i:04d}", "factor": "0912345678"},
            HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1",
        )
    blocked = client.post(
        "/portal/lookup/",
        {"code": portal.dossier.code, "factor": "0912345678"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other = client.post(
        "/portal/lookup/",
        {"code": portal.dossier.code, "factor": "0912345678"},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert (blocked.status_code, other.status_code) == (429, 200)
