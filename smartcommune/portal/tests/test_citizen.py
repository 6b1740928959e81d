"""A citizen's own dossiers: online draft and submission, supplement, withdraw, result, rating,
feedback — and never anyone else's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.dossiers import printing
from smartcommune.dossiers.choices import Channel, DossierStatus, FileKind
from smartcommune.dossiers.models import Dossier, DossierFile, DraftFile, Feedback, OnlineDraft, Rating
from smartcommune.dossiers.services import processing as dp
from smartcommune.notifications.models import Message

from .conftest import JPEG, PDF

pytestmark = pytest.mark.django_db


def _photo(name="anh-to-khai.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def _start(client, procedure):
    response = client.post(f"/portal/procedures/{procedure.code}/start/")
    assert response.status_code == 302
    return OnlineDraft.objects.get()


def test_my_dossiers_lists_only_mine(client, org, portal, sign_in, django_assert_max_num_queries):
    sign_in(org.citizen)
    with django_assert_max_num_queries(12):
        response = client.get("/portal/my/")
    assert response.status_code == 200
    assert portal.dossier.code in response.text
    sign_in(org.other_citizen)
    assert portal.dossier.code not in client.get("/portal/my/").text
    assert client.get(f"/portal/my/{portal.dossier.code}/").status_code == 404


def test_officials_do_not_use_the_citizen_pages(client, org, portal, sign_in):
    sign_in(org.officer)
    assert client.get("/portal/my/").status_code == 404
    assert client.get(f"/portal/my/{portal.dossier.code}/").status_code == 404


def test_draft_is_saved_and_submitted_once(client, org, portal, sign_in):
    sign_in(org.citizen)
    draft = _start(client, portal.birth)
    assert draft.org_unit == org.muong_dun  # the citizen's home commune by default
    component = portal.birth.components.get()
    saved = client.post(
        f"/portal/drafts/{draft.public_id}/",
        {"org_unit": org.muong_dun.pk, "note": "", "save": "1", f"file_{component.pk}": _photo()},
    )
    assert saved.status_code == 302
    assert DraftFile.objects.filter(draft=draft).count() == 1
    assert not Dossier.objects.filter(channel=Channel.ONLINE).exists()
    # Submit twice (a double tap): one dossier.
    first = client.post(f"/portal/drafts/{draft.public_id}/", {"org_unit": org.muong_dun.pk, "submit": "1"})
    again = client.post(f"/portal/drafts/{draft.public_id}/", {"org_unit": org.muong_dun.pk, "submit": "1"})
    online = Dossier.objects.get(channel=Channel.ONLINE)
    assert first.url == again.url == f"/portal/my/{online.code}/"
    stored = DossierFile.objects.get(dossier=online)
    assert stored.content_type == "image/jpeg" and stored.original_name == "anh-to-khai.jpg"
    assert stored.file.read() == JPEG  # the photo is kept as submitted
    assert online.citizen == portal.citizen
    # Form 01 of an online dossier names the portal as receiver, not the applicant's account.
    assert printing.receipt_context(online)["receiver_name"] == "Tiếp nhận trực tuyến"


def test_submit_without_the_mandatory_paper_keeps_the_draft(client, org, portal, sign_in):
    sign_in(org.citizen)
    draft = _start(client, portal.birth)
    response = client.post(
        f"/portal/drafts/{draft.public_id}/", {"org_unit": org.muong_dun.pk, "note": "ghi chú", "submit": "1"}
    )
    assert response.status_code == 400
    assert not Dossier.objects.filter(channel=Channel.ONLINE).exists()
    draft.refresh_from_db()
    assert draft.note == "ghi chú" and draft.dossier is None


def test_hostile_upload_is_refused_and_nothing_is_stored(client, org, portal, sign_in):
    sign_in(org.citizen)
    draft = _start(client, portal.birth)
    component = portal.birth.components.get()
    response = client.post(
        f"/portal/drafts/{draft.public_id}/",
        {
            "org_unit": org.muong_dun.pk,
            "save": "1",
            f"file_{component.pk}": _photo("x.jpg", b"<?php evil(); ?>"),
        },
    )
    assert response.status_code == 400
    assert DraftFile.objects.count() == 0


def test_someone_elses_draft_is_404(client, org, portal, sign_in):
    sign_in(org.citizen)
    draft = _start(client, portal.birth)
    sign_in(org.other_citizen)
    assert client.get(f"/portal/drafts/{draft.public_id}/").status_code == 404
    assert client.post(f"/portal/drafts/{draft.public_id}/", {"submit": "1"}).status_code == 404


def _to_processing(org, dossier):
    dossier = dp.dossier_forward(dossier=dossier, actor=org.officer, version=None)
    return dp.dossier_request_supplement(
        dossier=dossier, actor=org.specialist, version=None, items="Bản chụp giấy chứng sinh", reason="Ảnh mờ"
    )


def test_supplement_from_the_portal_resumes_the_clock(client, org, portal, sign_in):
    dossier = _to_processing(org, portal.dossier)
    sign_in(org.citizen)
    client.cookies["django_language"] = "en"
    page = client.get(f"/portal/my/{dossier.code}/")
    assert "The office needs more papers from you" in page.text and "Bản chụp giấy chứng sinh" in page.text
    response = client.post(
        f"/portal/my/{dossier.code}/supplement/",
        {"version": dossier.version, "files": SimpleUploadedFile("chung-sinh.pdf", PDF), "note": ""},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert DossierFile.objects.filter(dossier=dossier, kind=FileKind.SUPPLEMENT).count() == 1


def test_stale_supplement_changes_nothing(client, org, portal, sign_in):
    dossier = _to_processing(org, portal.dossier)
    sign_in(org.citizen)
    response = client.post(
        f"/portal/my/{dossier.code}/supplement/",
        {"version": dossier.version - 1, "files": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_withdraw(client, org, portal, sign_in):
    sign_in(org.citizen)
    dossier = portal.dossier
    assert (
        client.post(f"/portal/my/{dossier.code}/withdraw/", {"version": dossier.version}).status_code == 400
    )
    response = client.post(
        f"/portal/my/{dossier.code}/withdraw/", {"version": dossier.version, "reason": "Nộp nhầm"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN


def test_other_citizen_cannot_act(client, org, portal, sign_in):
    sign_in(org.other_citizen)
    dossier = portal.dossier
    response = client.post(
        f"/portal/my/{dossier.code}/withdraw/", {"version": dossier.version, "reason": "x"}
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED


def _with_result(org, dossier):
    dossier = dp.dossier_forward(dossier=dossier, actor=org.officer, version=None)
    dossier = dp.dossier_forward(dossier=dossier, actor=org.specialist, version=None)
    dossier = dp.dossier_approve(dossier=dossier, actor=org.leader, version=None)
    return dp.dossier_record_result(
        dossier=dossier,
        actor=org.officer,
        version=None,
        result_file=SimpleUploadedFile("giay-khai-sinh.pdf", PDF, content_type="application/pdf"),
    )


def test_result_download_confirm_and_rate(client, org, portal, sign_in):
    sign_in(org.citizen)
    dossier = portal.dossier
    result_file_count = DossierFile.objects.filter(kind=FileKind.RESULT).count()
    assert result_file_count == 0
    assert client.post(f"/portal/my/{dossier.code}/rate/", {"satisfied": "yes"}).status_code == 409
    dossier = _with_result(org, dossier)
    result = DossierFile.objects.get(dossier=dossier, kind=FileKind.RESULT)
    download = client.get(f"/portal/my/{dossier.code}/files/{result.public_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # Not satisfied needs a reason.
    assert client.post(f"/portal/my/{dossier.code}/rate/", {"satisfied": "no"}).status_code == 400
    assert not Rating.objects.exists()
    assert client.post(f"/portal/my/{dossier.code}/rate/", {"satisfied": "yes"}).status_code == 302
    assert (
        client.post(f"/portal/my/{dossier.code}/rate/", {"satisfied": "no", "reason": "x"}).status_code == 409
    )
    assert Rating.objects.get(dossier=dossier).satisfied is True
    dp.dossier_return_result(dossier=dossier, actor=org.officer, version=None, method="online")
    dossier.refresh_from_db()
    assert client.post(f"/portal/my/{dossier.code}/confirm/", {"version": dossier.version}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.receipt_confirmed_at is not None


def test_other_citizen_cannot_download_the_result(client, org, portal, sign_in):
    dossier = _with_result(org, portal.dossier)
    result = DossierFile.objects.get(dossier=dossier, kind=FileKind.RESULT)
    sign_in(org.other_citizen)
    assert client.get(f"/portal/my/{dossier.code}/files/{result.public_id}/").status_code == 404


def test_receipt_download(client, org, portal, sign_in):
    sign_in(org.citizen)
    response = client.get(f"/portal/my/{portal.dossier.code}/receipt.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_feedback_reaches_the_commune_leader(client, org, portal, sign_in):
    sign_in(org.citizen)
    code = portal.dossier.code
    assert client.post(f"/portal/my/{code}/feedback/", {"kind": "complaint", "text": ""}).status_code == 400
    response = client.post(f"/portal/my/{code}/feedback/", {"kind": "complaint", "text": "Chờ lâu quá"})
    assert response.status_code == 302
    assert Feedback.objects.get().text == "Chờ lâu quá"
    assert Message.objects.filter(recipient_user=org.leader, channel="in_app").exists()


def test_relative_submits_on_behalf_with_consent(client, org, portal, sign_in):
    from smartcommune.audit.models import AuditEntry

    applicant = org.other_citizen.citizen
    sign_in(org.citizen)
    form = {
        "personal_id": applicant.personal_id,
        "full_name": applicant.full_name,
        "date_of_birth": applicant.date_of_birth.isoformat() if applicant.date_of_birth else "",
        "phone": "",
        "relation": "relative",
        "consent_method": "in_person",
    }
    url = f"/portal/procedures/{portal.birth.code}/for-someone/"
    assert client.post(url, form).status_code == 400  # consent not ticked: nothing recorded
    assert not OnlineDraft.objects.exists()
    started = client.post(url, {**form, "consent": "on"})
    assert started.status_code == 302
    draft = OnlineDraft.objects.get()
    assert draft.applicant == applicant and draft.consent_method == "in_person" and draft.consent_at
    component = portal.birth.components.get()
    client.post(started.url, {"org_unit": org.muong_dun.pk, "save": "1", f"file_{component.pk}": _photo()})
    done = client.post(started.url, {"org_unit": org.muong_dun.pk, "submit": "1"})
    dossier = Dossier.objects.get(channel=Channel.ONLINE)
    assert done.url == f"/portal/lookup/?code={dossier.code}"
    assert dossier.citizen == applicant
    assert dossier.submitted_by_name == f"{org.citizen.full_name} (Người thân)"
    entry = AuditEntry.objects.get(action="dossier.submitted_on_behalf")
    assert entry.data["consent"] == "in_person"
    # The applicant sees it among their own dossiers; the helper does not.
    assert client.get(f"/portal/my/{dossier.code}/").status_code == 404
    sign_in(org.other_citizen)
    assert client.get(f"/portal/my/{dossier.code}/").status_code == 200


def test_on_behalf_name_must_match_the_number(client, org, portal, sign_in):
    applicant = org.other_citizen.citizen
    sign_in(org.citizen)
    response = client.post(
        f"/portal/procedures/{portal.birth.code}/for-someone/",
        {
            "personal_id": applicant.personal_id,
            "full_name": "Người Khác Hẳn",
            "date_of_birth": "1990-05-17",
            "relation": "relative",
            "consent_method": "phone",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert not OnlineDraft.objects.exists()


def test_community_team_member_may_help_but_other_officials_may_not(client, org, portal, sign_in):
    url = f"/portal/procedures/{portal.birth.code}/for-someone/"
    sign_in(org.team_member)
    assert client.get(url).status_code == 200
    sign_in(org.officer)
    assert client.get(url).status_code == 404


def test_pick_a_paper_from_an_earlier_dossier(client, org, portal, sign_in):
    sign_in(org.citizen)
    component = portal.birth.components.get()
    first = _start(client, portal.birth)
    client.post(
        f"/portal/drafts/{first.public_id}/",
        {"org_unit": org.muong_dun.pk, "save": "1", f"file_{component.pk}": _photo()},
    )
    client.post(f"/portal/drafts/{first.public_id}/", {"org_unit": org.muong_dun.pk, "submit": "1"})
    earlier = DossierFile.objects.get(dossier__channel=Channel.ONLINE)

    second = client.post(f"/portal/procedures/{portal.birth.code}/start/")
    draft = OnlineDraft.objects.exclude(pk=first.pk).get()
    assert second.url == f"/portal/drafts/{draft.public_id}/"
    page = client.get(second.url)
    assert earlier.original_name in page.text  # offered from the repository
    saved = client.post(
        second.url,
        {"org_unit": org.muong_dun.pk, "save": "1", f"reuse_{component.pk}": str(earlier.public_id)},
    )
    assert saved.status_code == 302
    reused = DraftFile.objects.get(draft=draft)
    assert reused.reused_from == earlier and reused.sha256 == earlier.sha256


def test_someone_elses_paper_cannot_be_picked(client, org, portal, sign_in):
    sign_in(org.citizen)
    component = portal.birth.components.get()
    first = _start(client, portal.birth)
    client.post(
        f"/portal/drafts/{first.public_id}/",
        {"org_unit": org.muong_dun.pk, "save": "1", f"file_{component.pk}": _photo()},
    )
    client.post(f"/portal/drafts/{first.public_id}/", {"org_unit": org.muong_dun.pk, "submit": "1"})
    theirs = DossierFile.objects.get(dossier__channel=Channel.ONLINE)
    sign_in(org.other_citizen)
    started = client.post(f"/portal/procedures/{portal.birth.code}/start/")
    assert theirs.original_name not in client.get(started.url).text
    forged = client.post(
        started.url,
        {"org_unit": org.muong_dun.pk, "save": "1", f"reuse_{component.pk}": str(theirs.public_id)},
    )
    assert forged.status_code == 400 or not DraftFile.objects.filter(reused_from=theirs).exists()
    assert not DraftFile.objects.filter(reused_from=theirs).exists()


def test_supplement_request_message_points_to_the_portal(
    client, org, portal, django_capture_on_commit_callbacks
):
    from django.core import mail

    portal.citizen.email = "dan@example.vn"
    portal.citizen.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _to_processing(org, portal.dossier)
    body = mail.outbox[-1].body
    assert f"/portal/my/{portal.dossier.code}/" in body
    assert f"/portal/lookup/?code={portal.dossier.code}" in body
