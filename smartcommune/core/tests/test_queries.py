"""A prepared read gives what the ORM gives (values converted as the ORM converts them, on either
database), and rows set as prefetched answer without a query."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from smartcommune.core.queries import PreparedInsert, PreparedRead, set_prefetched
from smartcommune.directory.models import Role, RoleGrant

pytestmark = pytest.mark.django_db

GRANTS = PreparedRead(lambda user_id: RoleGrant.objects.filter(user_id=user_id).order_by("-granted_at", "pk"))
# A values read with a join and constant parameters beside the key.
ROLES = PreparedRead(
    lambda user_id: (
        RoleGrant.objects.filter(user_id=user_id, role__code__in=["clerk", "commune_leader"])
        .order_by("role__code")
        .values_list("role__code", "org_unit__path", "granted_at")[:5]
    )
)


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


def test_values_with_joins_and_constant_parameters_come_as_the_orms_tuples(org):
    leader = org.leader
    RoleGrant.objects.create(user=leader, role=Role.objects.get(code="clerk"), org_unit=org.ban_a)
    expected = list(
        RoleGrant.objects.filter(user_id=leader.pk, role__code__in=["clerk", "commune_leader"])
        .order_by("role__code")
        .values_list("role__code", "org_unit__path", "granted_at")
    )
    assert ROLES.rows(leader.pk) == expected and [r[0] for r in expected] == ["clerk", "commune_leader"]
    assert ROLES.rows(org.officer.pk) == []
    with pytest.raises(ImproperlyConfigured):
        ROLES(leader.pk)  # tuples, not model objects


def test_select_related_rows_come_with_their_related_objects_as_the_orm_builds_them(org):
    leader = org.leader
    RoleGrant.objects.create(user=leader, role=Role.objects.get(code="clerk"), org_unit=org.ban_a)
    read = PreparedRead(
        lambda key: RoleGrant.objects.select_related("role", "org_unit").filter(user_id=key).order_by("pk")
    )
    expected = list(
        RoleGrant.objects.select_related("role", "org_unit").filter(user_id=leader.pk).order_by("pk")
    )

    with CaptureQueriesContext(connection) as queries:
        got = read(leader.pk)
        assert [(g.role.code, g.org_unit.path) for g in got] == [
            (e.role.code, e.org_unit.path) for e in expected
        ]
    assert len(queries) == 1 and len(got) == 2
    assert [_fields(g) for g in got] == [_fields(e) for e in expected]
    assert [_fields(g.org_unit) for g in got] == [_fields(e.org_unit) for e in expected]
    assert got[0].org_unit._state.adding is False
    assert read(-1) == []


def test_model_objects_not_from_annotated_reads(org):
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(
            lambda key: RoleGrant.objects.annotate(unit_path=F("org_unit__path")).filter(user_id=key)
        )(org.leader.pk)


def test_the_key_must_be_in_the_query_once(org):
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(lambda key: RoleGrant.objects.filter(user_id=key, granted_by_id=key))(org.leader.pk)


def test_a_prepared_insert_writes_the_row_save_writes_in_one_query(org):
    insert = PreparedInsert(RoleGrant)
    clerk = Role.objects.get(code="clerk")
    with CaptureQueriesContext(connection) as queries:
        insert(RoleGrant(user=org.leader, role=clerk, org_unit=org.ban_a, include_subtree=False))
        insert(RoleGrant(user=org.leader, role=clerk, org_unit=org.ban_b))
    assert len(queries) == 2
    saved = RoleGrant(user=org.officer, role=clerk, org_unit=org.ban_a, include_subtree=False)
    saved.save()

    inserted = list(RoleGrant.objects.filter(user=org.leader, role=clerk).order_by("pk"))
    assert [(g.org_unit_id, g.include_subtree) for g in inserted] == [
        (org.ban_a.pk, False),
        (org.ban_b.pk, True),
    ]
    expected = _fields(saved) | {"id": None, "user_id": None}
    assert _fields(inserted[0]) | {"id": None, "user_id": None, "granted_at": saved.granted_at} == expected
    assert inserted[0].granted_at is not None  # defaults filled as the ORM fills them
