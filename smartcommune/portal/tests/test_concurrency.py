"""A double tap on "Send" from two connections at once: one dossier, both answers name it."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from smartcommune.dossiers.models import Dossier
from smartcommune.dossiers.services import online

from .conftest import JPEG

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks under real concurrency need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_submits_of_one_draft_create_one_dossier(org, portal):
    draft = online.draft_start(actor=org.citizen, procedure=portal.birth, org_unit=org.muong_dun)
    component = portal.birth.components.get()
    online.draft_save(
        actor=org.citizen,
        draft=draft,
        org_unit=org.muong_dun,
        uploads={component: [SimpleUploadedFile("anh.jpg", JPEG, content_type="image/jpeg")]},
    )
    before = Dossier.objects.count()
    barrier, results, errors = threading.Barrier(4), [], []

    def submit():
        try:
            barrier.wait()
            results.append(online.draft_submit(actor=org.citizen, draft=draft).code)
        except Exception as exc:  # collected and asserted on
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert Dossier.objects.count() == before + 1
    assert len(set(results)) == 1 and len(results) == 4
    assert Dossier.objects.get(code=results[0]).files.count() == 1
