import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import make_official
from smartcommune.directory.models import ApiToken, OrgUnit, Role, RoleGrant, User
from smartcommune.directory.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin(org):
    org.province_admin.is_staff = True
    org.province_admin.save()
    return org.province_admin


@pytest.fixture
def commune_admin(org):
    user = make_official(org.muong_dun, "province_admin", username="quantri_xa")
    user.is_staff = True
    user.save()
    return user


def test_province_admin_manages_every_unit(client, org, province_admin):
    client.force_login(province_admin)
    response = client.get("/admin/directory/orgunit/")
    assert response.status_code == 200
    assert {"Xã Mường Đun", "Xã Phìn Hồ"} <= {u.name for u in response.context["cl"].result_list}


def test_admin_scoped_to_granted_subtree(client, org, commune_admin):
    client.force_login(commune_admin)
    listing = client.get("/admin/directory/orgunit/")
    assert {u.name for u in listing.context["cl"].result_list} == {"Xã Mường Đun", "Bản Thử A", "Bản Thử B"}
    outside = client.get(f"/admin/directory/orgunit/{org.phin_ho.pk}/change/")
    assert outside.status_code == 302  # Django admin: "does not exist", back to the index
    before = org.phin_ho.name
    client.post(f"/admin/directory/orgunit/{org.phin_ho.pk}/change/", {"name": "Hacked"})
    org.phin_ho.refresh_from_db()
    assert org.phin_ho.name == before


def test_admin_creates_unit_through_the_service_with_audit(client, org, province_admin):
    client.force_login(province_admin)
    response = client.post(
        "/admin/directory/orgunit/add/",
        {
            "parent": org.phin_ho.pk,
            "code": "000.02.09.H18",
            "name": "Bản Mới",
            "kind": "hamlet",
            "address": "",
            "phone": "",
            "email": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    unit = OrgUnit.objects.get(code="000.02.09.H18")
    assert unit.path.startswith(org.phin_ho.path) and unit.depth == org.phin_ho.depth + 1
    assert AuditEntry.objects.filter(action="orgunit.created", target_id=str(unit.pk)).exists()


def test_admin_refuses_a_malformed_unit_code_and_saves_nothing(client, org, province_admin):
    client.force_login(province_admin)
    count = OrgUnit.objects.count()
    response = client.post(
        "/admin/directory/orgunit/add/",
        {
            "parent": org.phin_ho.pk,
            "code": "bad code; drop",
            "name": "X",
            "kind": "hamlet",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert OrgUnit.objects.count() == count


def test_commune_admin_cannot_pick_units_outside_scope(client, org, commune_admin):
    client.force_login(commune_admin)
    response = client.get("/admin/directory/orgunit/add/")
    choices = {str(u) for u in response.context["adminform"].form.fields["parent"].queryset}
    assert "Xã Phìn Hồ" not in choices and "Xã Mường Đun" in choices


def test_grants_are_audited(client, org, province_admin):
    client.force_login(province_admin)
    role = Role.objects.get(code="clerk")
    response = client.post(
        "/admin/directory/rolegrant/add/",
        {"user": org.no_role.pk, "role": role.pk, "org_unit": org.muong_dun.pk, "include_subtree": "on"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=org.no_role, role=role)
    assert grant.granted_by == province_admin
    assert AuditEntry.objects.filter(action="rolegrant.created", target_id=str(grant.pk)).exists()


def test_officials_without_staff_flag_cannot_open_admin(client, org):
    client.force_login(org.officer)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_system_roles_cannot_be_deleted(client, org):
    admin_user = User.objects.create_superuser("root", "root@example.vn", "Root-pass-2026-xyz")
    TOTPDevice.objects.create(user=admin_user, confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=admin_user).persistent_id
    session.save()
    role = Role.objects.get(code="clerk")
    client.post(f"/admin/directory/role/{role.pk}/delete/", {"post": "yes"})
    assert Role.objects.filter(pk=role.pk).exists()


def test_administrator_revokes_an_officials_token_from_the_admin(client, org, province_admin):
    token, _secret = api_token_create(actor=org.officer, user=org.officer, name="đồng bộ")
    client.force_login(province_admin)
    response = client.post(
        "/admin/directory/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="apitoken.revoked", actor=province_admin).exists()


def test_province_admin_sees_and_edits_an_officials_memberships(client, org, province_admin):
    client.force_login(province_admin)
    page = client.get(f"/admin/directory/user/{org.officer.pk}/change/")
    assert page.status_code == 200
    assert "official" in {f.formset.prefix for f in page.context["inline_admin_formsets"]}
    official_page = client.get(f"/admin/directory/official/{org.officer.pk}/change/")
    assert "memberships" in {f.formset.prefix for f in official_page.context["inline_admin_formsets"]}
