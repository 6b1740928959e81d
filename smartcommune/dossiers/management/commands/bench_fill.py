"""`manage.py bench_fill`: fill a PostgreSQL database with a province-sized dossier history, fast.

For benchmarks only (see bench/README.md); never run it against a production database.

What it builds, idempotently (a second run creates nothing that is already there):

* the bench province `000.00.00.B99` with `--communes` communes ("Xã Bench 001", code
  `000.001.00.B99`, ...), each with `--villages` villages, through the directory services;
* officials for every commune role (bulk rows, one Argon2 hash shared by all): per commune two
  one-stop officers `bench_NNN_motcua_1..2`, three specialists, two leaders and a clerk;
* `--citizens` citizens per commune and a few organisations (COPY);
* the procedure catalog: `smartcommune.catalog.services.catalog_load_official` when that loader
  exists, else a handful of commune procedures; a province-default internal process is added to any
  procedure that has none;
* `--dossiers` dossiers received over the last `--days` days, with their steps, events, components,
  fee lines, payments and supplement requests, written with PostgreSQL COPY. Codes follow
  `services.codes.format_code` per agency and reception day, and the DailySequence rows hold the
  last number used. Dossiers are generated only while the bench communes have none: `--reset`
  empties the dossier tables first (only on a database that holds bench data alone).

Deadlines are a fast approximation, not the workdays engine: working days are Monday to Friday
(holidays and make-up Saturdays ignored), office hours 07:30-11:30 and 13:30-17:00, a limit in
working days falls on the same clock time N working days later, same-day procedures at the close
of the day (the next day after the 15:00 cut-off). Every moment the generator writes lies in office
hours. No files are stored and no audit entries are written for the generated history.

Refuses to touch a database that holds org units, citizens or dossiers outside the bench province
unless `--force`.
"""

import inspect
import os
import random
import time
import uuid
from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from zoneinfo import ZoneInfo

import environ
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from smartcommune.catalog.choices import FeeKind, TimeLimitUnit
from smartcommune.catalog.fees import FeeSchedule
from smartcommune.catalog.models import (
    Component,
    FeeExemption,
    FeeRule,
    Field,
    Procedure,
    ProcessStep,
    ProcessTemplate,
)
from smartcommune.core.text import fold
from smartcommune.directory.choices import OrgUnitKind, Position, UserKind
from smartcommune.directory.models import (
    Citizen,
    Membership,
    Official,
    Organisation,
    OrgUnit,
    Role,
    RoleGrant,
    User,
)
from smartcommune.directory.services import orgunit_create
from smartcommune.workdays.services import calendar_get_or_create_for_province

from ...choices import DossierStatus
from ...models import DailySequence, Dossier
from ..bench_history import (
    DAY,
    MODELS,
    CommuneRef,
    HistoryWriter,
    ProcPlan,
    StepPlan,
    WorkClock,
    applicant_text,
    copy_rows,
    drop_secondary,
    quote,
    reset_sequence,
)

PROVINCE_CODE = "000.00.00.B99"
PROVINCE_NAME = "Tỉnh Bench"
USERNAME_PREFIX = "bench_"
PASSWORD_ENV = "SMARTCOMMUNE_BENCH_PASSWORD"  # noqa: S105 - the variable's name
# Known on purpose: bench/load.py signs in with it. Only ever in a scratch benchmark database.
DEFAULT_PASSWORD = "Bench-mat-khau-2026"  # noqa: S105

ONE_STOP, SPECIALIST, LEADER, CLERK = "one_stop_officer", "specialist", "commune_leader", "clerk"
# (role, username part, how many per commune, positions)
STAFF = (
    (ONE_STOP, "motcua", 2, (Position.CIVIL_SERVANT,)),
    (SPECIALIST, "chuyenvien", 3, (Position.SPECIALIST,)),
    (LEADER, "lanhdao", 2, (Position.CHAIRMAN, Position.VICE_CHAIRMAN)),
    (CLERK, "vanthu", 1, (Position.CLERK,)),
)


def bench_username(commune_no: int, part: str, k: int) -> str:
    return f"{USERNAME_PREFIX}{commune_no:03d}_{part}_{k}"


def commune_code(no: int) -> str:
    return f"000.{no:03d}.00.B99"


FAMILY = ("Lò", "Quàng", "Lường", "Cà", "Vì", "Giàng", "Sùng", "Thào", "Nguyễn", "Trần", "Lê", "Hoàng", "Đỗ")
MIDDLE = ("Văn", "Thị", "A", "Seo", "Thị Thu", "Đức", "Minh", "Ngọc")
GIVEN = (
    *("Ánh", "Bình", "Chi", "Dũng", "Dua", "Páo", "Mỷ", "Sính", "Hoa", "Lan", "Tâm", "Thắng", "Xuân"),
    *("Hùng", "Mai", "Phương", "Sơn", "Tú", "Vàng", "Chứ", "Lả", "Nhung", "Quỳnh", "Hải", "Khánh"),
)
VILLAGES = ("Bản Noong Bua", "Bản Him Lam", "Bản Na Son", "Bản Phiêng Ban", "Bản Huổi Mí", "Bản Hát Lót")


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder: the parts sum to `total`)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


class Command(BaseCommand):
    help = "Fill a PostgreSQL database with a province-sized dossier history for benchmarks (COPY)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--communes", type=int, default=150)
        parser.add_argument("--villages", type=int, default=5, help="villages per commune")
        parser.add_argument("--citizens", type=int, default=1000, help="citizens per commune")
        parser.add_argument("--days", type=int, default=365, help="history length in calendar days")
        parser.add_argument("--procedures", type=int, default=15, help="procedures used, at most")
        parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY transaction")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--database-url",
            default=os.environ.get("DATABASE_URL", ""),
            help="PostgreSQL URL (default: $DATABASE_URL, as the settings read it)",
        )
        parser.add_argument("--reset", action="store_true", help="empty the dossier tables first")
        parser.add_argument("--force", action="store_true", help="run even if the database has other data")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        self._use_database(options["database_url"])
        if connection.vendor != "postgresql":
            raise CommandError("bench_fill needs PostgreSQL (it writes with COPY): set DATABASE_URL.")
        started = time.monotonic()
        province = OrgUnit.objects.filter(code=PROVINCE_CODE, depth=1).first()
        foreign = self._foreign_rows(province)
        if foreign and not options["force"]:
            raise CommandError(
                "This database holds data outside the bench province ("
                + ", ".join(f"{n} {what}" for what, n in foreign.items())
                + "). Use a scratch database, or --force."
            )
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data, not security
        password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")

        province, communes = self._ensure_units(province, options["communes"], options["villages"])
        self._ensure_staff(communes, password, rng)
        self._ensure_citizens(communes, options["citizens"], rng)
        procs, weights = self._ensure_catalog(options["procedures"])
        self._log(f"reference data ready in {time.monotonic() - started:.1f} s")

        bench_dossiers = Dossier.objects.filter(org_unit__path__startswith=province.path)
        if options["reset"]:
            self._reset(province, foreign)
        existing = bench_dossiers.count()
        if existing:
            self._log(f"{existing} bench dossiers already there: none generated (use --reset to regenerate)")
        elif options["dossiers"] > 0:
            self._generate(communes, procs, weights, rng, options)
        self._analyze()
        self._log(f"done in {time.monotonic() - started:.1f} s")

    # --- set-up ----------------------------------------------------------------------------------

    def _log(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)
            self.stdout.flush()

    def _use_database(self, url: str) -> None:
        """Point the default connection at `url` when it differs from what the settings read."""
        if not url or url == os.environ.get("DATABASE_URL"):
            return
        config = environ.Env.db_url_config(url)
        current = connections.settings[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS].close()
        current.update(config)
        current["OPTIONS"] = config.get("OPTIONS", {})  # drop the SQLite options of the default
        current["CONN_MAX_AGE"] = 0
        del connections[DEFAULT_DB_ALIAS]

    def _foreign_rows(self, province) -> dict[str, int]:
        if province is None:
            units, citizens, dossiers = OrgUnit.objects.all(), Citizen.objects.all(), Dossier.objects.all()
        else:
            path = province.path
            units = OrgUnit.objects.exclude(path__startswith=path)
            citizens = Citizen.objects.exclude(home_unit__path__startswith=path)
            dossiers = Dossier.objects.exclude(org_unit__path__startswith=path)
        counts = {"org units": units.count(), "citizens": citizens.count(), "dossiers": dossiers.count()}
        return {what: n for what, n in counts.items() if n}

    def _ensure_units(self, province, n_communes: int, n_villages: int):
        with transaction.atomic():
            if province is None:
                province = orgunit_create(
                    actor=None, parent=None, code=PROVINCE_CODE, name=PROVINCE_NAME, kind=OrgUnitKind.PROVINCE
                )
            calendar_get_or_create_for_province(province=province, actor=None)
        existing = {
            u.code: u for u in OrgUnit.objects.filter(path__startswith=province.path, depth__in=(2, 3))
        }
        created = 0
        communes = []
        for no in range(1, n_communes + 1):
            code = commune_code(no)
            with transaction.atomic():
                unit = existing.get(code)
                if unit is None:
                    unit = orgunit_create(
                        actor=None,
                        parent=province,
                        code=code,
                        name=f"Xã Bench {no:03d}",
                        kind=OrgUnitKind.COMMUNE,
                    )
                    created += 1
                for j in range(1, n_villages + 1):
                    village_code = f"000.{no:03d}.{j:02d}.B99"
                    if village_code not in existing:
                        unit.refresh_from_db()
                        orgunit_create(
                            actor=None,
                            parent=unit,
                            code=village_code,
                            name=f"Bản Bench {no:03d}-{j:02d}",
                            kind=OrgUnitKind.VILLAGE,
                        )
                        created += 1
            communes.append(CommuneRef(no=no, id=unit.pk, code=code, path=unit.path))
        self._log(f"org units: {created} created, {len(communes)} communes")
        return OrgUnit.objects.get(pk=province.pk), communes

    def _ensure_staff(self, communes: list[CommuneRef], password: str, rng: random.Random) -> None:
        roles = {r.code: r for r in Role.objects.filter(code__in=[spec[0] for spec in STAFF])}
        missing_roles = {spec[0] for spec in STAFF} - set(roles)
        if missing_roles:
            raise CommandError(
                f"System roles missing ({', '.join(sorted(missing_roles))}): run migrate first."
            )
        have = set(
            User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", flat=True)
        )
        wanted = []
        for c in communes:
            for role, part, count, positions in STAFF:
                for k in range(1, count + 1):
                    username = bench_username(c.no, part, k)
                    if username not in have:
                        wanted.append((c, role, username, positions[min(k, len(positions)) - 1]))
        if wanted:
            hashed = make_password(password)  # Argon2 costs ~50 ms: hash once, share it
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(
                        username=username,
                        password=hashed,
                        full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                        email=f"{username}@bench.invalid",
                        kind=UserKind.OFFICIAL,
                    )
                    for _c, _role, username, _position in wanted
                )
                officials = Official.objects.bulk_create(
                    Official(user=user, position=position)
                    for user, (_c, _role, _username, position) in zip(users, wanted, strict=True)
                )
                Membership.objects.bulk_create(
                    Membership(official=official, org_unit_id=c.id, is_primary=True)
                    for official, (c, _role, _username, _position) in zip(officials, wanted, strict=True)
                )
                RoleGrant.objects.bulk_create(
                    RoleGrant(user=user, role=roles[role], org_unit_id=c.id, include_subtree=True)
                    for user, (c, role, _username, _position) in zip(users, wanted, strict=True)
                )
        self._log(f"officials: {len(wanted)} created")
        by_unit = {c.id: c for c in communes}
        grants = (
            RoleGrant.objects.filter(user__username__startswith=USERNAME_PREFIX, org_unit_id__in=by_unit)
            .order_by("user__username")
            .values_list("org_unit_id", "role__code", "user_id", "user__username")
        )
        for unit_id, role, user_id, username in grants:
            by_unit[unit_id].staff.setdefault(role, []).append((user_id, username))

    def _ensure_citizens(self, communes: list[CommuneRef], per_commune: int, rng: random.Random) -> None:
        by_path = {c.path: c for c in communes}
        villages: dict[int, list[int]] = {c.id: [] for c in communes}
        steplen = OrgUnit.steplen
        for pk, path in OrgUnit.objects.filter(
            depth=3, path__startswith=communes[0].path[:steplen]
        ).values_list("pk", "path"):
            commune = by_path.get(path[:-steplen])
            if commune is not None:
                villages[commune.id].append(pk)
        village_ids = [v for vs in villages.values() for v in vs]
        have = set(
            Citizen.objects.filter(home_unit_id__in=village_ids).values_list("home_unit_id", flat=True)
        )
        have_orgs = set(
            Organisation.objects.filter(home_unit_id__in=villages).values_list("home_unit_id", flat=True)
        )
        now = timezone.now()
        rows, org_objects = [], []
        for c in communes:
            vs = villages[c.id]
            if not vs:
                raise CommandError(f"Commune {c.code} has no village: give --villages > 0.")
            if not have.intersection(vs):
                for k in range(per_commune):
                    serial = (c.no - 1) * per_commune + k
                    if serial >= 1_000_000:
                        raise CommandError("At most 1,000,000 bench citizens (communes x --citizens).")
                    year = 1950 + int(rng.random() * 56)
                    female = rng.random() < 0.5
                    century = (0 if year < 2000 else 2) + (1 if female else 0)
                    name = (
                        f"{rng.choice(FAMILY)} {'Thị' if female else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                    )
                    rows.append(
                        (uuid.uuid4(), f"011{century}{year % 100:02d}{serial:06d}", name, fold(name),
                         date(year, 1 + int(rng.random() * 12), 1 + int(rng.random() * 28)),
                         "female" if female else "male", f"09{serial + 10_000_000:08d}", "",
                         f"{rng.choice(VILLAGES)}, Xã Bench {c.no:03d}", vs[k % len(vs)], False, now, now)
                    )  # fmt: skip
            if c.id not in have_orgs:
                for k in range(10):
                    org_name = f"Hợp tác xã Bench {c.no:03d}-{k + 1:02d}"
                    org_objects.append(
                        Organisation(
                            name=org_name,
                            name_folded=fold(org_name),
                            kind="cooperative",
                            tax_code=f"9{c.no:03d}{k:06d}",
                            address=f"Xã Bench {c.no:03d}",
                            home_unit_id=c.id,
                        )
                    )
        with transaction.atomic(), connection.cursor() as cursor:
            copy_rows(
                cursor,
                Citizen,
                ("public_id", "personal_id", "full_name", "full_name_folded", "date_of_birth", "sex", "phone",
                 "email", "address", "home_unit_id", "identity_verified", "created_at", "updated_at"),
                rows,
            )  # fmt: skip
            Organisation.objects.bulk_create(org_objects)
        self._log(f"citizens: {len(rows)} created; organisations: {len(org_objects)} created")
        columns = ("pk", "full_name", "full_name_folded", "personal_id", "phone", "address")
        for c in communes:
            c.citizens = [
                applicant_text(pk, None, name, folded, id_number, phone, address)
                for pk, name, folded, id_number, phone, address in Citizen.objects.filter(
                    home_unit_id__in=villages[c.id]
                ).values_list(*columns)
            ]
            if not c.citizens:
                raise CommandError(f"Commune {c.code} has no citizens: give --citizens > 0.")
            c.organisations = [
                applicant_text(None, pk, name, folded, tax_code or "", phone, address)
                for pk, name, folded, tax_code, phone, address in Organisation.objects.filter(
                    home_unit_id=c.id
                ).values_list("pk", "name", "name_folded", "tax_code", "phone", "address")
            ]

    # --- catalog ---------------------------------------------------------------------------------

    def _ensure_catalog(self, limit: int):
        try:
            catalog_services = import_module("smartcommune.catalog.services")
        except ImportError:
            catalog_services = None
        loader = getattr(catalog_services, "catalog_load_official", None)
        if loader is not None:
            params = inspect.signature(loader).parameters
            required = [
                n
                for n, p in params.items()
                if p.default is inspect.Parameter.empty and p.kind != p.VAR_KEYWORD
            ]
            if set(required) <= {"actor"}:
                self._log("catalog: loading the official catalog (catalog_load_official)")
                loader(**({"actor": None} if "actor" in params else {}))
            else:
                self._log(f"catalog: catalog_load_official needs {required}: not called")
        if not Procedure.objects.filter(is_active=True, level="commune").exists():
            self._fallback_catalog()
        roles = {r.code: r for r in Role.objects.all()}
        procedures = list(
            Procedure.objects.filter(is_active=True, level="commune")
            .order_by("code")
            .prefetch_related("components", "fee_rules", "fee_exemptions")
        )
        plans = []
        for procedure in procedures:
            process = ProcessTemplate.objects.filter(procedure=procedure, org_unit__isnull=True).first()
            if process is None:
                process = self._default_process(procedure, roles)
            steps = [
                StepPlan(
                    order=s.order,
                    name=s.name,
                    role=s.role.code,
                    hours=s.duration_hours,
                    minutes=max(30, int(s.duration_hours * 60)),
                    route_to=s.route_to_id,
                )
                for s in process.steps.select_related("role").order_by("order")
            ]
            if not steps:
                continue
            rules = tuple(procedure.fee_rules.all())
            plans.append(
                ProcPlan(
                    id=procedure.pk,
                    amount=procedure.time_limit_amount,
                    unit=procedure.time_limit_unit,
                    steps=steps,
                    components=[
                        (c.pk, c.name, c.originals, c.copies)
                        for c in procedure.components.all()
                        if c.is_mandatory
                    ],
                    schedule=FeeSchedule(rules, tuple(procedure.fee_exemptions.all())),
                    pages=any(r.kind == FeeKind.PER_PAGE for r in rules),
                    cases=any(r.kind == FeeKind.PER_CASE for r in rules),
                    exemptions=tuple(e.code for e in procedure.fee_exemptions.all()),
                )
            )
            if len(plans) >= limit:
                break
        if not plans:
            raise CommandError("No commune procedure with an internal process to generate dossiers for.")
        self._log(f"catalog: {len(procedures)} commune procedures, {len(plans)} used for dossiers")
        # A few procedures take most of the traffic (civil status, certified copies).
        return plans, [1 / (i + 1) for i in range(len(plans))]

    def _default_process(self, procedure, roles) -> ProcessTemplate:
        if procedure.time_limit_unit == TimeLimitUnit.WORKING_DAYS:
            total = procedure.time_limit_amount * 8
        elif procedure.time_limit_unit == TimeLimitUnit.WORKING_HOURS:
            total = procedure.time_limit_amount
        else:
            total = 8
        shares = (("Tiếp nhận hồ sơ", ONE_STOP, 0.1), ("Thẩm định", SPECIALIST, 0.6),
                  ("Phê duyệt", LEADER, 0.2), ("Trả kết quả", ONE_STOP, 0.1))  # fmt: skip
        with transaction.atomic():
            process = ProcessTemplate.objects.create(procedure=procedure, legal_ref="Quy trình mẫu (thử tải)")
            ProcessStep.objects.bulk_create(
                ProcessStep(
                    process=process,
                    order=order,
                    name=name,
                    role=roles[role],
                    duration_hours=Decimal(max(1, round(total * share * 2)) / 2).quantize(Decimal("0.1")),
                )
                for order, (name, role, share) in enumerate(shares, 1)
            )
        return process

    def _fallback_catalog(self) -> None:
        self._log("catalog: no loader and no procedures: creating a bench catalog")
        roles = {r.code: r for r in Role.objects.all()}
        spec = (
            # code, field, name, amount, unit, fee (kind, amount, extra), components, steps
            ("BENCH.001", "ho-tich", "Đăng ký khai sinh", 0, "same_day", None,
             ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
             (("Tiếp nhận", ONE_STOP, "2"), ("Thẩm định", SPECIALIST, "2"), ("Phê duyệt", LEADER, "2"),
              ("Trả kết quả", ONE_STOP, "2"))),
            ("BENCH.002", "chung-thuc", "Chứng thực bản sao từ bản chính", 0, "same_day",
             ("per_page", 2000, {"tier_pages": 2, "next_amount": 1000, "cap": 200000}), ("Bản chính giấy tờ",),
             (("Tiếp nhận và chứng thực", ONE_STOP, "4"), ("Ký", LEADER, "2"), ("Trả kết quả", ONE_STOP, "2"))),
            ("BENCH.003", "ho-tich", "Cấp Giấy xác nhận tình trạng hôn nhân", 3, "working_days",
             ("fixed", 5000, {}), ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",),
             (("Tiếp nhận", ONE_STOP, "2"), ("Thẩm định", SPECIALIST, "12"), ("Phê duyệt", LEADER, "4"),
              ("Trả kết quả", ONE_STOP, "2"))),
            ("BENCH.004", "chung-thuc", "Chứng thực chữ ký trong giấy tờ, văn bản", 0, "same_day",
             ("per_case", 10000, {}), ("Giấy tờ, văn bản cần chứng thực chữ ký", "Giấy tờ tùy thân"),
             (("Tiếp nhận và chứng thực", ONE_STOP, "4"), ("Ký", LEADER, "2"), ("Trả kết quả", ONE_STOP, "2"))),
            ("BENCH.005", "ho-tich", "Đăng ký khai tử", 0, "same_day", None,
             ("Tờ khai đăng ký khai tử", "Giấy báo tử"),
             (("Tiếp nhận", ONE_STOP, "2"), ("Thẩm định", SPECIALIST, "2"), ("Phê duyệt", LEADER, "2"),
              ("Trả kết quả", ONE_STOP, "2"))),
            ("BENCH.006", "ho-tich", "Đăng ký kết hôn", 5, "working_days", None,
             ("Tờ khai đăng ký kết hôn",),
             (("Tiếp nhận", ONE_STOP, "4"), ("Thẩm định", SPECIALIST, "24"), ("Phê duyệt", LEADER, "8"),
              ("Trả kết quả", ONE_STOP, "4"))),
            ("BENCH.007", "ho-tich", "Cấp bản sao trích lục hộ tịch", 0, "same_day", ("per_case", 8000, {}),
             ("Tờ khai cấp bản sao trích lục hộ tịch",),
             (("Tiếp nhận", ONE_STOP, "2"), ("Ký", LEADER, "4"), ("Trả kết quả", ONE_STOP, "2"))),
            ("BENCH.008", "bao-tro-xa-hoi", "Trợ cấp xã hội hằng tháng", 10, "working_days", None,
             ("Tờ khai đề nghị trợ giúp xã hội",),
             (("Tiếp nhận", ONE_STOP, "4"), ("Thẩm định", SPECIALIST, "56"), ("Phê duyệt", LEADER, "16"),
              ("Trả kết quả", ONE_STOP, "4"))),
        )  # fmt: skip
        field_names = {"ho-tich": "Hộ tịch", "chung-thuc": "Chứng thực", "bao-tro-xa-hoi": "Bảo trợ xã hội"}
        with transaction.atomic():
            fields = {
                code: Field.objects.get_or_create(code=code, defaults={"name": name})[0]
                for code, name in field_names.items()
            }
            for code, field_code, name, amount, unit, fee, components, steps in spec:
                procedure = Procedure.objects.create(
                    code=code,
                    name=name,
                    name_folded=fold(name),
                    field=fields[field_code],
                    applicant_types=["citizen"],
                    time_limit_amount=amount,
                    time_limit_unit=unit,
                    online_level="full",
                    result_kind="document",
                    legal_basis="Dữ liệu thử tải",
                )
                Component.objects.bulk_create(
                    Component(procedure=procedure, order=i, name=c, is_mandatory=True, accepted_types=["pdf"])
                    for i, c in enumerate(components, 1)
                )
                if fee:
                    kind, fee_amount, extra = fee
                    FeeRule.objects.create(
                        procedure=procedure, name="Lệ phí", kind=kind, amount=fee_amount, legal_ref="NQ HĐND tỉnh",
                        **extra,
                    )  # fmt: skip
                    FeeExemption.objects.create(
                        procedure=procedure,
                        code="ho-ngheo",
                        reason="Người thuộc hộ nghèo",
                        legal_ref="NQ HĐND tỉnh",
                    )
                process = ProcessTemplate.objects.create(
                    procedure=procedure, legal_ref="Quy trình mẫu (thử tải)"
                )
                ProcessStep.objects.bulk_create(
                    ProcessStep(process=process, order=i, name=n, role=roles[r], duration_hours=Decimal(h))
                    for i, (n, r, h) in enumerate(steps, 1)
                )

    # --- dossiers --------------------------------------------------------------------------------

    def _reset(self, province, foreign: dict[str, int]) -> None:
        if foreign:
            raise CommandError("--reset empties whole tables: only on a database with bench data alone.")
        tables = [m._meta.db_table for m in MODELS]
        tables.append(DailySequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} CASCADE")
        self._log("dossier tables emptied")

    def _generate(self, communes, procs, weights, rng, options) -> None:
        n_total, days = options["dossiers"], options["days"]
        tz = ZoneInfo(settings.TIME_ZONE)
        now = timezone.now()
        today = now.astimezone(tz).date()
        first = today - timedelta(days=days)
        # Far enough ahead for every appointment the history can hold.
        clock_ = WorkClock(first, days + 400, tz)
        now_w = clock_.at(now)
        fill_days = [d for d in clock_.days if d < today]
        if not fill_days:
            raise CommandError("--days gives no working day before today.")

        commune_weights = [1.2 if c.no == 1 else 0.5 + rng.random() for c in communes]
        per_commune = _apportion(n_total, commune_weights)
        counts = []
        for n in per_commune:
            day_weights = [
                (1.15 if d.weekday() == 0 else 1.0) * (0.7 + 0.6 * rng.random()) for d in fill_days
            ]
            counts.append(_apportion(n, day_weights))

        writer = HistoryWriter(rng=rng, clock_=clock_, now_w=now_w, procs=procs, weights=weights)
        # On empty tables everything runs in one transaction without the secondary indexes and
        # foreign keys, which are rebuilt at the end (a failure rolls the drops back too). Otherwise
        # the rows go in with every constraint in place, one commit per batch (slower).
        empty = not Dossier.objects.exists()
        sequences = []
        started = time.monotonic()
        done = 0
        batch = options["batch"]
        with transaction.atomic() if empty else nullcontext():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {quote(DailySequence._meta.db_table)} WHERE agency_code LIKE %s",  # noqa: S608
                    ["000.%.00.B99"],
                )
                cursor.execute("SET maintenance_work_mem TO '1GB'")
                cursor.execute("SET work_mem TO '256MB'")
                deferred = drop_secondary(cursor, MODELS) if empty else []
            self._log(
                f"generating {n_total} dossiers over {len(fill_days)} working days (batches of {batch}"
                + (f"; {len(deferred)} indexes and constraints deferred)" if empty else ")")
            )
            for day_index, day in enumerate(fill_days):
                k = clock_.index[day]
                for ci, c in enumerate(communes):
                    n = counts[ci][day_index]
                    if not n:
                        continue
                    minutes = sorted(int(rng.random() * DAY) for _ in range(n))
                    for number, minute in enumerate(minutes, 1):
                        writer.add(c, k * DAY + minute, day, number)
                    sequences.append((c.code, day, n))
                    done += n
                if writer.pending >= batch:
                    writer.flush()
                    elapsed = time.monotonic() - started
                    self._log(
                        f"  {done:>9} dossiers  {elapsed:7.1f} s  {done / elapsed:8.0f} dossiers/s  (to {day})"
                    )
            writer.finish()
            copied = time.monotonic() - started
            with connection.cursor() as cursor:
                copy_rows(cursor, DailySequence, ("agency_code", "day", "last_value"), sequences)
                reset_sequence(cursor, DailySequence)
                self._log(
                    f"rows copied in {copied:.1f} s; rebuilding {len(deferred)} indexes and constraints"
                )
                for label, sql in deferred:
                    step_started = time.monotonic()
                    cursor.execute(sql)
                    if self.verbosity > 1:
                        self._log(f"  {label}: {time.monotonic() - step_started:.1f} s")
            self._log(f"rebuilt in {time.monotonic() - started - copied:.1f} s; committing")
        elapsed = time.monotonic() - started
        rows = sum(writer.written.values()) + len(sequences)
        self._log(
            f"generated {done} dossiers, {rows} rows in {elapsed:.1f} s: {done / elapsed:.0f} dossiers/s, "
            f"{rows / elapsed:.0f} rows/s"
        )
        self._log("  rows: " + ", ".join(f"{name} {n}" for name, n in writer.written.items()))
        labels = dict(DossierStatus.choices)
        self._log(
            "  statuses: "
            + ", ".join(f"{s} {labels[s]} {n}" for s, n in sorted(writer.status_counts.items()))
        )

    def _analyze(self) -> None:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._log(f"ANALYZE in {time.monotonic() - started:.1f} s")
