import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3", **extra)


def test_official_signs_in_and_lands_on_home(client, org):
    response = _login(client, "motcua")
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Xã Mường Đun" in home.content.decode()


def test_citizen_signs_in_with_personal_identification_number(client, org):
    response = _login(client, org.citizen.username)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, org):
    response = _login(client, "motcua", "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_passwords_are_hashed_with_argon2(org):
    org.officer.set_password("Mot-mat-khau-moi-2026")
    assert org.officer.password.startswith("argon2")


def test_repeated_failures_lock_the_account_for_that_address(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "motcua", "sai-mat-khau")
    locked = _login(client, "motcua")  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, org):
    _login(client, "motcua")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_pages_need_sign_in(client, org):
    response = client.get("/units/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_password_reset_by_email(client, org):
    org.officer.email = "motcua@example.vn"
    org.officer.save()
    response = client.post("/accounts/password-reset/", {"email": "motcua@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "Mat-khau-moi-cua-toi-2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    org.officer.refresh_from_db()
    assert org.officer.check_password(new_password)


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, org):
    response = client.post("/accounts/password-reset/", {"email": "khong-ton-tai@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_session_expires(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


# --- two-factor ---------------------------------------------------------------------------------


def _totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_leader_must_enrol_totp_before_anything_else(client, org):
    _login(client, "lanhdao")
    response = client.get("/units/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/setup/")
    setup = client.get(response.url)
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=org.leader, confirmed=False)

    wrong = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # django-otp slows retries after a failure

    ok = client.post(
        "/accounts/two-factor/setup/?next=/units/", {"token": _totp_now(device), "next": "/units/"}
    )
    assert ok.status_code == 302 and ok.url == "/units/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert StaticToken.objects.filter(device__user=org.leader).count() == 10
    assert AuditEntry.objects.filter(action="twofactor.enabled", target_id=str(org.leader.pk)).exists()
    assert client.get("/units/").status_code == 200


def test_enrolled_leader_verifies_with_code_or_single_use_backup_code(client, org):
    device = TOTPDevice.objects.create(user=org.leader, name="app", confirmed=True)
    static = org.leader.staticdevice_set.create(name="backup")
    static.token_set.create(token="12345678")

    _login(client, "lanhdao")
    redirect = client.get("/")
    assert redirect.url.startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"token": "999999"}).status_code == 200
    for throttled in (device, static):  # django-otp slows retries after a failure, on every device
        throttled.refresh_from_db()
        throttled.throttle_reset()
    assert client.post("/accounts/two-factor/verify/", {"token": _totp_now(device)}).status_code == 302
    assert client.get("/").status_code == 200

    client.post("/accounts/logout/")
    _login(client, "lanhdao")
    assert client.post("/accounts/two-factor/verify/", {"token": "12345678"}).status_code == 302
    client.post("/accounts/logout/")
    _login(client, "lanhdao")
    assert client.post("/accounts/two-factor/verify/", {"token": "12345678"}).status_code == 200  # used up


def test_api_refuses_unverified_leader_session(client, org):
    _login(client, "lanhdao")
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_open_redirect_after_two_factor_is_refused(client, org):
    device = TOTPDevice.objects.create(user=org.leader, name="app", confirmed=True)
    _login(client, "lanhdao")
    response = client.post(
        "/accounts/two-factor/verify/", {"token": _totp_now(device), "next": "https://evil.example/steal"}
    )
    assert response.status_code == 302 and response.url == reverse("home")
