"""A prepared read gives what the ORM gives (values converted as the ORM converts them, on either
database), and rows set as prefetched answer without a query."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from smartcommune.core.queries import PreparedRead, set_prefetched
from smartcommune.directory.models import Role, RoleGrant

pytestmark = pytest.mark.django_db

GRANTS = PreparedRead(RoleGrant.objects.order_by("-granted_at", "pk"), "user_id")


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_prepared_read_returns_the_orms_rows_with_converted_values(org):
    leader = org.leader
    RoleGrant.objects.create(
        user=leader, role=Role.objects.get(code="clerk"), org_unit=org.ban_a, include_subtree=False
    )
    expected = list(RoleGrant.objects.filter(user_id=leader.pk).order_by("-granted_at", "pk"))

    with CaptureQueriesContext(connection) as queries:
        got = GRANTS(leader.pk)
        again = GRANTS(leader.pk)

    assert len(queries) == 2 and len(expected) == 2
    assert [_fields(g) for g in got] == [_fields(e) for e in expected] == [_fields(g) for g in again]
    assert got[0].granted_at.tzinfo is not None  # aware, as the ORM gives it on SQLite too
    assert [g.include_subtree for g in got] == [False, True]  # the newest first, as ordered
    assert got[0]._state.adding is False and got[0]._state.db == "default"
    assert GRANTS(-1) == []


def test_rows_set_as_prefetched_answer_without_a_query_and_know_their_parent(org):
    leader = org.leader
    set_prefetched(leader, "grants", GRANTS(leader.pk))
    with CaptureQueriesContext(connection) as queries:
        grants = list(leader.grants.all())
        assert grants[0].user is leader
    assert len(queries) == 0 and len(grants) == 1


@pytest.mark.parametrize(
    "queryset",
    [
        RoleGrant.objects.select_related("role"),
        RoleGrant.objects.annotate(unit_path=F("org_unit__path")),
        RoleGrant.objects.filter(granted_by_id=1),  # a second parameter
    ],
)
def test_only_plain_reads_by_one_key_are_prepared(org, queryset):
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(queryset, "user_id")(org.leader.pk)
