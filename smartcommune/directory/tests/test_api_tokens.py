"""The directory API: who am I, and personal API tokens (session with CSRF, or Bearer token)."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import UserFactory, make_official
from smartcommune.directory.models import ApiToken
from smartcommune.directory.services import api_token_create

pytestmark = pytest.mark.django_db

API = "/api/v1"


def session_client(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def create_token(client: Client, **payload) -> tuple[int, dict]:
    payload.setdefault("name", "Đồng bộ Cổng Dịch vụ công")
    response = client.post(f"{API}/tokens", data=payload, content_type="application/json")
    return response.status_code, response.json()


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def make_token(user, **kwargs) -> tuple[ApiToken, str]:
    from django.db import transaction

    with transaction.atomic():
        return api_token_create(actor=user, user=user, name=kwargs.pop("name", "test"), **kwargs)


# --- the whole journey ---------------------------------------------------------------------------


def test_token_created_in_the_browser_works_until_revoked(org):
    # given an official signed in with a browser session creates a token
    browser = session_client(org.officer)
    status, created = create_token(browser)
    assert status == 201
    secret = created["token"]
    assert secret.startswith(f"sc_{created['prefix']}_")
    assert created["name"] == "Đồng bộ Cổng Dịch vụ công" and created["revoked"] is False

    # when an integration presents it
    integration = Client()
    me = integration.get(f"{API}/me", **bearer(secret))

    # then it acts as that official
    assert me.status_code == 200
    assert me.json()["username"] == org.officer.username
    assert ApiToken.objects.get(pk=created["id"]).last_used_at is not None

    # and once revoked, it opens nothing
    revoked = browser.post(f"{API}/tokens/{created['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert_error(integration.get(f"{API}/me", **bearer(secret)), 401, "not_authenticated")


def test_token_creation_and_revocation_are_audited(org):
    browser = session_client(org.officer)
    response = browser.post(
        f"{API}/tokens",
        data={"name": "Báo cáo"},
        content_type="application/json",
        HTTP_X_REQUEST_ID="req-api-token-0001",
    )
    token_id = response.json()["id"]
    browser.post(f"{API}/tokens/{token_id}/revoke", HTTP_X_REQUEST_ID="req-api-token-0002")

    created = AuditEntry.objects.get(action="apitoken.created")
    revoked = AuditEntry.objects.get(action="apitoken.revoked")
    for entry, request_id in ((created, "req-api-token-0001"), (revoked, "req-api-token-0002")):
        assert (entry.actor_id, entry.target_type, entry.target_id) == (
            org.officer.pk,
            "directory.apitoken",
            str(token_id),
        )
        assert (entry.request_id, entry.ip) == (request_id, "127.0.0.1")
    secret = response.json()["token"]
    assert secret not in json.dumps(created.data) and created.data["prefix"] == response.json()["prefix"]


# --- CSRF ----------------------------------------------------------------------------------------


def test_session_post_without_csrf_token_is_refused(org):
    browser = session_client(org.officer, csrf=True)
    response = browser.post(f"{API}/tokens", data={"name": "x"}, content_type="application/json")
    assert_error(response, 403, "permission_denied")
    assert not ApiToken.objects.exists()


def test_session_post_with_csrf_token_is_accepted(org):
    browser = session_client(org.officer, csrf=True)
    secret = get_random_string(32)
    browser.cookies["csrftoken"] = secret
    response = browser.post(
        f"{API}/tokens", data={"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 201


def test_session_revoke_without_csrf_token_is_refused(org):
    token, _ = make_token(org.officer)
    browser = session_client(org.officer, csrf=True)
    assert_error(browser.post(f"{API}/tokens/{token.pk}/revoke"), 403, "permission_denied")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_bearer_token_needs_no_csrf_token(org):
    _, secret = make_token(org.officer)
    integration = Client(enforce_csrf_checks=True)
    response = integration.post(
        f"{API}/tokens", data={"name": "từ tích hợp"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 201


# --- refused tokens ------------------------------------------------------------------------------


def test_expired_token_is_refused(org):
    token, secret = make_token(org.officer, expires_at=timezone.now() + timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(Client().get(f"{API}/me", **bearer(secret)), 401, "not_authenticated")


def test_token_of_a_deactivated_user_is_refused(org):
    _, secret = make_token(org.officer)
    org.officer.is_active = False
    org.officer.save(update_fields=["is_active"])
    assert_error(Client().get(f"{API}/me", **bearer(secret)), 401, "not_authenticated")


def _headers_for(kind: str, secret: str) -> dict:
    prefix = secret.split("_")[1]
    utf8_as_latin1 = "sc_ệ_bí-mật".encode().decode("latin-1")  # how a WSGI server hands over UTF-8 bytes
    return {
        "none": {},
        "empty": {"HTTP_AUTHORIZATION": ""},
        "scheme only": {"HTTP_AUTHORIZATION": "Bearer"},
        "empty token": {"HTTP_AUTHORIZATION": "Bearer "},
        "other scheme": {"HTTP_AUTHORIZATION": f"Token {secret}"},
        "basic": {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNzd29yZA=="},
        "wrong prefix": bearer("xx" + secret[2:]),
        "unknown prefix": bearer(f"sc_000000000000_{secret.split('_', 2)[2]}"),
        "wrong secret": bearer(f"sc_{prefix}_{'A' * 43}"),
        "truncated": bearer(secret[:-1]),
        "extra part": bearer(secret + "_x"),
        "10 KB": bearer("sc_" + "a" * 10_240 + "_b"),
        "10 KB prefix": bearer(f"sc_{prefix}{'a' * 10_240}_b"),
        "non-ASCII": bearer("sc_ệ_bí-mật"),
        "UTF-8 bytes": bearer(utf8_as_latin1),
        "NUL": bearer(f"sc_{prefix}\x00_x"),
    }[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "none",
        "empty",
        "scheme only",
        "empty token",
        "other scheme",
        "basic",
        "wrong prefix",
        "unknown prefix",
        "wrong secret",
        "truncated",
        "extra part",
        "10 KB",
        "10 KB prefix",
        "non-ASCII",
        "UTF-8 bytes",
        "NUL",
    ],
)
def test_malformed_or_wrong_tokens_get_401_in_the_error_format(org, kind):
    token, secret = make_token(org.officer)
    response = Client().get(f"{API}/me", **_headers_for(kind, secret))
    body = assert_error(response, 401, "not_authenticated")
    assert set(body) == {"code", "detail"}
    token.refresh_from_db()
    assert token.last_used_at is None


# --- secrets at rest -----------------------------------------------------------------------------


def test_the_database_holds_only_the_hash_of_a_token(org):
    # given a token created over the API and used once
    _, created = create_token(session_client(org.officer))
    secret = created["token"]
    assert Client().get(f"{API}/me", **bearer(secret)).status_code == 200

    # then its SHA-256 is stored ...
    assert ApiToken.objects.get(pk=created["id"]).token_hash == hashlib.sha256(secret.encode()).hexdigest()

    # ... and the secret part appears in no row of any table
    secret_part = secret.split("_", 2)[2]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            dump = repr(cursor.fetchall())
            assert secret_part not in dump, table


def test_my_tokens_never_show_the_secret_or_its_hash(org):
    token, secret = make_token(org.officer)
    body = session_client(org.officer).get(f"{API}/tokens").json()
    assert body == [
        {
            "id": token.pk,
            "name": "test",
            "prefix": token.prefix,
            "created_at": body[0]["created_at"],
            "expires_at": None,
            "last_used_at": None,
            "revoked": False,
        }
    ]
    assert secret.split("_", 2)[2] not in json.dumps(body) and token.token_hash not in json.dumps(body)


# --- whose tokens ------------------------------------------------------------------------------


def test_my_tokens_lists_only_mine(org):
    mine, _ = make_token(org.officer, name="của tôi")
    make_token(org.other_officer, name="của người khác")
    body = session_client(org.officer).get(f"{API}/tokens").json()
    assert [t["id"] for t in body] == [mine.pk]


def test_token_list_query_count_does_not_grow(org, django_assert_max_num_queries):
    client = session_client(org.officer)
    make_token(org.officer)
    with django_assert_max_num_queries(8) as small:
        assert client.get(f"{API}/tokens").status_code == 200
    for i in range(20):
        make_token(org.officer, name=f"t{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(f"{API}/tokens").json()) == 21


@pytest.mark.parametrize(
    ("revoker", "owner", "allowed"),
    [
        ("officer", "officer", True),  # my own
        ("specialist", "officer", False),  # a colleague's
        ("leader", "officer", False),  # people.view is not enough
        ("other_officer", "officer", False),  # another commune
        ("province_admin", "officer", True),  # people.manage over the whole province
        ("commune_people_manager", "officer", True),  # people.manage on Mường Đun
        ("commune_people_manager", "other_officer", False),  # ... but not on Phìn Hồ
        ("province_admin", "citizen", False),  # only officials' tokens
        ("citizen", "officer", False),
    ],
)
def test_who_may_revoke_a_token(org, revoker, owner, allowed):
    org.commune_people_manager = make_official(org.muong_dun, "province_admin", username="nhansu_muongdun")
    token, _ = make_token(getattr(org, owner))
    _, revoker_secret = make_token(getattr(org, revoker))
    entries_before = AuditEntry.objects.count()

    response = Client().post(f"{API}/tokens/{token.pk}/revoke", **bearer(revoker_secret))

    token.refresh_from_db()
    if allowed:
        assert response.status_code == 200 and response.json()["revoked"] is True
        assert token.revoked_at is not None
        assert AuditEntry.objects.get(action="apitoken.revoked").actor == getattr(org, revoker)
    else:
        assert_error(response, 404, "not_found")
        assert token.revoked_at is None
        assert AuditEntry.objects.count() == entries_before


def test_revoking_twice_changes_nothing(org):
    token, secret = make_token(org.officer)
    client = Client()
    first = client.post(f"{API}/tokens/{token.pk}/revoke", **bearer(secret))
    assert first.status_code == 200
    # the token revoked itself: a second call needs another credential
    second = session_client(org.officer).post(f"{API}/tokens/{token.pk}/revoke")
    assert second.status_code == 200 and second.json()["revoked"] is True
    assert AuditEntry.objects.filter(action="apitoken.revoked").count() == 1


def test_unknown_token_is_not_found(org):
    assert_error(session_client(org.officer).post(f"{API}/tokens/999999/revoke"), 404, "not_found")


# --- input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "x" * 101},
        {"name": "   "},
        {"name": "ok", "expires_at": "2020-01-01T00:00:00Z"},
        {"name": "ok", "expires_at": "not a date"},
        {"name": "ok", "expires_at": "0001-01-01T00:00:00"},
        {"name": "ok", "expires_at": "9999-12-31T23:59:59-05:00"},
        {},
        {"name": ["a"]},
    ],
)
def test_invalid_token_requests_are_refused_in_the_error_format(org, payload):
    response = session_client(org.officer).post(
        f"{API}/tokens", data=payload, content_type="application/json"
    )
    assert_error(response, 400, "invalid_input")
    assert not ApiToken.objects.exists()


def test_unparsable_body_is_refused_in_the_error_format(org):
    response = session_client(org.officer).post(
        f"{API}/tokens", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_input", "bad_request"}
    assert not ApiToken.objects.exists()


def test_expiry_without_offset_is_local_time(org):
    status, created = create_token(session_client(org.officer), expires_at="2099-01-01T07:00:00")
    assert status == 201
    assert created["expires_at"] == "2099-01-01T00:00:00Z"


# --- who am I ------------------------------------------------------------------------------------


def test_me_lists_roles_with_their_units(org):
    _, secret = make_token(org.leader)
    body = Client().get(f"{API}/me", HTTP_ACCEPT_LANGUAGE="en", **bearer(secret)).json()
    assert body == {
        "username": "lanhdao",
        "full_name": org.leader.full_name,
        "kind": "official",
        "roles": [
            {
                "code": "commune_leader",
                "name": "Commune leader",
                "unit_code": "000.01.00.H18",
                "unit_name": "Xã Mường Đun",
                "include_subtree": True,
            }
        ],
    }


def test_me_answers_utf8_without_escapes(org):
    user = UserFactory(full_name="Nguyễn Thị Hồng Thắm")
    response = session_client(user).get(f"{API}/me", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "Nguyễn Thị Hồng Thắm".encode() in response.content
    assert b"\\u" not in response.content


def test_me_needs_a_credential(db):
    assert_error(Client().get(f"{API}/me"), 401, "not_authenticated")
    assert_error(Client().get(f"{API}/tokens"), 401, "not_authenticated")


def test_session_of_an_official_who_skipped_two_factor_is_refused(org):
    # the commune leader may approve dossiers: their session counts only after the second factor
    response = session_client(org.leader).get(f"{API}/me")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_citizen_sees_themself(org):
    body = session_client(org.citizen).get(f"{API}/me").json()
    assert (body["kind"], body["roles"]) == ("citizen", [])


# --- the API as a whole --------------------------------------------------------------------------


def test_openapi_schema_and_docs_load_anonymously(db):
    schema = Client().get(f"{API}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {f"{API}/me", f"{API}/tokens", f"{API}/tokens/{{token_id}}/revoke"} <= set(paths)
    assert Client().get(f"{API}/docs").status_code == 200


@pytest.mark.parametrize("path", ["/nope", "/tokens/abc/revoke", "/tokens/1/revoke/extra"])
def test_unknown_api_path_answers_json(db, path):
    body = assert_error(Client().get(f"{API}{path}"), 404, "not_found")
    assert set(body) == {"code", "detail"}


def test_a_secret_containing_underscores_and_hyphens_authenticates(org, monkeypatch):
    # token_urlsafe() draws from A-Z a-z 0-9 - _: about half of all secrets contain an underscore
    from smartcommune.directory import services

    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: "abc_def-ghi_" + "x" * 31)
    _, secret = make_token(org.officer)
    assert secret.count("_") > 2
    assert Client().get(f"{API}/me", **bearer(secret)).status_code == 200
