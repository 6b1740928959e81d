import hashlib

import pytest
from django.db import transaction

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.choices import OrgUnitKind
from smartcommune.directory.factories import make_unit
from smartcommune.documents import samples, services
from smartcommune.documents.choices import DocumentKind
from smartcommune.documents.errors import DocumentAlreadySuperseded
from smartcommune.documents.models import IssuedDocument
from smartcommune.documents.rendering import RenderedPdf
from smartcommune.documents.services import document_issue, place_name, verify_url

from .pdf_tools import flat, pdf_text

pytestmark = pytest.mark.django_db

BASE = "https://smartcommune.dienbien.gov.vn"


@pytest.fixture
def public_base_url(settings):
    settings.SMARTCOMMUNE = {**settings.SMARTCOMMUNE, "PUBLIC_BASE_URL": BASE + "/"}


@pytest.fixture
def stub_render(monkeypatch):
    """Skip WeasyPrint where the PDF's content does not matter; records the contexts it got."""
    contexts = []

    def render(template_name, context):
        contexts.append(context)
        return RenderedPdf(data=b"%PDF-1.7\n" + context["public_id"].encode(), page_count=1, anchors={})

    monkeypatch.setattr(services, "render_document", render)
    return contexts


def _issue(org, **overrides):
    fields = {
        "actor": org.officer,
        "kind": DocumentKind.RECEIPT,
        "template_name": "documents/receipt.html",
        "context": samples.receipt(),
        "org_unit": org.muong_dun,
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "number": "15/TTPVHCC",
    }
    return document_issue(**(fields | overrides))


def test_document_issue_stores_the_pdf_with_its_hash_and_records_it(org, public_base_url):
    document = _issue(org, subject=org.citizen.citizen)

    document.refresh_from_db()
    with document.file.open("rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)
    assert (document.kind, document.number, document.org_unit, document.issued_by, document.signed) == (
        "receipt",
        "15/TTPVHCC",
        org.muong_dun,
        org.officer,
        False,
    )
    assert (document.subject_type, document.subject_id) == ("directory.citizen", str(org.citizen.citizen.pk))
    assert document.file.name.startswith(f"documents/{document.issued_at:%Y}/")
    assert str(document.public_id) not in document.file.name

    entry = AuditEntry.objects.get(action="issueddocument.created")
    assert (entry.actor, entry.target_id, entry.org_unit) == (org.officer, str(document.pk), org.muong_dun)
    assert entry.data["sha256"] == document.sha256
    assert entry.data["public_id"] == str(document.public_id)

    text = flat("\n".join(pdf_text(stored)))
    assert f"{BASE}/verify/{document.public_id}/" in text
    assert "ỦY BAN NHÂN DÂN XÃ MƯỜNG ĐUN" in text
    assert "Mường Đun, ngày" in text


def test_header_names_the_commune_when_a_unit_under_it_issues(org, stub_render):
    centre = make_unit(org.muong_dun, "Trung tâm Phục vụ hành chính công", OrgUnitKind.SERVICE_CENTRE)
    _issue(org, org_unit=centre, context={"dossier_code": "X"})
    assert (stub_render[0]["commune"], stub_render[0]["place"]) == ("Xã Mường Đun", "Mường Đun")


def test_caller_context_wins_over_defaults_but_not_over_the_verification_keys(org, stub_render):
    document = _issue(org, context={"place": "Phìn Hồ", "verify_url": "https://evil.example/", "x": 1})
    context = stub_render[0]
    assert context["place"] == "Phìn Hồ" and context["x"] == 1
    assert context["verify_url"] == verify_url(document.public_id)
    assert context["public_id"] == str(document.public_id)
    assert context["document_number"] == "15/TTPVHCC"


def test_postprocessors_shape_the_stored_file_and_may_mark_it_signed(org):
    seen = {}

    def fake_signer(pdf: bytes, *, draft) -> bytes:
        seen["anchors"] = draft.anchors
        seen["pk"] = draft.document.pk
        draft.document.signed = True
        return pdf + b"%signed\n"

    document = _issue(org, postprocessors=[fake_signer])

    with document.file.open("rb") as fh:
        stored = fh.read()
    assert stored.endswith(b"%signed\n")
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert IssuedDocument.objects.get().signed is True
    assert seen["pk"] is None  # ran before anything was saved
    assert seen["anchors"]["sig-receiver"].page == 0
    assert AuditEntry.objects.get(action="issueddocument.created").data["signed"] is True


def test_superseding_links_the_old_version_once(org, stub_render):
    first = _issue(org)
    second = _issue(org, supersedes=first)

    first.refresh_from_db()
    assert first.superseded_by == second
    assert list(IssuedDocument.objects.current()) == [second]
    entry = AuditEntry.objects.get(action="issueddocument.superseded")
    assert entry.target_id == str(first.pk) and entry.data == {"by": str(second.public_id)}

    with pytest.raises(DocumentAlreadySuperseded):
        _issue(org, supersedes=first)
    assert IssuedDocument.objects.count() == 2


def test_a_failed_issue_leaves_neither_row_nor_file(org, stub_render, monkeypatch, settings):
    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        _issue(org)

    assert not IssuedDocument.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_issuing_inside_the_callers_transaction_rolls_back_with_it(org, stub_render):
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(org)
        raise RuntimeError("the dossier step failed")
    assert not IssuedDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="issueddocument.created").exists()


def test_an_unknown_kind_is_a_programming_error(org, stub_render):
    with pytest.raises(ValueError, match="unknown document kind"):
        _issue(org, kind="certificate")
    assert not IssuedDocument.objects.exists()


def test_verify_url_joins_the_public_base_url(settings):
    settings.SMARTCOMMUNE = {**settings.SMARTCOMMUNE, "PUBLIC_BASE_URL": "https://a.example/"}
    assert (
        verify_url("0b6e3a52-9d1c-4f3e-8a47-5c2d1e0f9a11")
        == "https://a.example/verify/0b6e3a52-9d1c-4f3e-8a47-5c2d1e0f9a11/"
    )


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Xã Mường Đun", "Mường Đun"),
        ("Phường Him Lam", "Him Lam"),
        ("Tỉnh Điện Biên", "Điện Biên"),
        ("Bản A", "Bản A"),
    ],
)
def test_place_name_drops_the_administrative_word(name, place):
    assert place_name(name) == place
