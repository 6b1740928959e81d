"""Test factories for org units and people. Build trees with `unit_tree()`."""

import itertools
import random
from datetime import date

import factory
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.core.text import fold

from .choices import OrgUnitKind, Position, UserKind
from .models import Citizen, Membership, Official, OrgUnit, Role, RoleGrant, User

TEST_PASSWORD = "Mat-khau-thu-2026"
# Hashing with Argon2 costs ~50 ms: hash the shared test password once per run.
_HASHED = {}


def hashed_test_password() -> str:
    if "pw" not in _HASHED:
        _HASHED["pw"] = make_password(TEST_PASSWORD)
    return _HASHED["pw"]


_codes = itertools.count(1)


def _unit_fields(name: str, kind: str, code: str | None) -> dict:
    return {
        "name": name,
        "name_folded": fold(name),
        "kind": kind,
        "code": code or f"T{next(_codes):03d}.00.00.H18",
    }


def make_province(name: str = "Tỉnh Điện Biên", code: str | None = None) -> OrgUnit:
    return OrgUnit.objects.add_root(_unit_fields(name, OrgUnitKind.PROVINCE, code))


def make_unit(
    parent: OrgUnit, name: str, kind: str = OrgUnitKind.COMMUNE, code: str | None = None
) -> OrgUnit:
    return OrgUnit.objects.add_child(parent, _unit_fields(name, kind, code))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    kind = UserKind.OFFICIAL
    password = factory.LazyFunction(hashed_test_password)


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    user = factory.SubFactory(UserFactory)
    position = Position.CIVIL_SERVANT


def make_official(unit: OrgUnit, *roles: str, include_subtree: bool = True, **user_fields) -> User:
    """An official who is a member of `unit` and holds `roles` (role codes) on it."""
    user = UserFactory(kind=UserKind.OFFICIAL, **user_fields)
    official = OfficialFactory(user=user)
    Membership.objects.create(official=official, org_unit=unit, is_primary=True)
    for code in roles:
        RoleGrant.objects.create(
            user=user, role=Role.objects.get(code=code), org_unit=unit, include_subtree=include_subtree
        )
    return user


def valid_personal_id(
    *, province: str = "011", birth: date = date(1990, 5, 17), female: bool = False, serial: int | None = None
) -> str:
    century_digit = {1900: 0, 2000: 2, 1800: 8, 2100: 4}[birth.year // 100 * 100] + (1 if female else 0)
    serial = serial if serial is not None else random.randint(0, 999_999)
    return f"{province}{century_digit}{birth.year % 100:02d}{serial:06d}"


_serials = itertools.count(100_001)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    full_name = factory.Sequence(lambda n: f"Lò Thị Dân {n}")
    full_name_folded = factory.LazyAttribute(lambda c: fold(c.full_name))
    date_of_birth = date(1990, 5, 17)
    sex = "female"
    personal_id = factory.LazyAttribute(
        lambda c: valid_personal_id(birth=c.date_of_birth, female=c.sex == "female", serial=next(_serials))
    )
    phone = factory.Sequence(lambda n: f"09{n:08d}")


def make_citizen_user(home_unit: OrgUnit | None = None, **fields) -> User:
    """A citizen with an account (username = personal identification number)."""
    citizen = CitizenFactory(home_unit=home_unit, **fields)
    user = UserFactory(username=citizen.personal_id, full_name=citizen.full_name, kind=UserKind.CITIZEN)
    citizen.user = user
    citizen.save(update_fields=["user"])
    return user


def force_login_verified(client, user) -> None:
    """Sign `user` in with a confirmed TOTP device, as after two-factor verification."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
