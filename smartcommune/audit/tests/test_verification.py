import inspect
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from smartcommune.audit.factories import record_entries
from smartcommune.audit.hashing import canonical_payload, hash_of
from smartcommune.audit.models import AuditEntry
from smartcommune.audit.tasks import audit_verify_chain_task
from smartcommune.audit.verification import ChainBreak, verify_chains
from smartcommune.core import context

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(org):
    """Five entries of Mường Đun's chain, with an actor, a target, data and request context."""
    token = context.set_current(context.RequestContext(request_id="req-verify-0001", ip="192.0.2.10"))
    try:
        entries = record_entries(
            5, actor=org.leader, action="unit.checked", org_unit=org.muong_dun, target=org.ban_a
        )
    finally:
        context.reset(token)
    record_entries(2, action="province.checked")  # a second chain, left intact
    return entries


def run_verify() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expect_break(chain_key: str, seq: int, entry_id: int | None) -> None:
    """`audit_verify` fails naming the chain, the position and the entry; the task names the chain."""
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", stdout=StringIO(), stderr=err)
    where = f"entry id {entry_id}" if entry_id is not None else "no entry"
    assert f"BROKEN chain {chain_key!r} at seq {seq} ({where})" in err.getvalue()
    assert f"first {chain_key!r} at seq {seq}" in str(exc.value)
    assert chain_key in audit_verify_chain_task()["broken"]


def test_an_intact_trail_verifies(chain):
    out, err = run_verify()
    assert out.strip() == "audit trail intact: 7 entries checked"
    assert err == ""
    assert audit_verify_chain_task() == {"checked": 7, "broken": []}


def test_an_empty_trail_verifies(db):
    out, _ = run_verify()
    assert out.strip() == "audit trail intact: 0 entries checked"


def _tamper_values(org, entry):
    return {
        "action": "unit.deleted",
        "actor": org.officer,
        "actor_label": "Người khác",
        "target_type": "directory.citizen",
        "target_id": "999",
        "target_label": "Bản khác",
        "data": {"n": 99},
        "created_at": entry.created_at + timedelta(seconds=1),
        "ip": "198.51.100.99",
        "org_unit": org.phin_ho,
        "request_id": "req-tampered-01",
        "prev_hash": "f" * 64,
        "hash": "e" * 64,
        "seq": 1000,
        "chain": "u:tampered",
    }


# Renumbering or moving an entry to another chain leaves a hole where it was: the chain breaks at
# that position, on the entry that now follows the hole.
_BREAKS_AT_NEXT_ENTRY = {"seq", "chain"}
TAMPERED_FIELDS = [
    "action",
    "actor",
    "actor_label",
    "chain",
    "created_at",
    "data",
    "hash",
    "ip",
    "org_unit",
    "prev_hash",
    "request_id",
    "seq",
    "target_id",
    "target_label",
    "target_type",
]


def test_the_tampering_cases_cover_every_hashed_field(org):
    # canonical_payload's parameters are the hashed fields; foreign keys are updated by relation name
    by_relation = {"actor_id": "actor", "org_unit_id": "org_unit"}
    hashed = {by_relation.get(name, name) for name in inspect.signature(canonical_payload).parameters}
    assert set(TAMPERED_FIELDS) == hashed | {"hash"}
    assert set(_tamper_values(org, AuditEntry(created_at=timezone.now()))) == set(TAMPERED_FIELDS)


@pytest.mark.parametrize("field", TAMPERED_FIELDS)
def test_changing_any_field_of_an_entry_is_detected(org, chain, field):
    # given the middle entry of the chain
    victim, after = chain[2], chain[3]
    value = _tamper_values(org, victim)[field]

    # when one field is changed behind the application's back
    AuditEntry.objects.filter(pk=victim.pk).update(**{field: value})

    # then verification names the first broken entry
    if field in _BREAKS_AT_NEXT_ENTRY:
        expect_break(victim.chain, 3, after.pk)
    if field == "chain":
        # and the moved entry, in a chain that has no head, is reported too
        assert ChainBreak("u:tampered", 3, victim.pk, "chain has no head") in verify_chains()[1]
    if field not in _BREAKS_AT_NEXT_ENTRY:
        expect_break(victim.chain, 3, victim.pk)


def test_changing_the_last_entry_is_detected(org, chain):
    last = chain[-1]
    AuditEntry.objects.filter(pk=last.pk).update(data={"n": "changed"})
    expect_break(last.chain, 5, last.pk)


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(org, chain):
    # given an attacker who changes an entry and recomputes its hash
    victim = chain[2]
    victim.data = {"n": "forged"}
    AuditEntry.objects.filter(pk=victim.pk).update(data=victim.data, hash=hash_of(victim))

    # then the following entry no longer links to it
    expect_break(victim.chain, 4, chain[3].pk)


def test_rewriting_the_last_entry_with_a_fresh_hash_no_longer_matches_the_head(org, chain):
    last = chain[-1]
    last.action = "unit.forged"
    AuditEntry.objects.filter(pk=last.pk).update(action=last.action, hash=hash_of(last))
    expect_break(last.chain, 5, last.pk)
    assert verify_chains()[1][0].reason == "last entry does not match the chain head"


def test_deleting_a_middle_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).delete()
    expect_break(chain[2].chain, 3, chain[3].pk)


def test_deleting_the_first_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[0].pk).delete()
    expect_break(chain[0].chain, 1, chain[1].pk)


def test_deleting_the_last_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    expect_break(chain[-1].chain, 5, None)
    assert verify_chains()[1] == [
        ChainBreak(chain[-1].chain, 5, None, "entries missing at the end of the chain")
    ]


def test_swapping_two_entries_is_detected(chain):
    # given entries 2 and 3 swap places (through a free number: (chain, seq) is unique)
    second, third = chain[1], chain[2]
    AuditEntry.objects.filter(pk=second.pk).update(seq=10_000)
    AuditEntry.objects.filter(pk=third.pk).update(seq=2)
    AuditEntry.objects.filter(pk=second.pk).update(seq=3)

    # then the chain breaks at position 2, where the former third entry now stands
    expect_break(second.chain, 2, third.pk)


def test_an_entry_appended_around_the_service_is_detected(org, chain):
    # given a well-formed next entry inserted directly, without moving the chain head
    extra = AuditEntry.objects.get(pk=chain[-1].pk)
    extra.pk, extra.seq, extra.prev_hash = None, 6, extra.hash
    extra.hash = hash_of(extra)
    extra.save()

    # then the chain is longer than its head says
    expect_break(extra.chain, 6, extra.pk)
    assert verify_chains()[1][0].reason == "entries beyond the chain head"


def test_every_broken_chain_is_reported(org, chain):
    province_entries = AuditEntry.objects.filter(chain="province").order_by("seq")
    AuditEntry.objects.filter(pk=chain[0].pk).update(action="x.changed")
    AuditEntry.objects.filter(pk=province_entries[1].pk).update(action="x.changed")
    checked, breaks = verify_chains()
    assert checked == 1 + 2  # each chain is read up to its first break
    assert sorted((b.chain, b.seq) for b in breaks) == sorted([(chain[0].chain, 1), ("province", 2)])
    assert sorted(audit_verify_chain_task()["broken"]) == sorted([chain[0].chain, "province"])
