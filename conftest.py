"""Fixtures shared by every app's tests: a small province with two communes and their villages,
and officials holding each role. Built per test (fast: a dozen rows)."""

from types import SimpleNamespace

import pytest

from smartcommune.core.i18n import compile_catalogs
from smartcommune.directory.choices import OrgUnitKind
from smartcommune.directory.factories import (
    force_login_verified,
    make_citizen_user,
    make_official,
    make_province,
    make_unit,
)


def pytest_sessionstart(session):
    # Tests must see the current translations even when run without `make`.
    compile_catalogs()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: ids are reused after a rollback."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def org(db):
    """Điện Biên with Mường Đun (2 villages) and Phìn Hồ (1 village), plus officials of each role."""
    province = make_province(code="000.00.00.H18")
    muong_dun = make_unit(province, "Xã Mường Đun", OrgUnitKind.COMMUNE, code="000.01.00.H18")
    phin_ho = make_unit(province, "Xã Phìn Hồ", OrgUnitKind.COMMUNE, code="000.02.00.H18")
    ban_a = make_unit(muong_dun, "Bản Thử A", OrgUnitKind.HAMLET, code="000.01.01.H18")
    ban_b = make_unit(muong_dun, "Bản Thử B", OrgUnitKind.HAMLET, code="000.01.02.H18")
    ban_c = make_unit(phin_ho, "Bản Thử C", OrgUnitKind.HAMLET, code="000.02.01.H18")
    return SimpleNamespace(
        province=province,
        muong_dun=muong_dun,
        phin_ho=phin_ho,
        ban_a=ban_a,
        ban_b=ban_b,
        ban_c=ban_c,
        officer=make_official(muong_dun, "one_stop_officer", username="motcua"),
        specialist=make_official(muong_dun, "specialist", username="chuyenvien"),
        leader=make_official(muong_dun, "commune_leader", username="lanhdao"),
        clerk=make_official(muong_dun, "clerk", username="vanthu"),
        other_officer=make_official(phin_ho, "one_stop_officer", username="motcua_phinho"),
        other_leader=make_official(phin_ho, "commune_leader", username="lanhdao_phinho"),
        team_member=make_official(ban_a, "community_member", username="tocnscd"),
        province_admin=make_official(province, "province_admin", username="quantri_tinh"),
        no_role=make_official(muong_dun, username="khongquyen"),
        citizen=make_citizen_user(ban_a),
        other_citizen=make_citizen_user(ban_c),
    )


@pytest.fixture
def sign_in(client):
    """Sign a user in as a browser would, second factor completed; returns the client."""

    def _sign_in(user):
        force_login_verified(client, user)
        return client

    return _sign_in
