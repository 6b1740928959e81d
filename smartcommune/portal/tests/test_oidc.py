"""Citizen sign-in through an OpenID Connect provider started on localhost for the test (Authlib's
server on Flask, tests/support/oidc_provider.py): the whole authorization-code flow, no mocks."""

from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from smartcommune.directory.factories import valid_personal_id
from smartcommune.directory.models import Citizen, ExternalIdentity, User
from tests.support.oidc_provider import OidcProvider

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/portal/sign-in/oidc/callback/"


@pytest.fixture
def provider(settings):
    idp = OidcProvider(redirect_uris=[CALLBACK]).start()
    settings.SMARTCOMMUNE_OIDC = {
        **settings.SMARTCOMMUNE_OIDC,
        "ISSUER": idp.issuer,
        "CLIENT_ID": idp.client.client_id,
        "CLIENT_SECRET": idp.client.client_secret,
        "SCOPES": "openid profile",
        "ACR_VALUES": "LoA1",
    }
    yield idp
    idp.stop()


def _at_provider(start_url: str, personal_id: str, consent: str = "yes") -> str:
    """Sign in on the provider's page as the person would; returns where it sends the browser."""
    assert requests.get(start_url, timeout=10).status_code == 200
    issuer = f"{urlsplit(start_url).scheme}://{urlsplit(start_url).netloc}"
    answer = requests.post(
        f"{issuer}/oauth2/authorize",
        data={**dict(parse_qsl(urlsplit(start_url).query)), "personal_id": personal_id, "consent": consent},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_existing_citizen_signs_in_and_is_marked_verified(client, org, provider):
    citizen = org.citizen.citizen
    provider.add_person(citizen.personal_id, citizen.full_name)
    start = client.get("/portal/sign-in/oidc/", {"next": "/portal/my/"})
    assert start.status_code == 302 and start.url.startswith(f"{provider.issuer}/oauth2/authorize?")
    assert dict(parse_qsl(urlsplit(start.url).query))["acr_values"] == "LoA1"
    back = _at_provider(start.url, citizen.personal_id)
    assert back.startswith(CALLBACK)
    done = client.get(back.removeprefix("http://testserver"))
    assert done.status_code == 302 and done.url == "/portal/my/"
    assert int(client.session["_auth_user_id"]) == org.citizen.pk
    citizen.refresh_from_db()
    assert citizen.identity_verified
    assert ExternalIdentity.objects.get().user == org.citizen
    assert client.get("/portal/my/").status_code == 200


def test_new_person_gets_a_citizen_account(client, org, provider):
    personal_id = valid_personal_id(birth=date(1994, 3, 2), female=True, serial=4242)
    provider.add_person(personal_id, "Quàng Thị Mai", birth="19940302")
    start = client.get("/portal/sign-in/oidc/")
    done = client.get(_at_provider(start.url, personal_id).removeprefix("http://testserver"))
    assert done.status_code == 302
    citizen = Citizen.objects.get(personal_id=personal_id)
    assert citizen.full_name == "Quàng Thị Mai" and citizen.identity_verified
    assert citizen.user.is_citizen and not citizen.user.has_usable_password()


def test_birth_date_that_contradicts_the_personal_number_is_refused(client, org, provider):
    personal_id = valid_personal_id(birth=date(1994, 3, 2), serial=4243)
    provider.add_person(personal_id, "Lò Văn Sai", birth="19800101")
    start = client.get("/portal/sign-in/oidc/")
    response = client.get(_at_provider(start.url, personal_id).removeprefix("http://testserver"))
    assert response.status_code == 400
    assert not Citizen.objects.filter(personal_id=personal_id).exists()


def test_refused_consent_signs_nobody_in(client, org, provider):
    citizen = org.citizen.citizen
    provider.add_person(citizen.personal_id, citizen.full_name)
    start = client.get("/portal/sign-in/oidc/")
    back = _at_provider(start.url, citizen.personal_id, consent="no")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()


def test_forged_state_and_replayed_code_are_refused(client, org, provider):
    citizen = org.citizen.citizen
    provider.add_person(citizen.personal_id, citizen.full_name)
    start = client.get("/portal/sign-in/oidc/")
    back = _at_provider(start.url, citizen.personal_id).removeprefix("http://testserver")
    params = dict(parse_qsl(urlsplit(back).query))
    forged = client.get("/portal/sign-in/oidc/callback/", {**params, "state": "forged"})
    assert forged.status_code == 400 and "_auth_user_id" not in client.session
    assert client.get(back).status_code == 302  # the real answer still works once
    other = client.__class__()
    assert other.get(back).status_code == 400  # another browser cannot replay it


def test_official_personal_number_cannot_be_taken_over(client, org, provider):
    personal_id = valid_personal_id(birth=date(1980, 1, 1), serial=77)
    User.objects.filter(pk=org.officer.pk).update(username=personal_id)
    provider.add_person(personal_id, "Ai Đó")
    start = client.get("/portal/sign-in/oidc/")
    response = client.get(_at_provider(start.url, personal_id).removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_without_configuration_the_provider_pages_are_404(client, org, settings):
    settings.SMARTCOMMUNE_OIDC = {**settings.SMARTCOMMUNE_OIDC, "ISSUER": "", "CLIENT_ID": ""}
    assert client.get("/portal/sign-in/oidc/").status_code == 404
    assert client.get("/portal/sign-in/oidc/callback/").status_code == 404
    assert "VNeID" not in client.get("/portal/sign-in/").text
