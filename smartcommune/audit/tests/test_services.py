import pytest
from django.db import transaction

from smartcommune.audit.factories import record_entries
from smartcommune.audit.hashing import GENESIS, hash_of
from smartcommune.audit.models import AuditChainHead, AuditEntry
from smartcommune.audit.services import PROVINCE_CHAIN, audit_record
from smartcommune.core import context
from smartcommune.directory.choices import UserKind
from smartcommune.directory.factories import UserFactory


@pytest.fixture
def request_context():
    def _set(**fields):
        token = context.set_current(context.RequestContext(**fields))
        tokens.append(token)

    tokens = []
    yield _set
    for token in reversed(tokens):
        context.reset(token)


@pytest.mark.django_db
def test_entries_of_a_unit_form_one_chain_linked_by_hashes(org):
    # given three changes recorded in Mường Đun
    entries = record_entries(3, actor=org.leader, org_unit=org.muong_dun)

    # then they are numbered 1, 2, 3 and each links to the one before it
    chain = org.muong_dun.audit_chain_key
    assert [(e.chain, e.seq) for e in entries] == [(chain, 1), (chain, 2), (chain, 3)]
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert all(hash_of(e) == e.hash for e in AuditEntry.objects.all())
    head = AuditChainHead.objects.get(key=chain)
    assert (head.last_seq, head.last_hash) == (3, entries[-1].hash)


@pytest.mark.django_db
def test_each_commune_has_its_own_chain_and_villages_share_their_communes(org):
    village, commune, other_commune, province_wide = (
        record_entries(org_unit=org.ban_a)[0],
        record_entries(org_unit=org.muong_dun)[0],
        record_entries(org_unit=org.phin_ho)[0],
        record_entries()[0],
    )
    assert village.chain == commune.chain == org.muong_dun.audit_chain_key
    assert (village.seq, commune.seq) == (1, 2)
    assert other_commune.chain == org.phin_ho.audit_chain_key != commune.chain
    assert (other_commune.seq, province_wide.chain, province_wide.seq) == (1, PROVINCE_CHAIN, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_record_refuses_to_run_outside_a_transaction(org):
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(actor=org.leader, action="test.done", org_unit=org.muong_dun)
    assert not AuditEntry.objects.exists()
    assert not AuditChainHead.objects.exists()


@pytest.mark.django_db
def test_request_id_and_ip_come_from_the_request_context(org, request_context):
    request_context(request_id="req-0123456789abcdef", ip="203.0.113.7")
    entry = record_entries(actor=org.leader, org_unit=org.muong_dun)[0]
    entry.refresh_from_db()
    assert (entry.request_id, entry.ip) == ("req-0123456789abcdef", "203.0.113.7")


@pytest.mark.django_db
def test_outside_a_request_the_context_is_empty_and_the_actor_is_system(org):
    entry = record_entries(org_unit=org.muong_dun)[0]
    assert (entry.request_id, entry.ip, entry.actor_id, entry.actor_label) == ("", None, None, "system")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),  # PostgreSQL's inet gives IPv6 back compressed, lower case
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("not-an-ip", None),  # a hostile X-Forwarded-For must not fail the business transaction
        ("", None),
    ],
)
def test_ip_is_stored_in_the_form_the_database_returns_so_the_hash_still_matches(
    org, request_context, given, stored
):
    request_context(request_id="req-ip-test", ip=given)
    entry = record_entries(org_unit=org.muong_dun)[0]
    entry.refresh_from_db()
    assert entry.ip == stored
    assert hash_of(entry) == entry.hash


@pytest.mark.django_db
def test_data_is_hashed_as_the_database_returns_it(org):
    data = {"tên": "Mường Đun", "amount": 1500000, "nested": {"b": [1, 2], "a": None}, "ratio": 0.1}
    entry = record_entries(org_unit=org.muong_dun, data=data)[0]
    entry.refresh_from_db()
    assert entry.data == data
    assert hash_of(entry) == entry.hash


@pytest.mark.django_db
def test_a_citizen_account_without_a_name_is_labelled_with_a_masked_number(org):
    # given a citizen account named only by the 12-digit personal identification number
    citizen = UserFactory(username="011090123456", full_name="", kind=UserKind.CITIZEN)

    # when it acts, and when it is the target of an action
    entry = record_entries(actor=citizen, target=citizen, org_unit=org.ban_a)[0]

    # then the labels keep only the last four digits
    assert entry.actor_label == entry.target_label == "********3456"
    assert "011090123456" not in str(AuditEntry.objects.values().get(pk=entry.pk))


class _Named:
    """Anything with a primary key and a very long name."""

    def __init__(self, pk, name):
        self.pk, self.name = pk, name

    def __str__(self):
        return self.name


@pytest.mark.django_db
def test_long_labels_are_cut_to_the_column_length(org):
    long_name = "Nguyễn Văn Thử " * 30
    entry = record_entries(
        actor=_Named(org.leader.pk, long_name), target=_Named(7, long_name), org_unit=org.muong_dun
    )[0]
    entry.refresh_from_db()
    assert (len(entry.actor_label), len(entry.target_label)) == (200, 300)
    assert hash_of(entry) == entry.hash


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_entry_and_no_gap(org):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=org.leader, action="test.done", org_unit=org.muong_dun)
        1 / 0  # noqa: B018 - the service fails after recording
    entry = record_entries(org_unit=org.muong_dun)[0]
    assert entry.seq == 1 and entry.prev_hash == GENESIS
