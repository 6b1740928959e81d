import pytest

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import CitizenFactory, make_official
from smartcommune.directory.models import ApiToken

pytestmark = pytest.mark.django_db


def test_citizen_search_is_accent_insensitive_and_scoped(client, org):
    CitizenFactory(full_name="Lò Văn Đức", home_unit=org.ban_a)
    CitizenFactory(full_name="Lò Văn Đức", home_unit=org.ban_c)  # Phìn Hồ: out of scope
    client.force_login(org.officer)
    response = client.get("/citizens/", {"q": "lo van duc"})
    assert response.status_code == 200
    assert [c.full_name for c in response.context["page"]] == ["Lò Văn Đức"]
    assert response.context["page"][0].home_unit == org.ban_a


def test_citizen_list_masks_identification_numbers(client, org):
    client.force_login(org.officer)
    body = client.get("/citizens/").content.decode()
    pid = org.citizen.citizen.personal_id
    assert pid not in body
    assert pid[-4:] in body


def test_viewing_a_citizen_record_is_recorded(client, org):
    citizen = org.citizen.citizen
    client.force_login(org.officer)
    response = client.get(f"/citizens/{citizen.public_id}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="citizen.viewed")
    assert entry.actor == org.officer and entry.target_id == str(citizen.pk)


def test_out_of_scope_citizen_is_not_found(client, org):
    client.force_login(org.other_officer)
    assert client.get(f"/citizens/{org.citizen.citizen.public_id}/").status_code == 404
    assert not AuditEntry.objects.filter(action="citizen.viewed").exists()


@pytest.mark.parametrize("q", ["' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "０１２"])
def test_hostile_search_input_is_harmless(client, org, q):
    client.force_login(org.officer)
    response = client.get("/citizens/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_citizen_list_query_count_does_not_grow_with_rows(client, org, django_assert_max_num_queries):
    client.force_login(org.officer)
    CitizenFactory.create_batch(3, home_unit=org.ban_a)
    with django_assert_max_num_queries(12) as small:
        client.get("/citizens/")
    CitizenFactory.create_batch(40, home_unit=org.ban_b)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/citizens/")


def test_unit_pages_are_scoped(client, org):
    client.force_login(org.officer)
    listing = client.get("/units/")
    names = {u.name for u in listing.context["page"]}
    assert names == {"Xã Mường Đun", "Bản Thử A", "Bản Thử B"}
    assert client.get(f"/units/{org.phin_ho.pk}/").status_code == 404
    assert client.get(f"/units/{org.muong_dun.pk}/").status_code == 200


def test_unit_search_finds_without_accents(client, org):
    client.force_login(org.province_admin)
    response = client.get("/units/", {"q": "phin ho"})
    assert [u.name for u in response.context["page"]] == ["Xã Phìn Hồ"]


def test_unit_list_query_count_is_bounded(client, org, django_assert_max_num_queries):
    client.force_login(org.province_admin)
    with django_assert_max_num_queries(12) as small:
        client.get("/units/")
    for i in range(30):
        make_official(org.phin_ho, username=f"extra{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/units/")


def test_unit_detail_lists_officials_with_roles_in_bounded_queries(
    client, org, django_assert_max_num_queries
):
    client.force_login(org.province_admin)
    with django_assert_max_num_queries(14) as small:
        client.get(f"/units/{org.muong_dun.pk}/")
    for i in range(20):
        make_official(org.muong_dun, "specialist", username=f"cv{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/units/{org.muong_dun.pk}/")
    assert len(response.context["members"]) == 25


def test_profile_creates_shows_once_and_revokes_tokens(client, org):
    client.force_login(org.officer)
    created = client.post("/accounts/tokens/new/", {"name": "Đồng bộ DVCQG"})
    assert created.status_code == 200
    secret = created.context["new_token"]
    assert secret.startswith("sc_")
    token = ApiToken.objects.get(user=org.officer)
    assert secret not in {token.token_hash, token.prefix}
    assert secret not in client.get("/accounts/profile/").content.decode()

    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_of_others_cannot_be_revoked(client, org):
    client.force_login(org.officer)
    client.post("/accounts/tokens/new/", {"name": "mine"})
    token = ApiToken.objects.get(user=org.officer)
    client.force_login(org.other_officer)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_form_rejects_bad_input_and_keeps_existing_tokens(client, org):
    client.force_login(org.officer)
    client.post("/accounts/tokens/new/", {"name": "giữ lại"})
    for bad in (
        {"name": ""},
        {"name": "x" * 101},
        {"name": "ok", "expires_at": "2000-01-01"},
        {"name": "ok", "expires_at": "not-a-date"},
    ):
        assert client.post("/accounts/tokens/new/", bad).status_code == 400
    assert list(ApiToken.objects.filter(user=org.officer).values_list("name", flat=True)) == ["giữ lại"]


def test_get_on_token_actions_is_not_allowed(client, org):
    client.force_login(org.officer)
    assert client.get("/accounts/tokens/new/").status_code == 405
