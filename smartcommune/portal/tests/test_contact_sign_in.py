"""A citizen signs in with the phone (or, without a phone, the e-mail) their sign-up code went to."""

import pytest

from smartcommune.directory.choices import UserKind
from smartcommune.directory.factories import valid_personal_id
from smartcommune.directory.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Ban-Phin-Ho-2026"


def _citizen(serial, *, phone="", email=""):
    user = User.objects.create_user(
        username=valid_personal_id(serial=serial),
        password=PASSWORD,
        kind=UserKind.CITIZEN,
        phone=phone,
        email=email,
    )
    return user


def _sign_in(client, identifier, password=PASSWORD):
    response = client.post("/accounts/login/", {"username": identifier, "password": password})
    return int(client.session["_auth_user_id"]) if "_auth_user_id" in client.session else None, response


@pytest.mark.parametrize("typed", ["0987654321", "0987 654 321", "+84987654321", "098.765.4321"])
def test_the_phone_in_any_usual_spelling_signs_the_citizen_in(client, org, typed):
    user = _citizen(701, phone="0987654321", email="lo.thi.a@example.vn")
    assert _sign_in(client, typed)[0] == user.pk


def test_the_e_mail_signs_in_only_when_it_was_the_confirmed_contact(client, org):
    by_mail = _citizen(702, email="quang.van.b@example.vn")
    with_phone = _citizen(703, phone="0911222333", email="ca.thi.c@example.vn")

    assert _sign_in(client, "Quang.Van.B@example.vn")[0] == by_mail.pk
    client.logout()
    assert _sign_in(client, "ca.thi.c@example.vn")[0] is None  # the code went to the phone
    assert _sign_in(client, "0911222333")[0] == with_phone.pk


def test_a_shared_phone_a_wrong_password_and_officials_sign_nobody_in(client, org):
    _citizen(704, phone="0912000111")
    _citizen(705, phone="0912000111")  # the household's phone
    lone = _citizen(706, phone="0912000222")
    org.officer.phone = "0912000333"
    org.officer.set_password(PASSWORD)  # the same password: only the kind of account differs
    org.officer.save()

    assert _sign_in(client, "0912000111")[0] is None
    user, response = _sign_in(client, "0912000222", "sai-mat-khau")
    assert user is None and response.status_code == 200
    assert _sign_in(client, "0912000333")[0] is None  # officials use their username
    assert _sign_in(client, "0912000222")[0] == lone.pk
