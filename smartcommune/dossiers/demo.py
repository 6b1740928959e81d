"""Demo dossiers for `seed_demo`: a few weeks of one-stop work in the first communes, taken
through the real services (codes, fees, steps, events and audit entries are all genuine), each
action dated when it would have happened (core.clock), so histories and control slips read true.

Idempotent: a commune that already has dossiers is left alone.
"""

import random
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from smartcommune.catalog.models import Procedure
from smartcommune.catalog.selectors import process_for
from smartcommune.core import clock
from smartcommune.directory.models import Citizen, OrgUnit, User
from smartcommune.workdays import engine

from . import deadlines
from .models import Dossier
from .services import processing as p
from .services.intake import ComponentIn, FeeIn, dossier_receive

# The procedures a commune sees most, with how far each demo dossier gets.
_PLAN = (
    ("1.001193", "returned"),  # birth registration, same day
    ("2.000815", "returned"),  # certified copy, fee per page
    ("1.004873", "processing"),  # marital status certification
    ("1.004873", "supplement"),
    ("2.000815", "unpaid"),
    ("1.001193", "received"),
    ("1.004873", "approved"),
    ("1.004873", "late"),
    ("2.000884", "returned"),  # signature certification
    ("1.000656", "withdrawn"),  # death registration
    ("1.004873", "apology"),
    ("1.001022", "refused"),  # recognition of parentage
)


def _officials(commune: OrgUnit) -> dict[str, User]:
    wanted = {"one_stop_officer": None, "specialist": None, "commune_leader": None}
    for user in User.objects.filter(grants__org_unit=commune, grants__role__code__in=wanted).distinct():
        for grant in user.grants.select_related("role"):
            if grant.role.code in wanted and wanted[grant.role.code] is None:
                wanted[grant.role.code] = user
    return wanted


# Where these plans leave a dossier, it waits at a step: received lately, so that a worklist shows
# dossiers in time and due soon beside the overdue ones.
_WAITING = {"received", "unpaid", "processing", "supplement", "approved", "apology"}


def _last_working_moment(rules, now: datetime) -> datetime:
    """The latest moment in office hours before `now` (a little before the last close)."""
    local = engine.to_local(now)
    if engine.is_working_moment(rules, local):
        return local
    day = local.date()
    if not (engine.is_working_day(rules, day) and local >= engine.close_of(rules, day)):
        day -= timedelta(days=1)
        while not engine.is_working_day(rules, day):
            day -= timedelta(days=1)
    return engine.close_of(rules, day) - timedelta(minutes=10)


def _received_at(rules, days_ago: int, rng: random.Random, latest: datetime) -> datetime:
    """A reception `days_ago` days before `latest` (the last working moment before the seed runs),
    moved into office hours; 0: in the last working hours."""
    if days_ago == 0:
        earlier = max(latest - timedelta(hours=rng.uniform(0.5, 3)), engine.opening_of(rules, latest.date()))
        return engine.next_working_moment(rules, earlier)  # not over the lunch break
    moment = latest - timedelta(days=days_ago)
    moment = moment.replace(hour=rng.choice((8, 9, 10, 14, 15)), minute=rng.choice((5, 20, 40)))
    return min(engine.next_working_moment(rules, moment), latest)


def _components(procedure: Procedure) -> list[ComponentIn]:
    return [ComponentIn(c, originals=1) for c in procedure.components.all() if c.is_mandatory]


class _Story:
    """When a demo dossier's actions happen: each a little way from the last towards the dossier's
    due time, in office hours, so that most finish on time; none after the moment the seed runs."""

    def __init__(self, rules, received_at: datetime, latest: datetime, rng: random.Random):
        self.rules, self.rng, self.moment, self.latest = rules, rng, received_at, latest

    def next(self, due_at: datetime) -> datetime:
        span = max(due_at - self.moment, timedelta(hours=1))
        moment = self.moment + span * self.rng.uniform(0.15, 0.35)
        if not engine.is_working_moment(self.rules, moment):
            # Not at the opening bell every time: a while into the next office period.
            opening = engine.next_working_moment(self.rules, moment)
            moment = engine.add_working_hours(self.rules, opening, self.rng.uniform(0.2, 1.5))
        return self._reach(moment)

    def late(self, due_at: datetime) -> datetime:
        """One to three working days after the due time (the late dossier's result)."""
        return self._reach(
            engine.add_working_hours(self.rules, max(due_at, self.moment), self.rng.uniform(8, 24))
        )

    def _reach(self, moment: datetime) -> datetime:
        self.moment = min(moment, max(self.latest, self.moment))
        return self.moment


def _advance(d: Dossier, plan: str, people: dict, rng: random.Random, story: _Story) -> None:
    officer, leader = people["one_stop_officer"], people["commune_leader"]

    def then(action, **kwargs):
        with clock.at(story.next(d.due_at)):
            return action(dossier=d, version=d.version, **kwargs)

    if plan in ("received", "unpaid"):
        return
    if plan == "withdrawn":
        then(p.dossier_withdraw, actor=officer, reason="Công dân xin rút hồ sơ để bổ sung giấy tờ")
        return
    d = then(p.dossier_forward, actor=officer)
    if plan == "processing":
        return
    if plan == "supplement":
        then(
            p.dossier_request_supplement,
            actor=d.current_assignee,
            items="Bản sao giấy xác nhận nơi cư trú",
            reason="Thiếu giấy tờ chứng minh nơi cư trú",
        )
        return
    if plan == "refused":
        then(
            p.dossier_refuse, actor=leader, reason="Người yêu cầu không thuộc trường hợp được đăng ký tại xã"
        )
        return
    if plan == "apology":
        rules = deadlines.rules_for(d.org_unit)
        new_due = engine.next_working_moment(rules, d.due_at + timedelta(days=3))
        then(
            p.dossier_apologize,
            actor=leader,
            reason="Cần xác minh thêm thông tin tại nơi cư trú trước đây",
            new_due_at=new_due,
        )
        return
    while d.current_step and d.current_step.role_code != "commune_leader":
        d = then(p.dossier_forward, actor=d.current_assignee)
    d = then(p.dossier_approve, actor=leader)
    if plan == "approved":
        return
    # Results are recorded as documents where the procedure issues one; the demo file is a tiny PDF.
    result = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n% SmartCommune demo result\n%%EOF\n")
    with clock.at(story.late(d.due_at) if plan == "late" else story.next(d.due_at)):
        d = p.dossier_record_result(
            dossier=d,
            actor=officer,
            version=d.version,
            result_file=result if d.procedure.result_kind == "document" else None,
        )
    then(p.dossier_return_result, actor=officer, method=rng.choice(("counter", "online")))


def seed_demo_dossiers(*, communes: list[OrgUnit], now: datetime | None = None) -> int:
    """Create the demo dossiers; returns how many were created."""
    now = now or timezone.now()
    rng = random.Random(766)
    procedures = {pr.code: pr for pr in Procedure.objects.filter(code__in={c for c, _ in _PLAN})}
    created = 0
    for commune in communes:
        if Dossier.objects.filter(org_unit=commune).exists():
            continue
        people = _officials(commune)
        citizens = list(Citizen.objects.filter(home_unit__path__startswith=commune.path).order_by("pk")[:40])
        if None in people.values() or not citizens:
            continue
        rules = deadlines.rules_for(commune)
        latest = _last_working_moment(rules, now)
        for i, (code, plan) in enumerate(_PLAN):
            procedure = procedures.get(code)
            if procedure is None or process_for(procedure, commune) is None:
                continue
            days_ago = 40 if plan == "late" else rng.randint(0, 2) if plan in _WAITING else rng.randint(1, 20)
            received_at = _received_at(rules, days_ago, rng, latest)
            with transaction.atomic(), clock.at(received_at):
                d = dossier_receive(
                    actor=people["one_stop_officer"],
                    org_unit=commune,
                    procedure=procedure,
                    citizen=citizens[i % len(citizens)],
                    components=_components(procedure),
                    fee_in=FeeIn(pages=rng.randint(1, 6), copies=rng.randint(1, 3)),
                    cash_receipt_number="" if plan == "unpaid" else f"DEMO-{commune.code}-{i + 1:03d}",
                    received_at=received_at,
                )
                _advance(d, plan, people, rng, _Story(rules, received_at, latest, rng))
            created += 1
    return created
