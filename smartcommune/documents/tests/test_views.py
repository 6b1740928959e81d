import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import make_official
from smartcommune.documents import samples, views
from smartcommune.documents.choices import DocumentKind
from smartcommune.documents.factories import FAKE_PDF, make_issued_document
from smartcommune.documents.services import document_issue
from smartcommune.signing import forms as signing_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(org):
    return make_issued_document(org.muong_dun, subject_type="dossiers.dossier", subject_id="98765432")


def _url(document, suffix=""):
    return f"/verify/{document.public_id}/{suffix}"


def _upload(content: bytes, name="ban-sao.pdf"):
    return {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}


# --- public verification page ---------------------------------------------------------------------


def test_anyone_sees_what_was_issued(client, document):
    response = client.get(_url(document))
    assert response.status_code == 200
    body = response.content.decode()
    for shown in (document.title, "15/TTPVHCC", "Xã Mường Đun", document.sha256, document.get_kind_display()):
        assert str(shown) in body
    assert "98765432" not in body  # what the document is about stays internal


def test_the_page_shows_no_personal_data_printed_on_the_paper(client, org):
    document = document_issue(
        actor=org.officer,
        kind=DocumentKind.RECEIPT,
        template_name="documents/receipt.html",
        context=samples.receipt(),
        org_unit=org.muong_dun,
        subject=org.citizen.citizen,
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        number="15/TTPVHCC",
    )
    body = client.get(_url(document)).content.decode()
    for private in (
        samples.APPLICANT["id_number"],
        samples.APPLICANT["name"],
        samples.APPLICANT["phone"],
        org.citizen.citizen.personal_id,
    ):
        assert private not in body


def test_unknown_documents_are_not_found(client, document):
    assert client.get("/verify/0b6e3a52-9d1c-4f3e-8a47-5c2d1e0f9a11/").status_code == 404
    assert client.get("/verify/not-a-uuid/").status_code == 404


def test_an_identical_copy_matches(document):
    client = Client(enforce_csrf_checks=True)  # a visitor arriving from the QR code has no token
    response = client.post(_url(document), _upload(FAKE_PDF))
    assert response.status_code == 200
    assert response.context["matches"] is True


def test_a_changed_copy_does_not_match(client, document):
    response = client.post(_url(document), _upload(FAKE_PDF.replace(b"stand-in", b"stand-ln")))
    assert response.status_code == 200
    assert response.context["matches"] is False


@pytest.mark.parametrize("content", [b"GIF89a not a pdf", b"\x00" * 2048 + b"%PDF-1.7"])
def test_a_file_that_is_not_a_pdf_is_refused_clearly(client, document, content):
    response = client.post(_url(document), _upload(content))
    assert response.status_code == 400
    assert response.context["matches"] is None
    assert response.context["form"].has_error("file", "not_pdf")


def test_an_empty_upload_is_refused(client, document):
    response = client.post(_url(document), _upload(b""))
    assert response.status_code == 400
    assert response.context["form"].has_error("file")


def test_an_oversized_upload_is_refused_before_it_is_read(client, document, monkeypatch):
    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 1024)
    response = client.post(_url(document), _upload(b"%PDF-" + b"0" * 100_000))
    assert response.status_code == 413
    assert response.context["upload_error"] == signing_forms.TOO_LARGE
    assert response.context["matches"] is None


def test_a_file_over_the_limit_is_refused_by_the_form_too(client, document, monkeypatch):
    monkeypatch.setattr(signing_forms, "MAX_UPLOAD_BYTES", 10)
    response = client.post(_url(document), _upload(FAKE_PDF))
    assert response.status_code == 400
    assert response.context["form"].has_error("file", "too_large")


def test_a_replaced_document_points_at_its_newer_version(client, org, document):
    newer = make_issued_document(org.muong_dun)
    document.superseded_by = newer
    document.save(update_fields=["superseded_by"])
    body = client.get(_url(document)).content.decode()
    assert _url(newer) in body


# --- file download for officials ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "specialist", "leader"])
def test_officials_who_receive_or_process_dossiers_there_download_the_file(sign_in, org, document, who):
    response = sign_in(getattr(org, who)).get(_url(document, "file"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == FAKE_PDF
    entry = AuditEntry.objects.get(action="issueddocument.downloaded")
    assert (entry.actor, entry.target_id) == (getattr(org, who), str(document.pk))


@pytest.mark.parametrize(
    "who", ["other_officer", "other_leader", "clerk", "no_role", "citizen", "team_member"]
)
def test_everyone_else_gets_not_found(sign_in, org, document, who):
    assert sign_in(getattr(org, who)).get(_url(document, "file")).status_code == 404
    assert not AuditEntry.objects.filter(action="issueddocument.downloaded").exists()


def test_a_province_official_with_the_right_on_the_province_downloads(sign_in, org, document):
    province_officer = make_official(org.province, "one_stop_officer", username="motcua_tinh")
    assert sign_in(province_officer).get(_url(document, "file")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, document):
    response = client.get(_url(document, "file"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_file_has_no_public_address(sign_in, org, document, settings):
    client = sign_in(org.officer)
    for path in (f"/{document.file.name}", f"{settings.MEDIA_URL or '/'}{document.file.name}", "/media/"):
        assert client.get(path).status_code == 404, path
    assert hashlib.sha256(FAKE_PDF).hexdigest() == document.sha256
