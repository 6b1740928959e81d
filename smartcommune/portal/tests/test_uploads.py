"""Uploads in pieces: a 20 MB phone scan survives a dropped connection and lands in the dossier."""

import hashlib
import json

import pytest

from smartcommune.dossiers.choices import Channel
from smartcommune.dossiers.models import Dossier, DossierFile, DraftFile, UploadChunk
from smartcommune.dossiers.services import online

from .conftest import PDF

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def _big_pdf(size: int) -> bytes:
    body = PDF + bytes(range(256)) * ((size - len(PDF)) // 256 + 1)
    return body[:size]


def _start(client, draft, component, size, name="so-ho-khau.pdf"):
    return client.post(
        f"/api/v1/portal/drafts/{draft.public_id}/uploads",
        json.dumps({"component": component.pk, "name": name, "size": size}),
        content_type="application/json",
    )


def _put(client, upload_id, offset, data):
    return client.put(
        f"/api/v1/portal/uploads/{upload_id}?offset={offset}", data, content_type="application/octet-stream"
    )


@pytest.fixture
def draft(org, portal):
    draft = online.draft_start(actor=org.citizen, procedure=portal.birth, org_unit=org.muong_dun)
    return draft


def test_twenty_megabytes_survive_a_dropped_connection(client, org, portal, draft, sign_in):
    sign_in(org.citizen)
    component = portal.birth.components.get()
    content = _big_pdf(20 * MB)
    started = _start(client, draft, component, len(content))
    assert started.status_code == 201
    upload = started.json()
    upload_id, step = upload["id"], upload["chunk_size"]
    offset = 0
    for _ in range(7):  # the first 7 MB go through
        assert _put(client, upload_id, offset, content[offset : offset + step]).status_code == 200
        offset += step
    # The connection drops while piece 8 is sent: the phone does not know what arrived. It sends
    # piece 7 again (its answer was lost) and then a piece from too far ahead by mistake.
    assert (
        _put(client, upload_id, offset - step, content[offset - step : offset]).json()["received"] == offset
    )
    too_far = _put(client, upload_id, offset + step, content[offset + step : offset + 2 * step])
    assert too_far.status_code == 409 and too_far.json()["code"] == "upload_offset"
    # It asks where the upload stands and goes on from there.
    offset = client.get(f"/api/v1/portal/uploads/{upload_id}").json()["received"]
    while offset < len(content):
        assert _put(client, upload_id, offset, content[offset : offset + step]).status_code == 200
        offset += step
    finished = client.post(f"/api/v1/portal/uploads/{upload_id}/finish")
    assert finished.status_code == 201
    assert finished.json()["sha256"] == hashlib.sha256(content).hexdigest()
    assert not UploadChunk.objects.exists()
    stored = DraftFile.objects.get(draft=draft)
    assert stored.size == 20 * MB and stored.file.read() == content
    # Submitting the draft puts the same bytes in the dossier.
    submitted = client.post(
        f"/portal/drafts/{draft.public_id}/", {"org_unit": org.muong_dun.pk, "submit": "1"}
    )
    assert submitted.status_code == 302
    dossier = Dossier.objects.get(channel=Channel.ONLINE)
    assert DossierFile.objects.get(dossier=dossier).sha256 == hashlib.sha256(content).hexdigest()


def test_unfinished_or_oversized_uploads_are_refused(client, org, portal, draft, sign_in):
    sign_in(org.citizen)
    component = portal.birth.components.get()
    assert _start(client, draft, component, 20 * MB + 1).status_code == 400
    upload_id = _start(client, draft, component, 3).json()["id"]
    assert client.post(f"/api/v1/portal/uploads/{upload_id}/finish").status_code == 400
    assert _put(client, upload_id, 0, b"%PDF-").status_code == 400  # more than announced
    assert _put(client, upload_id, 0, b"abc").status_code == 200
    refused = client.post(f"/api/v1/portal/uploads/{upload_id}/finish")
    assert refused.status_code == 400 and refused.json()["code"] == "file_content"
    assert not DraftFile.objects.exists()


def test_uploads_belong_to_their_citizen(client, org, portal, draft, sign_in):
    sign_in(org.citizen)
    component = portal.birth.components.get()
    upload_id = _start(client, draft, component, 10).json()["id"]
    sign_in(org.other_citizen)
    assert client.get(f"/api/v1/portal/uploads/{upload_id}").status_code == 404
    assert _put(client, upload_id, 0, b"%PDF-12345").status_code == 404
    assert _start(client, draft, component, 10).status_code == 404
    sign_in(org.officer)
    assert client.get(f"/api/v1/portal/uploads/{upload_id}").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/portal/uploads/{upload_id}").status_code == 401


def test_housekeeping_forgets_old_attempts_and_abandoned_uploads(
    org, portal, draft, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from smartcommune.directory.models import SignUpRequest
    from smartcommune.dossiers.models import LookupAttempt, UploadSession
    from smartcommune.dossiers.tasks import portal_housekeeping_task

    now = timezone.now()
    LookupAttempt.objects.create(client_key="a", code="X", at=now - timedelta(days=2))
    LookupAttempt.objects.create(client_key="a", code="X", at=now - timedelta(hours=1))
    component = portal.birth.components.get()
    old = online.upload_start(actor=org.citizen, draft=draft, component=component, name="a.pdf", size=10)
    online.upload_append(session=old, offset=0, data=b"%PDF-")
    UploadSession.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=8))
    chunk_name = UploadChunk.objects.get(session=old).file.name
    fresh = online.upload_start(actor=org.citizen, draft=draft, component=component, name="b.pdf", size=10)
    for n, expired in ((1, now - timedelta(days=2)), (2, now - timedelta(minutes=5))):
        SignUpRequest.objects.create(
            personal_id=f"01109000000{n}",
            full_name="Thử",
            password_hash="x",
            code_hash="y",
            created_at=expired - timedelta(minutes=15),
            expires_at=expired,
        )
    storage = UploadChunk._meta.get_field("file").storage
    with django_capture_on_commit_callbacks(execute=True):
        result = portal_housekeeping_task()
    assert result == {"lookup_attempts": 1, "signup_requests": 1, "upload_sessions": 1}
    assert list(SignUpRequest.objects.values_list("personal_id", flat=True)) == ["011090000002"]
    assert LookupAttempt.objects.count() == 1
    assert list(UploadSession.objects.all()) == [fresh]
    assert not storage.exists(chunk_name)


def test_community_team_member_uploads_into_their_own_on_behalf_draft(client, org, portal, sign_in):
    applicant = org.other_citizen.citizen
    helped = online.draft_start_on_behalf(
        actor=org.team_member,
        procedure=portal.birth,
        org_unit=org.muong_dun,
        personal_id=applicant.personal_id,
        full_name=applicant.full_name,
        date_of_birth=applicant.date_of_birth,
        relation="community",
        consent_method="signed_paper",
    )
    sign_in(org.team_member)
    component = portal.birth.components.get()
    upload_id = _start(client, helped, component, 10).json()["id"]
    assert _put(client, upload_id, 0, b"%PDF-12345").status_code == 200
    assert client.post(f"/api/v1/portal/uploads/{upload_id}/finish").status_code == 201
    assert DraftFile.objects.get(draft=helped).size == 10
