import itertools
import threading

import pytest
from django.db import connection, transaction

from smartcommune.audit.models import AuditChainHead, AuditEntry
from smartcommune.audit.services import audit_record
from smartcommune.audit.verification import verify_chains

WRITERS = 2
PER_WRITER = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_at_once_form_one_unbroken_chain(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers at BEGIN IMMEDIATE")
    # given two threads (two connections) appending to Mường Đun's chain at the same time,
    # starting before the chain even has a head
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(PER_WRITER):
                with transaction.atomic():
                    audit_record(
                        actor=None, action="test.concurrent", org_unit=org.muong_dun, data={"w": n, "i": i}
                    )
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then every entry was written, numbered 1..N without gaps, each linked to the one before
    assert errors == []
    chain = org.muong_dun.audit_chain_key
    entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, WRITERS * PER_WRITER + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert {(e.data["w"], e.data["i"]) for e in entries} == {
        (w, i) for w in range(WRITERS) for i in range(PER_WRITER)
    }
    assert AuditChainHead.objects.get(key=chain).last_seq == WRITERS * PER_WRITER
    assert verify_chains() == (WRITERS * PER_WRITER, [])
