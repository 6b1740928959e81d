import pytest

from smartcommune.directory import permissions as perms
from smartcommune.directory.factories import make_official
from smartcommune.directory.policies import (
    citizen_qs_for,
    has_perm,
    holds_role,
    official_qs_for,
    orgunit_qs_for,
    requires_two_factor,
)

pytestmark = pytest.mark.django_db


def test_commune_officer_sees_own_commune_and_its_villages_only(org):
    visible = set(orgunit_qs_for(user=org.officer))
    assert visible == {org.muong_dun, org.ban_a, org.ban_b}


def test_grant_without_subtree_covers_the_unit_alone(org):
    user = make_official(org.muong_dun, "one_stop_officer", include_subtree=False)
    assert set(orgunit_qs_for(user=user)) == {org.muong_dun}
    assert has_perm(user, perms.DOSSIER_RECEIVE, org.muong_dun)
    assert not has_perm(user, perms.DOSSIER_RECEIVE, org.ban_a)


def test_province_admin_sees_the_whole_province(org):
    units = set(orgunit_qs_for(user=org.province_admin))
    assert {org.province, org.muong_dun, org.phin_ho, org.ban_c} <= units


def test_permissions_follow_roles(org):
    assert has_perm(org.officer, perms.DOSSIER_RECEIVE, org.ban_a)
    assert not has_perm(org.officer, perms.DOSSIER_APPROVE)
    assert has_perm(org.leader, perms.DOSSIER_APPROVE, org.muong_dun)
    assert not has_perm(org.leader, perms.DOSSIER_APPROVE, org.phin_ho)
    assert not has_perm(org.no_role, perms.UNIT_VIEW)


def test_citizens_visible_to_officials_of_their_commune_and_to_themselves(org):
    mine = org.citizen.citizen
    theirs = org.other_citizen.citizen
    assert list(citizen_qs_for(user=org.officer)) == [mine]
    assert list(citizen_qs_for(user=org.other_officer)) == [theirs]
    assert list(citizen_qs_for(user=org.citizen)) == [mine]
    assert list(citizen_qs_for(user=org.no_role)) == []


def test_officials_visible_within_scope(org):
    seen = set(official_qs_for(user=org.leader))
    assert org.officer in seen and org.team_member in seen
    assert org.other_officer not in seen


def test_two_factor_required_only_for_approve_or_sign_rights(org):
    assert requires_two_factor(org.leader)
    assert not requires_two_factor(org.officer)
    assert not requires_two_factor(org.citizen)


def test_inactive_unit_grants_give_nothing(org):
    org.phin_ho.is_active = False
    org.phin_ho.save()
    user = make_official(org.phin_ho, "one_stop_officer")
    assert list(orgunit_qs_for(user=user)) == []


def test_grant_lookup_is_one_query_per_request(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        for unit in (org.muong_dun, org.ban_a, org.phin_ho):
            has_perm(org.officer, perms.UNIT_VIEW, unit)


def test_roles_held_follow_the_grants_and_their_subtree(org):
    assert holds_role(org.officer, "one_stop_officer", org.muong_dun)
    assert holds_role(org.officer, "one_stop_officer", org.ban_a)  # a village below the commune
    assert not holds_role(org.officer, "commune_leader", org.muong_dun)
    assert not holds_role(org.officer, "one_stop_officer", org.phin_ho)
    alone = make_official(org.muong_dun, "one_stop_officer", include_subtree=False)
    assert holds_role(alone, "one_stop_officer", org.muong_dun)
    assert not holds_role(alone, "one_stop_officer", org.ban_a)
