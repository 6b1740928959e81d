import pytest

from smartcommune.catalog.policies import can_manage_catalog, can_manage_process, can_view_catalog
from smartcommune.directory.factories import make_official

pytestmark = pytest.mark.django_db


def test_province_administrators_manage_the_catalog_and_every_process(org):
    assert can_manage_catalog(org.province_admin)
    assert can_manage_process(org.province_admin, None)
    assert can_manage_process(org.province_admin, org.phin_ho)


def test_a_grant_on_a_commune_covers_only_that_communes_processes(org):
    user = make_official(org.muong_dun, "province_admin", username="quantri_xa")
    assert not can_manage_catalog(user)
    assert not can_manage_process(user, None)
    assert can_manage_process(user, org.muong_dun)
    assert not can_manage_process(user, org.phin_ho)


def test_officials_read_the_catalog_citizens_and_others_do_not_manage_it(org):
    assert can_view_catalog(org.no_role) and can_view_catalog(org.other_officer)
    assert not can_view_catalog(org.citizen)
    for user in (org.officer, org.leader, org.no_role, org.citizen):
        assert not can_manage_catalog(user)
