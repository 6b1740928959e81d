"""Who may open what: every view and API endpoint, for every kind of visitor.

Personas: anonymous; a citizen of Mường Đun (who owns the sample citizen record); a citizen of Phìn
Hồ; an officer of Phìn Hồ (another commune); an official of Mường Đun without the needed right; and
the official who holds it. Objects used belong to Mường Đun. Out of scope answers 404, never 403.
The completeness test fails when a URL is added without a row here.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import force_login_verified
from smartcommune.directory.services import api_token_create, orgunit_update
from smartcommune.workdays.models import CalendarOverride
from smartcommune.workdays.services import calendar_get_or_create_for_province

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "citizen", "other_citizen", "other_officer", "no_role", "allowed")
LOGIN = 302
# Pages of an official's scope: anonymous to sign-in, everyone without the right to 404.
SCOPED = {
    "anonymous": LOGIN,
    "citizen": 404,
    "other_citizen": 404,
    "other_officer": 404,
    "no_role": 404,
    "allowed": 200,
}
SIGNED_IN = {p: 200 for p in PERSONAS} | {"anonymous": LOGIN}
PUBLIC = {p: 200 for p in PERSONAS}
API_SIGNED_IN = {p: 200 for p in PERSONAS} | {"anonymous": 401}


def _officer_token(org):
    token, _secret = api_token_create(actor=org.officer, user=org.officer, name="matrix")
    return token


def _audit_entry(org):
    orgunit_update(actor=org.leader, unit=org.muong_dun, address="Trung tâm xã Mường Đun")
    return AuditEntry.objects.filter(org_unit=org.muong_dun, action="orgunit.updated").get()


def _override(org):
    calendar = calendar_get_or_create_for_province(actor=None, province=org.province)
    return CalendarOverride.objects.create(
        calendar=calendar, date=date(2026, 12, 31), kind="extra_off", name="Nghỉ thử", legal_ref="QĐ thử"
    )


# name: (method, path builder, who may do it, expected statuses)
MATRIX = {
    "home": ("get", lambda o: "/", "officer", SIGNED_IN),
    "healthz": ("get", lambda o: "/healthz", "officer", PUBLIC),
    "set_language": ("post", lambda o: "/i18n/setlang/", "officer", {p: 302 for p in PERSONAS}),
    "directory:login": (
        "get",
        lambda o: "/accounts/login/",
        "officer",
        {p: 302 for p in PERSONAS} | {"anonymous": 200},
    ),
    "directory:logout": ("post", lambda o: "/accounts/logout/", "officer", {p: 302 for p in PERSONAS}),
    "directory:password_reset": ("get", lambda o: "/accounts/password-reset/", "officer", PUBLIC),
    "directory:password_reset_done": ("get", lambda o: "/accounts/password-reset/sent/", "officer", PUBLIC),
    "directory:password_reset_confirm": ("get", lambda o: "/accounts/reset/MQ/bad-token/", "officer", PUBLIC),
    "directory:password_reset_complete": ("get", lambda o: "/accounts/reset/done/", "officer", PUBLIC),
    "directory:two_factor_setup": ("get", lambda o: "/accounts/two-factor/setup/", "officer", SIGNED_IN),
    "directory:two_factor_verify": ("get", lambda o: "/accounts/two-factor/verify/", "officer", SIGNED_IN),
    "directory:profile": ("get", lambda o: "/accounts/profile/", "officer", SIGNED_IN),
    "directory:token_create": (
        "post",
        lambda o: "/accounts/tokens/new/",
        "officer",
        SIGNED_IN | {"citizen": 404, "other_citizen": 404},
    ),
    "directory:token_revoke": (
        "post",
        lambda o: f"/accounts/tokens/{_officer_token(o).pk}/revoke/",
        "officer",
        SCOPED | {"allowed": 302},
    ),
    "directory:unit_list": ("get", lambda o: "/units/", "officer", SCOPED | {"other_officer": 200}),
    "directory:unit_detail": ("get", lambda o: f"/units/{o.muong_dun.pk}/", "officer", SCOPED),
    "directory:citizen_list": ("get", lambda o: "/citizens/", "officer", SCOPED | {"other_officer": 200}),
    "directory:citizen_detail": (
        "get",
        lambda o: f"/citizens/{o.citizen.citizen.public_id}/",
        "officer",
        SCOPED | {"citizen": 200},
    ),
    "audit:list": ("get", lambda o: "/audit/", "leader", SCOPED),
    "audit:detail": ("get", lambda o: f"/audit/{_audit_entry(o).pk}/", "leader", SCOPED),
    "audit:export": ("get", lambda o: "/audit/export.xlsx", "leader", SCOPED),
    "workdays:calendar": ("get", lambda o: "/calendar/", "officer", {p: 302 for p in PERSONAS}),
    "workdays:year": ("get", lambda o: "/calendar/2026/", "officer", SIGNED_IN),
    "workdays:override_remove": (
        "post",
        lambda o: f"/calendar/2026/overrides/{_override(o).pk}/remove/",
        "province_admin",
        SCOPED | {"allowed": 302},
    ),
    "api:openapi-json": ("get", lambda o: "/api/v1/openapi.json", "officer", PUBLIC),
    "api:openapi-view": ("get", lambda o: "/api/v1/docs", "officer", PUBLIC),
    "api:me": ("get", lambda o: "/api/v1/me", "officer", API_SIGNED_IN),
    "api:token_list": ("get", lambda o: "/api/v1/tokens", "officer", API_SIGNED_IN),
    "api:token_create": (
        "post",
        lambda o: "/api/v1/tokens",
        "officer",
        API_SIGNED_IN | {p: 201 for p in PERSONAS if p != "anonymous"},
    ),
    "api:token_revoke": (
        "post",
        lambda o: f"/api/v1/tokens/{_officer_token(o).pk}/revoke",
        "officer",
        {
            "anonymous": 401,
            "citizen": 404,
            "other_citizen": 404,
            "other_officer": 404,
            "no_role": 404,
            "allowed": 200,
        },
    ),
    "api:workdays_due": (
        "get",
        lambda o: "/api/v1/workdays/due?start=2026-08-13T10:20:00&amount=3&unit=working_days",
        "officer",
        PUBLIC,
    ),
}
BODIES = {
    "set_language": {"language": "en", "next": "/"},
    "directory:token_create": {"name": "thử"},
    "api:token_create": '{"name": "thử"}',
}
# URL names that are not views of their own (the API's root has no handler).
NOT_VIEWS = {"api:api-root"}


def _named_urls():
    def walk(patterns, namespace=None):
        for item in patterns:
            if isinstance(item, URLResolver):
                if item.namespace == "admin":
                    continue
                ns = ":".join(x for x in (namespace, item.namespace) if x) or None
                yield from walk(item.url_patterns, ns)
            elif isinstance(item, URLPattern) and item.name:
                yield f"{namespace}:{item.name}" if namespace else item.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_has_a_row_in_the_matrix():
    missing = _named_urls() - set(MATRIX) - NOT_VIEWS
    assert not missing, f"add these to the permission matrix: {sorted(missing)}"


def _client_for(client, org, persona: str, allowed: str):
    user = {
        "anonymous": None,
        "citizen": org.citizen,
        "other_citizen": org.other_citizen,
        "other_officer": org.other_officer,
        "no_role": org.no_role,
        "allowed": getattr(org, allowed),
    }[persona]
    if user is not None:
        force_login_verified(client, user)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, name, persona):
    method, build, allowed, expected = MATRIX[name]
    path = build(org)
    _client_for(client, org, persona, allowed)
    body = BODIES.get(name, {})
    if method == "get":
        response = client.get(path)
    elif name.startswith("api:"):
        response = client.post(path, body or "{}", content_type="application/json")
    else:
        response = client.post(path, body)
    assert response.status_code == expected[persona], (name, persona, response.status_code)
    if persona == "anonymous" and expected[persona] == LOGIN and not name.startswith("api:"):
        assert response.url.startswith("/accounts/login/") or name in {
            "set_language",
            "directory:logout",
            "workdays:calendar",
        }
