import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from smartcommune.documents import samples
from smartcommune.documents.models import IssuedDocument
from smartcommune.documents.services import document_issue
from smartcommune.signing import selectors, services
from smartcommune.signing.choices import Appearance, CertificateKind, CertificateStatus
from smartcommune.signing.forms import MAX_UPLOAD_BYTES
from smartcommune.signing.models import Certificate

pytestmark = pytest.mark.django_db
PAGE = "/signatures/verify/"
API = "/api/v1/signatures/verify"


@pytest.fixture
def signed(pki, unsigned_pdf):
    return services.pdf_sign(unsigned_pdf, certificate=pki.agency, appearance=Appearance.ATTACHMENT).data


def _upload(data, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_page_shows_signer_agency_and_a_valid_verdict_in_vietnamese(client, signed):
    response = client.post(PAGE, {"file": _upload(signed)})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verdict="valid"' in html
    assert "Hợp lệ" in html
    assert "Xã Mường Đun" in html


def test_page_in_english(client, signed):
    client.cookies["django_language"] = "en"
    html = client.post(PAGE, {"file": _upload(signed)}).content.decode()
    assert "Valid: every signature is intact" in html and "Signed by" in html


def test_page_reports_a_modified_file(client, signed):
    position = signed.index(b"/Length ") + len(b"/Length ")
    tampered = (
        signed[:position]
        + (b"9" if signed[position : position + 1] != b"9" else b"8")
        + signed[position + 1 :]
    )
    html = client.post(PAGE, {"file": _upload(tampered)}).content.decode()
    assert 'data-verdict="modified"' in html


@pytest.mark.parametrize(
    ("data", "status", "text"),
    [
        (b"just text, not a pdf", 400, "không phải là tệp pdf"),
        (b"%PDF-1.7\ngarbage without structure", 400, "không đọc được"),
    ],
)
def test_page_answers_bad_uploads_clearly(client, pki, data, status, text):
    response = client.post(PAGE, {"file": _upload(data)})
    assert response.status_code == status
    assert text in response.content.decode().lower()


def test_page_refuses_an_oversized_upload_without_reading_it(client, pki):
    response = client.post(
        PAGE, b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(MAX_UPLOAD_BYTES * 2)
    )
    assert response.status_code == 413


def test_page_without_a_file_asks_for_one(client, pki):
    assert client.post(PAGE, {}).status_code == 400


def test_api_returns_the_report_as_json(client, signed):
    response = client.post(API, {"file": _upload(signed)})

    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid" and body["ok"] is True
    [sig] = body["signatures"]
    assert sig["signer"] == "Xã Mường Đun" and sig["level"] == "B-B"
    assert sig["covers_entire_file"] is True and sig["revoked_at"] is None
    assert "Mường" in response.content.decode()  # UTF-8, not \\u escapes


def test_api_reports_revocation(client, signed, pki):
    services.certificate_revoke(actor=None, certificate=pki.agency, reason="key_compromise")
    body = client.post(API, {"file": _upload(signed)}).json()
    assert body["verdict"] == "revoked" and body["signatures"][0]["revoked_at_signing"] is True


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({}, 400, "file_required"),
        ({"file": b"hello"}, 400, "not_pdf"),
        ({"file": b"%PDF-1.4\n\x00\x01\x02"}, 400, "malformed_pdf"),
    ],
)
def test_api_errors_have_codes(client, pki, payload, status, code):
    data = {k: _upload(v) for k, v in payload.items()}
    response = client.post(API, data)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_api_refuses_oversized_uploads(client, pki):
    response = client.post(
        API, b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(MAX_UPLOAD_BYTES * 2)
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_crl_endpoint_serves_the_newest_crl(client, pki):
    services.certificate_revoke(actor=None, certificate=pki.leader)
    response = client.get(f"/signatures/crl/{pki.issuing.fingerprint[:16]}.crl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    assert bytes(response.content) == selectors.latest_crls_by_issuer()[pki.issuing.pk]
    assert client.get("/signatures/crl/0000000000000000.crl").status_code == 404
    assert client.get("/signatures/crl/not-hex.crl").status_code == 404


def test_issued_document_page_shows_its_signatures(client, pki, org):
    document = document_issue(
        actor=org.officer,
        kind="apology",
        template_name="documents/apology.html",
        context=samples.apology(),
        org_unit=org.muong_dun,
        title="Phiếu xin lỗi",
        postprocessors=[services.DocumentSigner(pki.agency, appearance=Appearance.SEAL, anchor="sig-head")],
    )
    assert IssuedDocument.objects.get(pk=document.pk).signed is True

    html = client.get(f"/verify/{document.public_id}/").content.decode()

    assert 'data-verdict="valid"' in html and "Xã Mường Đun" in html


def test_command_creates_the_ca_and_issues_certificates(org, capsys):
    call_command("signing_ca", "init", "--province", org.province.code)
    with pytest.raises(CommandError):
        call_command("signing_ca", "init", "--province", org.province.code)
    call_command("signing_ca", "init", "--province", org.province.code, "--if-missing")
    call_command("signing_ca", "issue-all")
    call_command("signing_ca", "issue-all")  # idempotent

    agency = selectors.agency_certificate_for(org.muong_dun)
    assert agency.org_unit == org.muong_dun and agency.kind == CertificateKind.AGENCY
    assert selectors.official_certificate_for(org.leader) is not None
    assert selectors.official_certificate_for(org.officer) is None  # no document.sign right
    call_command("signing_ca", "revoke", agency.serial, "--reason", "superseded")
    assert Certificate.objects.get(pk=agency.pk).status == CertificateStatus.REVOKED
    call_command("signing_ca", "list")
    assert "revoked" in capsys.readouterr().out


def test_registry_lists_the_certificates_of_the_officials_units(
    sign_in, org, pki, django_assert_max_num_queries
):
    client = sign_in(org.leader)
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(15) as small:
        response = client.get("/signatures/certificates/")
    assert response.status_code == 200
    html = response.content.decode()
    assert pki.leader.serial in html and pki.agency.serial in html
    assert pki.root.serial not in html  # the province's CAs are outside a commune leader's scope

    for _ in range(5):
        services.certificate_issue(
            actor=None, issuer=pki.issuing, kind=CertificateKind.AGENCY, org_unit=org.muong_dun
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/signatures/certificates/").status_code == 200


def test_registry_marks_expiring_and_revoked_certificates(sign_in, org, pki):
    Certificate.objects.filter(pk=pki.agency.pk).update(not_after=timezone.now() + dt.timedelta(days=10))
    services.certificate_revoke(actor=None, certificate=pki.leader)
    client = sign_in(org.leader)
    client.cookies["django_language"] = "en"

    html = client.get("/signatures/certificates/").content.decode()

    assert html.count("Expires within 30 days") == 1
    assert html.count('badge text-bg-danger">Revoked') == 1


def test_registry_is_not_for_officials_without_people_view(sign_in, org, pki):
    assert sign_in(org.officer).get("/signatures/certificates/").status_code == 404
