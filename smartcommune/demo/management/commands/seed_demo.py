"""`manage.py seed_demo`: build the demo Điện Biên province and print its logins.

The province, its communes and wards, their villages, officials for every commune role, 300+ citizens,
a few organisations and the 2025–2026 holiday calendar. What is real and what is invented is listed
in `smartcommune.demo.people`. Agency electronic identifiers are demo values in the 13-character
format NNN.NN.NN.XNN (DOMAIN.md §2.3), numbered deterministically:

    province                    settings.SMARTCOMMUNE["PROVINCE_CODE"]     000.00.00.H18
    province department d       000.00.<d>.H18                              000.00.02.H18
    commune or ward n           000.<n>.00.H18                              000.01.00.H18
    its village j               000.<n>.<j>.H18                             000.01.03.H18
    its service centre          001.<n>.00.H18                              001.01.00.H18

(the letter group follows the configured province code). Idempotent: everything is looked up by its
unique key first, so a second run creates nothing, audits nothing and changes nothing; it only puts
back what a demo needs (the demo password, the TOTP key and the backup codes, unlocked accounts).
"""

import base64
import random
import time
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.audit.services import audit_record
from smartcommune.catalog.services import catalog_load_official
from smartcommune.core.text import fold, normalize
from smartcommune.demo import people as demo
from smartcommune.directory.choices import OrgUnitKind, Position, UserKind
from smartcommune.directory.models import Citizen, Organisation, OrgUnit, Role, User
from smartcommune.directory.permissions import SYSTEM_ROLES, TWO_FACTOR_PERMISSIONS
from smartcommune.directory.services import (
    citizen_register,
    official_create,
    organisation_register,
    orgunit_create,
    role_grant,
)
from smartcommune.directory.validators import (
    normalize_phone,
    parse_personal_id,
    validate_personal_id_matches_birth,
)
from smartcommune.dossiers.demo import seed_demo_dossiers
from smartcommune.workdays.models import CalendarOverride
from smartcommune.workdays.services import (
    calendar_get_or_create_for_province,
    calendar_seed_official_holidays,
)

HOLIDAY_YEARS = (2025, 2026)
ROLE_SPECS = {spec.code: spec for spec in SYSTEM_ROLES}
TWO_FACTOR_ROLES = frozenset(
    spec.code for spec in SYSTEM_ROLES if set(spec.permissions) & TWO_FACTOR_PERMISSIONS
)
TOTP_DEVICE_NAME = "demo"
BACKUP_DEVICE_NAME = "backup"  # the name directory.two_factor gives backup codes
PROVINCE_ADMIN = "quantri.tinh"
SYSTEM_ADMIN = "quantri.hethong"


# --- codes and names (pure) ------------------------------------------------------------------------


def _letters() -> str:
    return settings.SMARTCOMMUNE["PROVINCE_CODE"].rsplit(".", 1)[-1]


def department_code(d: int) -> str:
    return f"000.00.{d:02d}.{_letters()}"


def commune_code(n: int) -> str:
    return f"000.{n:02d}.00.{_letters()}"


def village_code(n: int, j: int) -> str:
    return f"000.{n:02d}.{j:02d}.{_letters()}"


def centre_code(n: int) -> str:
    return f"001.{n:02d}.00.{_letters()}"


def centre_name(commune: demo.Commune) -> str:
    return f"{demo.SERVICE_CENTRE_NAME} {commune.place}"


def staff_username(prefix: str, commune: demo.Commune) -> str:
    return f"{prefix}.{commune.slug}"


def tax_code(serial: int) -> str:
    """'56' (Điện Biên's tax-code prefix) + 7 digits + a check digit by the commonly published
    weights 31, 29, 23, 19, 17, 13, 7, 5, 3 (not checked against a primary source)."""
    body = f"56{serial:07d}"
    check = 10 - sum(int(d) * w for d, w in zip(body, (31, 29, 23, 19, 17, 13, 7, 5, 3), strict=True)) % 11
    if check == 10:
        raise ValueError(f"serial {serial} gives no valid check digit; pick another")
    return body + str(check)


def _person(rng: random.Random, mix: tuple[int, int, int]) -> tuple[str, bool]:
    surnames, male, female = rng.choices(demo.NAME_POOLS, weights=mix)[0]
    is_female = rng.random() < 0.5
    return f"{rng.choice(surnames)} {rng.choice(female if is_female else male)}", is_female


def _phone(rng: random.Random) -> str:
    return rng.choice(demo.MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def _personal_id(province: str, birth: date, female: bool, serial: int) -> str:
    # Circular 07/2016/TT-BCA art. 7: 4th digit = century and sex, then the last two digits of the year.
    century = {1900: 0, 2000: 2}[birth.year // 100 * 100] + (1 if female else 0)
    return f"{province}{century}{birth.year % 100:02d}{serial:06d}"


@dataclass(frozen=True)
class CitizenRow:
    personal_id: str
    full_name: str
    date_of_birth: date
    phone: str
    address: str
    commune: int
    village_code: str


def demo_citizen_row() -> CitizenRow:
    spec = demo.DEMO_CITIZEN
    commune = next(c for c in demo.COMMUNES if c.number == spec["commune"])
    j = next(i for i, v in enumerate(commune.villages, 1) if v.name == spec["village"])
    return CitizenRow(
        personal_id=spec["personal_id"],
        full_name=spec["full_name"],
        date_of_birth=date(*spec["date_of_birth"]),
        phone=spec["phone"],
        address=f"{spec['village']}, {commune.place}, {demo.PROVINCE_PLACE}",
        commune=commune.number,
        village_code=village_code(commune.number, j),
    )


def citizen_rows() -> list[CitizenRow]:
    """The demo citizens, the same on every run: the fixed demo citizen, then CITIZEN_TARGET spread
    over the villages. Each village draws from its own Random seeded with 2026 and its code, so that
    adding a village or a commune does not change the people of the others."""
    first = demo_citizen_row()
    rows, used = [first], {first.personal_id}
    villages = [(c, j, v) for c in demo.COMMUNES for j, v in enumerate(c.villages, 1)]
    base, extra = divmod(demo.CITIZEN_TARGET, len(villages))
    for index, (commune, j, village) in enumerate(villages):
        code = village_code(commune.number, j)
        rng = random.Random(f"2026:{code}")
        for _ in range(base + (1 if index < extra else 0)):
            full_name, female = _person(rng, commune.name_mix)
            birth = date(rng.randint(1945, 2007), rng.randint(1, 12), rng.randint(1, 28))
            province_code = (
                demo.HOME_PROVINCE_CODE if rng.random() < 0.9 else rng.choice(demo.OTHER_PROVINCE_CODES)
            )
            personal_id = _personal_id(province_code, birth, female, rng.randrange(10**6))
            while personal_id in used:
                personal_id = _personal_id(province_code, birth, female, rng.randrange(10**6))
            used.add(personal_id)
            phone = _phone(rng) if rng.random() < 0.85 else ""
            rows.append(
                CitizenRow(
                    personal_id=personal_id,
                    full_name=full_name,
                    date_of_birth=birth,
                    phone=phone,
                    address=f"{village.name}, {commune.place}, {demo.PROVINCE_PLACE}",
                    commune=commune.number,
                    village_code=code,
                )
            )
    return rows


def account_rows(rows: list[CitizenRow]) -> list[CitizenRow]:
    """The citizens who get an account: the demo citizen, then the first resident of each village,
    taking communes in turn, until CITIZEN_ACCOUNTS."""
    chosen = [rows[0]]
    firsts: dict[int, list[CitizenRow]] = {}
    seen_villages = set()
    for row in rows[1:]:
        if row.village_code not in seen_villages:
            seen_villages.add(row.village_code)
            firsts.setdefault(row.commune, []).append(row)
    depth = 0
    while len(chosen) < demo.CITIZEN_ACCOUNTS and any(len(v) > depth for v in firsts.values()):
        for commune in demo.COMMUNES:
            candidates = firsts.get(commune.number, [])
            if depth < len(candidates) and len(chosen) < demo.CITIZEN_ACCOUNTS:
                chosen.append(candidates[depth])
        depth += 1
    return chosen


# --- the logins table (pure) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    role: str  # a role code, or "citizen"
    username: str
    unit: str
    two_factor: bool

    @property
    def role_label(self) -> str:
        if self.role == "citizen":
            return "Công dân / Citizen"
        spec = ROLE_SPECS[self.role]
        return f"{spec.name} / {spec.name_en}"


def demo_logins() -> list[Login]:
    """One login per role: the commune roles in the first commune, the province, the demo citizen."""
    commune = demo.COMMUNES[0]
    logins, seen = [], set()
    for role, prefix, _position, _title in demo.COMMUNE_STAFF:
        if role in seen:
            continue
        seen.add(role)
        unit = {
            "one_stop_officer": centre_name(commune),
            "community_member": f"{commune.villages[0].name}, {commune.place}",
        }.get(role, commune.name)
        logins.append(Login(role, staff_username(prefix, commune), unit, role in TWO_FACTOR_ROLES))
    logins.append(Login("province_admin", PROVINCE_ADMIN, demo.PROVINCE_NAME, False))
    logins.append(Login("system_admin", SYSTEM_ADMIN, demo.PROVINCE_NAME, True))
    citizen = demo_citizen_row()
    logins.append(Login("citizen", citizen.personal_id, citizen.address.rsplit(",", 1)[0], False))
    return logins


def all_demo_usernames() -> list[str]:
    staff = [staff_username(prefix, c) for c in demo.COMMUNES for _r, prefix, _p, _t in demo.COMMUNE_STAFF]
    citizens = [row.personal_id for row in account_rows(citizen_rows())]
    return [*staff, PROVINCE_ADMIN, SYSTEM_ADMIN, *citizens]


def totp_secret_b32() -> str:
    return base64.b32encode(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).decode().rstrip("=")


# --- seeding ----------------------------------------------------------------------------------------


@dataclass
class Seeded:
    province: OrgUnit
    created: int = 0  # rows the services created in this run


class DemoSeeder:
    """Creates what is missing, through the services (which audit), in the caller's transaction."""

    def __init__(self):
        self.roles = {role.code: role for role in Role.objects.all()}
        missing = sorted(set(ROLE_SPECS) - set(self.roles))
        if missing:
            raise CommandError(f"System roles missing (run migrate first): {', '.join(missing)}")
        self.created = 0
        self.usernames = all_demo_usernames()
        self.password_hash = self._demo_password_hash()
        # One query each for what already exists, instead of one per unit and per official.
        self.existing_units = {u.code: u for u in OrgUnit.objects.filter(code__in=self._all_codes())}
        self.existing_users = {u.username: u for u in User.objects.filter(username__in=self.usernames)}

    @staticmethod
    def _all_codes() -> list[str]:
        codes = [settings.SMARTCOMMUNE["PROVINCE_CODE"]]
        codes += [department_code(d) for d, _name in demo.DEPARTMENTS]
        for c in demo.COMMUNES:
            codes += [commune_code(c.number), centre_code(c.number)]
            codes += [village_code(c.number, j) for j in range(1, len(c.villages) + 1)]
        return codes

    # units

    def unit(self, parent: OrgUnit | None, code: str, name: str, kind: str, address: str = "") -> OrgUnit:
        existing = self.existing_units.get(code)
        if existing is not None:
            return existing
        if parent is not None:
            # treebeard inserts from the parent's current path and child count: never a stale copy.
            parent = OrgUnit.objects.get(pk=parent.pk)
        self.created += 1
        return orgunit_create(actor=None, parent=parent, code=code, name=name, kind=kind, address=address)

    def units(self) -> tuple[OrgUnit, dict[str, OrgUnit]]:
        province = self.unit(
            None, settings.SMARTCOMMUNE["PROVINCE_CODE"], demo.PROVINCE_NAME, OrgUnitKind.PROVINCE
        )
        by_code = {province.code: province}
        # Siblings are kept sorted by name (OrgUnit.node_order_by); adding them in that order spares
        # treebeard from renumbering the paths of siblings already in place (fully so under SQLite's
        # binary collation; a PostgreSQL locale collation may still reorder a few).
        top = [(department_code(d), name, OrgUnitKind.DEPARTMENT, "") for d, name in demo.DEPARTMENTS]
        top += [
            (commune_code(c.number), c.name, c.kind, f"{c.place}, {demo.PROVINCE_PLACE}")
            for c in demo.COMMUNES
        ]
        for code, name, kind, address in sorted(top, key=lambda t: t[1]):
            by_code[code] = self.unit(province, code, name, kind, address)
        for c in demo.COMMUNES:
            parent = by_code[commune_code(c.number)]
            address = f"{c.place}, {demo.PROVINCE_PLACE}"
            children = [(centre_code(c.number), centre_name(c), OrgUnitKind.SERVICE_CENTRE, address)]
            children += [(village_code(c.number, j), v.name, v.kind, "") for j, v in enumerate(c.villages, 1)]
            for code, name, kind, addr in sorted(children, key=lambda t: t[1]):
                by_code[code] = self.unit(parent, code, name, kind, addr)
        return province, by_code

    # officials

    def official(
        self, *, username: str, full_name: str, unit: OrgUnit, position: str, title: str, phone: str
    ) -> User:
        user = self.existing_users.get(username)
        if user is not None:
            return user
        self.created += 1
        return official_create(
            actor=None,
            username=username,
            full_name=full_name,
            org_unit=unit,
            position=position,
            title=title,
            phone=phone,
            password=None,  # the shared demo hash is set for every demo login at the end
        )

    def grant(self, user: User, role: str, unit: OrgUnit) -> None:
        role_grant(actor=None, user=user, role=self.roles[role], org_unit=unit, include_subtree=True)

    def flags(self, user: User, *, is_staff: bool, is_superuser: bool = False) -> None:
        if (user.is_staff, user.is_superuser) == (is_staff, is_superuser):
            return
        User.objects.filter(pk=user.pk).update(is_staff=is_staff, is_superuser=is_superuser)
        user.is_staff, user.is_superuser = is_staff, is_superuser
        audit_record(
            actor=None,
            action="official.updated",
            target=user,
            data={"is_staff": is_staff, "is_superuser": is_superuser},
        )

    def commune_staff(self, by_code: dict[str, OrgUnit]) -> list[User]:
        leaders = []
        for c in demo.COMMUNES:
            commune = by_code[commune_code(c.number)]
            centre = by_code[centre_code(c.number)]
            first_village = by_code[village_code(c.number, 1)]
            rng = random.Random(f"2026:officials:{c.slug}")
            words = {
                "kind": "xã" if c.kind == OrgUnitKind.COMMUNE else "phường",
                "name": c.short_name,
                "economy_office": "Phòng Kinh tế"
                if c.kind == OrgUnitKind.COMMUNE
                else "Phòng Kinh tế, Hạ tầng và Đô thị",
            }
            for role, prefix, position, title in demo.COMMUNE_STAFF:
                full_name, _female = _person(rng, c.name_mix)
                phone = _phone(rng)
                member_of = {"one_stop_officer": centre, "community_member": first_village}.get(role, commune)
                user = self.official(
                    username=staff_username(prefix, c),
                    full_name=full_name,
                    unit=member_of,
                    position=position,
                    title=title.format(**words),
                    phone=phone,
                )
                # The one-stop officer works at the centre but receives for the whole commune.
                self.grant(user, role, first_village if role == "community_member" else commune)
                if role in TWO_FACTOR_ROLES:
                    leaders.append(user)
        return leaders

    def province_staff(self, province: OrgUnit, by_code: dict[str, OrgUnit]) -> User:
        office = by_code[department_code(demo.DEPARTMENTS[0][0])]
        rng = random.Random("2026:officials:tinh")
        admin = self.official(
            username=PROVINCE_ADMIN,
            full_name=_person(rng, (5, 2, 3))[0],
            unit=office,
            position=Position.IT_OFFICER,
            title="Quản trị viên SmartCommune cấp tỉnh",
            phone=_phone(rng),
        )
        self.grant(admin, "province_admin", province)
        self.flags(admin, is_staff=True)  # province admins work in the Django admin
        root = self.official(
            username=SYSTEM_ADMIN,
            full_name=_person(rng, (5, 2, 3))[0],
            unit=office,
            position=Position.IT_OFFICER,
            title="Quản trị hệ thống SmartCommune",
            phone=_phone(rng),
        )
        self.grant(root, "system_admin", province)
        self.flags(root, is_staff=True, is_superuser=True)
        return root

    # citizens and organisations

    def citizens(self, province: OrgUnit, by_code: dict[str, OrgUnit], rows: list[CitizenRow]) -> None:
        existing = set(
            Citizen.objects.filter(personal_id__in=[r.personal_id for r in rows]).values_list(
                "personal_id", flat=True
            )
        )
        demo_row = rows[0]
        if demo_row.personal_id not in existing:
            self.created += 1
            citizen_register(
                actor=None,
                personal_id=demo_row.personal_id,
                full_name=demo_row.full_name,
                date_of_birth=demo_row.date_of_birth,
                phone=demo_row.phone,
                address=demo_row.address,
                home_unit=by_code[demo_row.village_code],
            )
        # The rest arrive as one import: citizen_register costs three queries, an audit entry and a
        # lock on the commune's audit chain per person. A real bulk import (e.g. from the population
        # database) is one act, so it is audited once, with the number of records.
        new = []
        for row in rows[1:]:
            if row.personal_id in existing:
                continue
            info = parse_personal_id(row.personal_id)
            validate_personal_id_matches_birth(row.personal_id, row.date_of_birth)
            citizen = Citizen(
                personal_id=row.personal_id,
                full_name=normalize(row.full_name),
                full_name_folded=fold(row.full_name),
                date_of_birth=row.date_of_birth,
                sex=info.sex,
                phone=normalize_phone(row.phone),
                address=normalize(row.address),
                home_unit=by_code[row.village_code],
            )
            citizen.clean_fields(exclude=["home_unit", "user"])
            new.append(citizen)
        if new:
            Citizen.objects.bulk_create(new, batch_size=500)
            self.created += len(new)
            audit_record(
                actor=None,
                action="citizen.imported",
                org_unit=province,
                data={"count": len(new), "source": "seed_demo"},
            )

    def citizen_accounts(self, rows: list[CitizenRow], by_code: dict[str, OrgUnit]) -> None:
        for row in account_rows(rows):
            citizen = Citizen.objects.select_related("home_unit").get(personal_id=row.personal_id)
            if citizen.user_id is not None:
                continue
            user = User.objects.filter(username=row.personal_id).first()
            if user is None:
                user = User(
                    username=row.personal_id,
                    full_name=citizen.full_name,
                    kind=UserKind.CITIZEN,
                    phone=citizen.phone,
                    password=self.password_hash,
                )
                user.full_clean()
                user.save()
                self.created += 1
                # No citizen sign-up service exists yet; the account is audited here, by name only
                # (the username is the identification number).
                audit_record(
                    actor=None,
                    action="user.created",
                    target=user,
                    org_unit=citizen.home_unit,
                    data={"kind": UserKind.CITIZEN},
                )
            Citizen.objects.filter(pk=citizen.pk).update(user=user)

    def organisations(self, by_code: dict[str, OrgUnit], rows: list[CitizenRow]) -> None:
        for spec in demo.ORGANISATIONS:
            commune = next(c for c in demo.COMMUNES if c.number == spec.commune)
            residents = [r for r in rows[1:] if r.commune == spec.commune]
            representative = Citizen.objects.get(personal_id=residents[spec.representative_index].personal_id)
            # Since 1/7/2025 a household business's tax code is its owner's personal number.
            if spec.kind == "household_business":
                code = representative.personal_id
            else:
                code = tax_code(spec.tax_code_serial) if spec.tax_code_serial is not None else None
            same = Organisation.objects.filter(name=normalize(spec.name), kind=spec.kind)
            if code:
                same = same | Organisation.objects.filter(tax_code=code)
            if same.exists():
                continue
            self.created += 1
            organisation_register(
                actor=None,
                name=spec.name,
                kind=spec.kind,
                tax_code=code,
                address=f"{commune.place}, {demo.PROVINCE_PLACE}",
                home_unit=by_code[commune_code(spec.commune)],
                representative=representative,
            )

    # what a demo needs back on every run

    def _demo_password_hash(self) -> str:
        # Argon2 costs ~50 ms a hash: reuse the hash the demo logins already share when it still matches.
        current = (
            User.objects.filter(username__in=self.usernames).values_list("password", flat=True).distinct()
        )
        for hashed in current[:5]:
            if hashed and check_password(demo.DEMO_PASSWORD, hashed):
                return hashed
        return make_password(demo.DEMO_PASSWORD)

    def restore_logins(self) -> None:
        users = User.objects.filter(username__in=self.usernames)
        for user in users:
            validate_password(demo.DEMO_PASSWORD, user)
        users.exclude(password=self.password_hash).update(password=self.password_hash)
        users.filter(is_active=False).update(is_active=True)
        AccessAttempt.objects.filter(username__in=self.usernames).delete()

    def two_factor(self, user: User) -> None:
        device = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).first()
        if device is None:
            TOTPDevice.objects.create(
                user=user, name=TOTP_DEVICE_NAME, key=demo.DEMO_TOTP_KEY_HEX, confirmed=True
            )
            self.created += 1
            audit_record(
                actor=None, action="twofactor.enabled", target=user, data={"device": TOTP_DEVICE_NAME}
            )
        else:
            TOTPDevice.objects.filter(pk=device.pk).exclude(
                key=demo.DEMO_TOTP_KEY_HEX, confirmed=True, throttling_failure_count=0
            ).update(
                key=demo.DEMO_TOTP_KEY_HEX,
                confirmed=True,
                throttling_failure_count=0,
                throttling_failure_timestamp=None,
            )
        backup, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
        StaticDevice.objects.filter(pk=backup.pk).update(
            confirmed=True, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        # Used backup codes are deleted by django-otp: put the printed list back on every run.
        backup.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=backup, token=code) for code in demo.DEMO_BACKUP_CODES
        )

    def holidays(self, province: OrgUnit) -> None:
        calendar = calendar_get_or_create_for_province(province=province, actor=None)
        created = calendar_seed_official_holidays(actor=None, calendar=calendar, years=HOLIDAY_YEARS)
        self.created += len(created)

    def run(self) -> Seeded:
        province, by_code = self.units()
        leaders = self.commune_staff(by_code)
        root = self.province_staff(province, by_code)
        rows = citizen_rows()
        self.citizens(province, by_code, rows)
        self.citizen_accounts(rows, by_code)
        self.organisations(by_code, rows)
        self.restore_logins()
        for user in [*leaders, root]:
            self.two_factor(user)
        self.holidays(province)
        self.created += catalog_load_official(actor=None).created
        # A few weeks of one-stop work in the showcase communes, through the real services.
        showcase = [by_code[commune_code(c.number)] for c in demo.COMMUNES[:2]]
        self.created += seed_demo_dossiers(communes=showcase)
        return Seeded(province=province, created=self.created)


# --- output -------------------------------------------------------------------------------------------


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(), line]
    out += [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def logins_report(province: OrgUnit | None) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    secret = totp_secret_b32()
    logins = demo_logins()
    two_factor_users = [login.username for login in logins if login.two_factor]
    rows = [
        [
            login.role_label,
            login.username,
            demo.DEMO_PASSWORD,
            login.unit,
            "TOTP + mã dự phòng / backup codes" if login.two_factor else "—",
        ]
        for login in logins
    ]
    lines = ["", "Demo logins / Tài khoản demo", ""]
    lines += _table(
        ["Vai trò / Role", "Tên đăng nhập / Username", "Mật khẩu / Password", "Đơn vị / Unit", "2FA"], rows
    )
    prefixes = ", ".join(f"{prefix}.<x>" for _r, prefix, _p, _t in demo.COMMUNE_STAFF)
    slugs = ", ".join(c.slug for c in demo.COMMUNES)
    lines += [
        "",
        f"Two-factor / Xác thực hai lớp ({', '.join(two_factor_users)}, and every lanhdao.<x>):",
        f"  TOTP secret (base32): {secret}",
        f"  otpauth://totp/{quote(issuer)}:{two_factor_users[0]}?secret={secret}&issuer={quote(issuer)}",
        f"  Backup codes / Mã dự phòng (reset on every seed_demo): {' '.join(demo.DEMO_BACKUP_CODES)}",
        "",
        f"Every commune and ward has the same logins / Mọi xã, phường đều có: {prefixes}",
        f"  where <x> is one of: {slugs}",
        f"Citizens with an account sign in with their 12-digit personal identification number "
        f"({demo.CITIZEN_ACCOUNTS} accounts); all demo logins share the password above.",
    ]
    former = [c.name for c in demo.COMMUNES if c.former]
    if former:
        lines.append(
            f"Note: {' and '.join(former)} are real communes that were merged on 1/7/2025 "
            "(Resolution 1661/NQ-UBTVQH15); the demo keeps them (see smartcommune/demo/people.py)."
        )
    if province is None:
        lines += ["", "The demo province does not exist yet: run `manage.py seed_demo` first."]
        return "\n".join(lines)
    units = OrgUnit.objects.filter(province.subtree_q()).count()
    officials = User.objects.filter(
        kind=UserKind.OFFICIAL, official__memberships__org_unit__path__startswith=province.path
    ).distinct()
    citizens = Citizen.objects.filter(home_unit__path__startswith=province.path)
    holidays = CalendarOverride.objects.filter(calendar__province=province).count()
    lines += [
        "",
        f"Counts / Số lượng: {units} units, {officials.count()} officials, {citizens.count()} citizens "
        f"({citizens.filter(user__isnull=False).count()} with an account), "
        f"{Organisation.objects.filter(home_unit__path__startswith=province.path).count()} organisations, "
        f"{holidays} calendar days ({HOLIDAY_YEARS[0]}–{HOLIDAY_YEARS[-1]}).",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Create (or complete) the demo Điện Biên province and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Seed without printing anything.")
        parser.add_argument(
            "--logins-only", action="store_true", help="Print the logins table without seeding."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off. The demo password and TOTP key are printed for "
            "everyone: never use this on a production database.",
        )

    def handle(self, *args, quiet=False, logins_only=False, force=False, **options):
        province_code = settings.SMARTCOMMUNE["PROVINCE_CODE"]
        if logins_only:
            self.stdout.write(logins_report(OrgUnit.objects.filter(code=province_code).first()))
            return
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a public password and TOTP key; it runs only with "
                "DJANGO_DEBUG on (or --force, never on a production database)."
            )
        started = time.monotonic()
        with transaction.atomic():
            seeded = DemoSeeder().run()
        elapsed = time.monotonic() - started
        if quiet:
            return
        self.stdout.write(logins_report(seeded.province))
        self.stdout.write(f"\nseed_demo: {seeded.created} rows created in {elapsed:.1f} s.")
