"""Under concurrent intake, dossier codes never repeat and never skip; two officers acting on one
dossier at once: one wins, the other gets a conflict, nothing is half-applied."""

import threading

import pytest
from django.db import connection, connections

from smartcommune.dossiers.errors import ActionNotAllowed, DossierConflict
from smartcommune.dossiers.models import Dossier
from smartcommune.dossiers.services import processing
from smartcommune.dossiers.services.intake import ComponentIn, dossier_receive

from .conftest import vn

pytestmark = [
    pytest.mark.postgres,
    # Decided before the database is set up: SQLite serialises writers anyway, and the transactional
    # set-up (serialized_rollback) is what these tests need on PostgreSQL only.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks under real concurrency need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _run_in_threads(count, work):
    barrier, errors, results = threading.Barrier(count), [], []

    def runner(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_concurrent_intake_gives_consecutive_unique_codes(org, catalog, people):
    def intake(i):
        return dossier_receive(
            actor=org.officer,
            org_unit=org.muong_dun,
            procedure=catalog.marital,
            citizen=people.citizen,
            components=[ComponentIn(catalog.declaration, originals=1)],
            cash_receipt_number=f"BL-{i}",
            received_at=vn(2026, 8, 13, 9, i),
        ).code

    codes, errors = _run_in_threads(8, intake)
    assert errors == []
    assert sorted(codes) == [f"000.01.00.H18-260813-{n:04d}" for n in range(1, 9)]


def test_two_officers_forwarding_at_once_one_wins(org, catalog, people):
    dossier = dossier_receive(
        actor=org.officer,
        org_unit=org.muong_dun,
        procedure=catalog.marital,
        citizen=people.citizen,
        components=[ComponentIn(catalog.declaration, originals=1)],
        cash_receipt_number="BL-X",
    )
    version = dossier.version

    def forward(_i):
        return processing.dossier_forward(dossier=dossier, actor=org.officer, version=version).version

    results, errors = _run_in_threads(2, forward)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], DossierConflict | ActionNotAllowed)
    final = Dossier.objects.get(pk=dossier.pk)
    assert final.version == version + 1
    assert final.steps.count() == 2 and final.events.count() == 2
