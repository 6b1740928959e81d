from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.audit.models import AuditEntry
from smartcommune.audit.verification import verify_chains
from smartcommune.demo import people as demo
from smartcommune.demo.management.commands.seed_demo import (
    account_rows,
    all_demo_usernames,
    citizen_rows,
    commune_code,
    demo_logins,
    tax_code,
)
from smartcommune.directory.choices import COMMUNE_LEVEL_KINDS
from smartcommune.directory.models import (
    Citizen,
    Membership,
    Organisation,
    OrgUnit,
    RoleGrant,
    User,
)
from smartcommune.directory.validators import (
    parse_personal_id,
    validate_org_unit_code,
    validate_personal_id_matches_birth,
    validate_tax_code,
)
from smartcommune.dossiers.models import Dossier, DossierEvent
from smartcommune.dossiers.selectors import with_due_states
from smartcommune.workdays.models import CalendarOverride

COMMUNE_ROLES = {role for role, *_ in demo.COMMUNE_STAFF}


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out, **options)
    return out.getvalue()


def _snapshot() -> dict:
    return {
        "units": list(OrgUnit.objects.order_by("code").values_list("code", "path", "name", "kind")),
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "password", "is_active", "is_staff", "is_superuser"
            )
        ),
        "memberships": Membership.objects.count(),
        "grants": list(RoleGrant.objects.order_by("pk").values_list("user_id", "role_id", "org_unit_id")),
        "citizens": list(
            Citizen.objects.order_by("personal_id").values_list(
                "personal_id", "full_name", "home_unit_id", "user_id"
            )
        ),
        "organisations": Organisation.objects.count(),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", "hash")),
        "totp": list(TOTPDevice.objects.order_by("pk").values_list("pk", "key", "confirmed")),
        "backup_codes": StaticToken.objects.count(),
        "calendar_days": CalendarOverride.objects.count(),
        "dossiers": Dossier.objects.count(),
        "dossier_events": DossierEvent.objects.count(),
    }


# --- pure data ---------------------------------------------------------------------------------------


def test_citizen_data_is_the_same_on_every_run_and_every_number_is_well_formed():
    rows = citizen_rows()
    assert rows == citizen_rows()
    assert len(rows) >= 300
    assert len({r.personal_id for r in rows}) == len(rows)
    for row in rows:
        info = parse_personal_id(row.personal_id)
        validate_personal_id_matches_birth(row.personal_id, row.date_of_birth)
        assert info.birth_year == row.date_of_birth.year
    assert sum(r.personal_id.startswith(demo.HOME_PROVINCE_CODE) for r in rows) > len(rows) * 0.8
    accounts = account_rows(rows)
    assert len(accounts) == demo.CITIZEN_ACCOUNTS
    assert accounts[0].personal_id == demo.DEMO_CITIZEN["personal_id"]


def test_unit_codes_and_tax_codes_have_the_official_formats():
    codes = [commune_code(c.number) for c in demo.COMMUNES]
    assert len(set(codes)) == len(codes)
    for code in codes:
        validate_org_unit_code(code)
        assert len(code) == 13
    for spec in demo.ORGANISATIONS:
        if spec.tax_code_serial is not None:
            validate_tax_code(tax_code(spec.tax_code_serial))


# Assertions below compare counts before and after, because the module's seeded province (below)
# may already exist when these run.


def test_logins_only_prints_the_table_without_seeding(db):
    units, entries = OrgUnit.objects.count(), AuditEntry.objects.count()
    out = StringIO()

    call_command("seed_demo", logins_only=True, stdout=out)

    assert (OrgUnit.objects.count(), AuditEntry.objects.count()) == (units, entries)
    for login in demo_logins():
        assert login.username in out.getvalue()


def test_seeding_is_refused_when_debug_is_off_unless_forced(db, settings):
    settings.DEBUG = False
    units, entries = OrgUnit.objects.count(), AuditEntry.objects.count()

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", quiet=True)

    assert (OrgUnit.objects.count(), AuditEntry.objects.count()) == (units, entries)


# --- seeding -----------------------------------------------------------------------------------------
# Seeding costs a few seconds (some 2,000 queries through the audited services), so the province is
# seeded once for the module, inside a transaction rolled back at the end; each test runs in a
# savepoint of it, as usual.


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


def test_second_run_creates_nothing_and_changes_nothing(seeded, db):
    before = _snapshot()

    output = _seed()

    assert _snapshot() == before
    assert "0 rows created" in output
    for login in demo_logins():
        assert login.username in output


def test_demo_province_has_real_units_staff_citizens_and_calendar(seeded, db):
    communes = OrgUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS)
    names = set(communes.values_list("name", flat=True))
    assert {"Xã Mường Đun", "Xã Phìn Hồ", "Phường Điện Biên Phủ"} <= names
    assert communes.count() >= 10
    assert communes.filter(kind="ward").exists()
    for commune in communes:
        roles = set(
            RoleGrant.objects.filter(commune.subtree_q("org_unit")).values_list("role__code", flat=True)
        )
        assert roles >= COMMUNE_ROLES, commune.name
        villages = OrgUnit.objects.filter(commune.subtree_q(), depth=commune.depth + 1).exclude(
            kind="service_centre"
        )
        assert 3 <= villages.count() <= 6, commune.name

    citizens = Citizen.objects.all()
    assert citizens.count() >= 300
    for personal_id, birth in citizens.values_list("personal_id", "date_of_birth"):
        validate_personal_id_matches_birth(personal_id, birth)
    assert citizens.filter(user__isnull=False).count() == demo.CITIZEN_ACCOUNTS
    assert AuditEntry.objects.filter(action="citizen.imported", data__count=citizens.count() - 1).exists()
    assert Organisation.objects.count() == len(demo.ORGANISATIONS)
    assert CalendarOverride.objects.filter(date__year=2025).exists()
    assert CalendarOverride.objects.filter(date__year=2026).exists()

    for login in demo_logins():
        assert login.username in seeded
    assert User.objects.filter(username__in=all_demo_usernames()).count() == len(all_demo_usernames())
    assert User.objects.get(username="quantri.tinh").is_staff
    assert User.objects.get(username="quantri.hethong").is_superuser
    checked, breaks = verify_chains()
    assert checked == AuditEntry.objects.count() and breaks == []


def test_demo_password_and_two_factor_codes_work(seeded, db):
    request = RequestFactory().post("/accounts/login/")
    # Argon2 takes about a second here: authenticate an official and a citizen, and check that every
    # other demo login carries the very same hash.
    for username in ("motcua.muongdun", demo.DEMO_CITIZEN["personal_id"]):
        user = authenticate(request=request, username=username, password=demo.DEMO_PASSWORD)
        assert user is not None and user.username == username
    hashes = set(User.objects.filter(username__in=all_demo_usernames()).values_list("password", flat=True))
    assert len(hashes) == 1

    leader = User.objects.get(username="lanhdao.muongdun")
    device = TOTPDevice.objects.get(user=leader, name="demo", confirmed=True)
    assert device.verify_token(f"{TOTP(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).token():06d}")
    backup = StaticDevice.objects.get(user=leader)
    assert backup.verify_token(demo.DEMO_BACKUP_CODES[0])
    assert not backup.token_set.filter(token=demo.DEMO_BACKUP_CODES[0]).exists()

    _seed(quiet=True)  # a used backup code comes back

    assert backup.token_set.filter(token=demo.DEMO_BACKUP_CODES[0]).exists()


def test_demo_dossiers_show_every_stage_of_the_one_stop_work(seeded, db):
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {2, 4, 5, 6, 7, 8, 10} <= statuses
    assert Dossier.objects.filter(apology__isnull=False).exists()
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) >= 20


def test_demo_histories_are_dated_when_the_work_would_have_been_done(seeded, db):
    seeded_at = AuditEntry.objects.order_by("-pk").values_list("created_at", flat=True).first()
    for dossier in Dossier.objects.prefetch_related("events", "steps", "files"):
        events = list(dossier.events.order_by("pk"))
        assert events[0].kind == "received" and events[0].at == dossier.received_at, dossier.code
        moments = [e.at for e in events]
        assert moments == sorted(moments) and moments[-1] < seeded_at, dossier.code
        for stored in dossier.files.all():  # the scans at reception, the recorded result
            assert dossier.received_at <= stored.uploaded_at <= moments[-1], dossier.code
        for step in dossier.steps.all():
            assert step.started_at >= dossier.received_at
            assert step.finished_at is None or step.started_at <= step.finished_at
    # Received one to forty days ago: the work spreads over those weeks, not over the seed's minute.
    assert len({e.at.date() for e in DossierEvent.objects.all()}) >= 10
    finished = Dossier.objects.filter(processed_at__isnull=False)
    late = [d.code for d in finished if d.processed_at > d.due_at]
    on_time = [d.code for d in finished if d.processed_at <= d.due_at]
    assert late and len(on_time) > len(late)  # the late demo dossier, among on-time ones
    # Dossiers waiting at a step came in lately (a worklist shows some in time, not all overdue);
    # 14 days leaves room for the longest holiday.
    waiting = with_due_states(Dossier.objects.open().select_related("org_unit"))
    assert waiting and all(d.received_at > seeded_at - timedelta(days=14) for d in waiting)
    assert {"in_time", "due_soon"} & {d.due_state for d in waiting}
