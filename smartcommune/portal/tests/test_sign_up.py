"""A citizen opens a local account: the code goes to the phone (SMS) or e-mail; wrong codes lock."""

import re
from datetime import date

import pytest
from django.core import mail

from smartcommune.directory.factories import valid_personal_id
from smartcommune.directory.models import Citizen, SignUpRequest, User
from smartcommune.notifications.models import Message
from smartcommune.notifications.tests.doubles import RecordingSmsBackend

pytestmark = pytest.mark.django_db
PID = valid_personal_id(birth=date(1995, 6, 1), female=True, serial=5151)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST, then run the on-commit hooks as a real commit would (messages go out after commit)."""

    def _post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return _post


def _form(**extra):
    return {
        "personal_id": PID,
        "full_name": "Lò Thị Hoa",
        "date_of_birth": "1995-06-01",
        "phone": "",
        "email": "hoa@example.vn",
        "password1": "Ban-Phin-Ho-2026",
        "password2": "Ban-Phin-Ho-2026",
        **extra,
    }


def _code_from_mail() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_sign_up_by_e_mail_then_sign_in(client, post, org):
    response = post("/portal/sign-up/", _form())
    assert response.status_code == 302
    pending = SignUpRequest.objects.get()
    assert not User.objects.filter(username=PID).exists()  # no account before the code
    code = _code_from_mail()
    assert code not in pending.code_hash
    done = post(response.url, {"code": code})
    assert done.status_code == 302 and done.url == "/portal/my/"
    user = User.objects.get(username=PID)
    assert user.is_citizen and user.check_password("Ban-Phin-Ho-2026")
    assert Citizen.objects.get(personal_id=PID).user == user
    assert not Citizen.objects.get(personal_id=PID).identity_verified  # only VNeID verifies identity
    client.logout()
    signed_in = client.post("/accounts/login/", {"username": PID, "password": "Ban-Phin-Ho-2026"})
    assert signed_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_up_by_phone_sends_an_sms_and_keeps_no_copy_of_the_code(client, post, org, settings):
    settings.SMS_BACKEND = "smartcommune.notifications.tests.doubles.RecordingSmsBackend"
    RecordingSmsBackend.sent, RecordingSmsBackend.error = [], None
    response = post("/portal/sign-up/", _form(email="", phone="0987 654 321"))
    assert response.status_code == 302
    sms = Message.objects.get(channel="sms", event="account.signup_code")
    assert sms.recipient_address == "0987654321" and sms.status == "sent"
    [(phone, text)] = RecordingSmsBackend.sent
    code = re.search(r"\b(\d{6})\b", text).group(1)
    assert phone == "0987654321" and code not in sms.body and code not in sms.subject  # blanked once sent
    assert not Message.objects.filter(channel="email").exists()
    assert post(response.url, {"code": code}).status_code == 302  # the code still works


def test_wrong_codes_lock_the_sign_up(client, post, org):
    url = post("/portal/sign-up/", _form()).url
    real = _code_from_mail()
    wrong = "000000" if real != "000000" else "111111"
    for _ in range(5):
        assert post(url, {"code": wrong}).status_code == 400
    assert post(url, {"code": real}).status_code == 400  # locked: even the right code
    assert not User.objects.filter(username=PID).exists()


def test_existing_account_and_bad_input_are_refused(client, post, org):
    taken = org.citizen.citizen.personal_id
    response = post("/portal/sign-up/", _form(personal_id=taken))
    assert response.status_code in (400, 409)
    assert post("/portal/sign-up/", _form(personal_id="12345")).status_code == 400
    assert post("/portal/sign-up/", _form(email="", phone="")).status_code == 400
    assert post("/portal/sign-up/", _form(password2="khac")).status_code == 400
    assert post("/portal/sign-up/", _form(date_of_birth="1980-01-01")).status_code == 400
    assert not SignUpRequest.objects.exists()
    assert not mail.outbox


def test_sign_ups_are_limited_per_number(client, post, org):
    for _ in range(3):
        assert post("/portal/sign-up/", _form()).status_code == 302
    assert post("/portal/sign-up/", _form()).status_code == 409
    assert SignUpRequest.objects.count() == 3
