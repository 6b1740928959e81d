"""The dossier history behind `manage.py bench_fill`: a small simulation per dossier, written as
PostgreSQL COPY text. Benchmark data only.

Time is approximated for speed (not the workdays engine): working days are Monday to Friday
(holidays and make-up Saturdays ignored) with the engine's default office hours, 07:30-11:30 and
13:30-17:00. A moment is an integer count of working minutes (workday index * DAY + minute of the
working day), so that adding working days or hours is an addition and every written moment lies
in office hours. A limit of N working days falls on the same clock time N working days later; a
same-day procedure at the close of the day (of the next working day after the 15:00 cut-off).
"""

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from smartcommune.catalog.choices import TimeLimitUnit
from smartcommune.catalog.fees import FeeSchedule, assess_fees

from ..choices import DossierStatus, EventKind
from ..models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierStep,
    FeeLine,
    Payment,
    SupplementRequest,
)
from ..services.codes import format_code

DAY = 450  # working minutes a day: 07:30-11:30 (240) and 13:30-17:00 (210)
MORNING = 240
LUNCH = 120
CUTOFF = MORNING + 90  # 15:00, the same-day cut-off
NEVER = 1 << 40
NULL = "\\N"

ONE_STOP, LEADER = "one_stop_officer", "commune_leader"

# Plain values: the text written to COPY.
RECEIVED, PROCESSING, SUPPLEMENT, AWAITING_PAYMENT = 2, 4, 5, 6
WITHDRAWN, STOPPED, PROCESSED, RETURNED = 7, 8, 9, 10
assert (RECEIVED, PROCESSING, SUPPLEMENT, AWAITING_PAYMENT, WITHDRAWN, STOPPED, PROCESSED, RETURNED) == (
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.PROCESSED,
    DossierStatus.RETURNED,
)
WRITTEN_KINDS = (
    *("received", "paid", "forwarded", "approved", "supplement_requested", "supplemented"),
    *("refused", "withdrawn", "result_recorded", "returned"),
)
assert set(WRITTEN_KINDS) <= set(EventKind.values)  # the event kinds written below, as text

STOP_REASON = "Không đủ điều kiện giải quyết theo quy định (dữ liệu thử tải)."
WITHDRAW_REASON = "Người nộp đề nghị rút hồ sơ (dữ liệu thử tải)."
SUPPLEMENT_ITEMS = "Bổ sung bản sao giấy tờ còn thiếu (dữ liệu thử tải)."
SUPPLEMENT_REASON = "Thành phần hồ sơ chưa đầy đủ."

# Version-4 UUIDs from the seeded generator: fixed version and variant bits.
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def copy_text(value) -> str:
    """A value as a field of COPY's text format."""
    if value is None:
        return NULL
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def copy_rows(cursor, model, columns, rows) -> None:
    """COPY tuples (psycopg formats them)."""
    if not rows:
        return
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def copy_lines(cursor, model, columns, lines: list[str]) -> None:
    """COPY lines already in the text format (tab-separated, \\N for NULL, newline-terminated)."""
    if not lines:
        return
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.copy(sql) as copy:
        for start in range(0, len(lines), 20_000):
            copy.write("".join(lines[start : start + 20_000]))


def reset_sequence(cursor, model) -> None:
    """Move the id sequence past the ids COPY wrote."""
    table = model._meta.db_table
    sql = (
        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT MAX(id) FROM {quote(table)}), 1))"  # noqa: S608
    )
    cursor.execute(sql, [table])


def drop_secondary(cursor, models) -> list[tuple[str, str]]:
    """Drop the tables' foreign keys, unique constraints and secondary indexes (not the primary
    keys); return (name, statement) pairs that put them back, in the order to run them."""
    tables = [m._meta.db_table for m in models]
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY conname",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
        "SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) "
        "ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _kind, _definition in sorted(constraints, key=lambda c: c[2] != "f"):
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    unique = [(n, f"ALTER TABLE {t} ADD CONSTRAINT {quote(n)} {d}") for t, n, k, d in constraints if k == "u"]
    foreign = [
        (n, f"ALTER TABLE {t} ADD CONSTRAINT {quote(n)} {d}") for t, n, k, d in constraints if k == "f"
    ]
    return [*unique, *indexes, *foreign]


class WorkClock:
    """Monday-to-Friday working days from `first` on, and the moments of their office minutes."""

    def __init__(self, first: date, days: int, tz: ZoneInfo):
        self.days: list[date] = []
        self.opening: list[int] = []
        self.index: dict[date, int] = {}
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day.weekday() < 5:
                self.index[day] = len(self.days)
                self.days.append(day)
                self.opening.append(int(datetime.combine(day, clock(7, 30), tzinfo=tz).timestamp()))
        self._tz = tz
        self._last = len(self.days) - 1

    def moment(self, w: int) -> datetime:
        k, m = divmod(w, DAY)
        if k > self._last:
            k, m = self._last, DAY - 1
        return datetime.fromtimestamp(self.opening[k] + (m if m < MORNING else m + LUNCH) * 60, UTC)

    def at(self, moment: datetime) -> int:
        """The working-minute count of `moment`, moved forward into office hours."""
        local = moment.astimezone(self._tz)
        day = local.date()
        while day not in self.index:
            day += timedelta(days=1)
            local = datetime.combine(day, clock(0), tzinfo=self._tz)
        k = self.index[day]
        minute = (local.hour * 60 + local.minute) - (7 * 60 + 30)
        if minute < 0:
            return k * DAY
        if minute < MORNING:
            return k * DAY + minute
        if minute < MORNING + LUNCH:
            return k * DAY + MORNING
        return k * DAY + min(minute - LUNCH, DAY)


@dataclass
class StepPlan:
    order: int
    name: str
    role: str
    hours: Decimal
    minutes: int
    route_to: int | None


@dataclass
class ProcPlan:
    id: int
    amount: int
    unit: str
    steps: list[StepPlan]
    components: list[tuple]  # (component id, name, originals, copies)
    schedule: FeeSchedule
    pages: bool
    cases: bool
    exemptions: tuple[str, ...]


@dataclass
class CommuneRef:
    no: int
    id: int
    code: str
    path: str
    staff: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # Pre-formatted COPY text from citizen_id to submitted_by_name, one per possible applicant.
    citizens: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)


def applicant_text(citizen_id, organisation_id, name, folded, id_number, phone, address) -> str:
    return "\t".join(
        copy_text(v) for v in (citizen_id, organisation_id, name, folded, id_number, phone, "", address, "")
    )


TABLES = (
    (Dossier, "dossiers", (
        "id", "public_id", "code", "procedure_id", "org_unit_id", "agency_code", "citizen_id", "organisation_id",
        "applicant_name", "applicant_name_folded", "applicant_id_number", "applicant_phone", "applicant_email",
        "applicant_address", "submitted_by_name", "channel", "status", "needs_verification", "legal_amount",
        "legal_unit", "received_at", "deemed_received_at", "due_at", "original_due_at", "current_step_id",
        "current_assignee_id", "fee_total", "fee_exempt_reason", "supplement_count", "processed_at",
        "returned_at", "return_method", "receipt_confirmed_at", "stopped_at", "stop_reason", "approved_by_id",
        "approved_at", "ledger_number", "client_token", "received_by_id", "version", "created_at", "updated_at",
    )),
    (DossierStep, "steps", (
        "id", "dossier_id", "order", "name", "role_code", "org_unit_id", "assignee_id", "duration_hours",
        "started_at", "due_at", "finished_at", "outcome_note",
    )),
    (DossierEvent, "events", (
        "id", "dossier_id", "kind", "at", "actor_id", "from_status", "to_status", "step_id", "note", "data",
    )),
    (DossierComponent, "components", ("id", "dossier_id", "component_id", "name", "originals", "copies")),
    (FeeLine, "fee_lines", ("id", "dossier_id", "fee_rule_id", "description", "quantity", "unit_amount", "amount")),
    (Payment, "payments", ("id", "dossier_id", "method", "amount", "reference", "paid_at", "recorded_by_id")),
    (SupplementRequest, "supplements", (
        "id", "dossier_id", "items", "reason", "requested_at", "requested_by_id", "completed_at", "is_repeat",
    )),
)  # fmt: skip
MODELS = tuple(model for model, _name, _columns in TABLES)


@dataclass
class _Proc:
    """A ProcPlan with its COPY text prepared once."""

    plan: ProcPlan
    id: int
    limit_text: str  # legal_amount \t legal_unit
    steps: list[tuple]  # (order, name text, role, hours text, minutes, route_to, is_leader)
    components: list[str]  # component_id \t name \t originals \t copies
    is_one_stop_first: bool


class HistoryWriter:
    """Builds each dossier's rows from a small simulation of its life and COPYs them in batches.

    Fates: 1.5 % refused after appraisal, 0.5 % withdrawn, 1 % stuck at a step (overdue, a third of
    those waiting for supplements), 4 % with one supplement round that pauses the clock, 6 % late at
    one step, 12 % of fee-paying dossiers paid after reception; the rest run their steps in 10-95 %
    of the planned time and are returned 0-3 working days after processing. Where a dossier stands
    is decided by `now`: recent ones are still open.
    """

    def __init__(self, *, rng: random.Random, clock_: WorkClock, now_w: int, procs, weights):
        self.rng, self.clock, self.now_w = rng, clock_, now_w
        total, acc = sum(weights), 0.0
        self.cumulative = []
        for w in weights:
            acc += w / total
            self.cumulative.append(acc)
        self.procs = [self._prepare(p) for p in procs]
        self.rows = {name: [] for _m, name, _c in TABLES}
        self.written = dict.fromkeys(self.rows, 0)
        self.next_id = {name: self._start_id(model) for model, name, _c in TABLES}
        self.fee_cache: dict[tuple, tuple] = {}
        self.status_counts: dict[int, int] = {}
        self.assessed_on = timezone.localdate()
        self._stamps: dict[int, str] = {}

    @staticmethod
    def _prepare(p: ProcPlan) -> _Proc:
        return _Proc(
            plan=p,
            id=p.id,
            limit_text=f"{p.amount}\t{copy_text(p.unit)}",
            steps=[
                (
                    s.order,
                    copy_text(s.name),
                    s.role,
                    copy_text(s.hours),
                    s.minutes,
                    s.route_to,
                    s.role == LEADER,
                )
                for s in p.steps
            ],
            components=[
                f"{cid}\t{copy_text(name)}\t{originals}\t{copies}"
                for cid, name, originals, copies in p.components
            ],
            is_one_stop_first=p.steps[0].role == ONE_STOP,
        )

    @staticmethod
    def _start_id(model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {quote(model._meta.db_table)}")  # noqa: S608
            return cursor.fetchone()[0]

    def _t(self, w: int) -> str:
        stamp = self._stamps.get(w)
        if stamp is None:
            stamp = self._stamps[w] = self.clock.moment(w).isoformat(sep=" ")
        return stamp

    def _fees(self, proc: _Proc, channel: int) -> tuple:
        rnd = self.rng.random
        plan = proc.plan
        pages = 1 + int(rnd() * 4) if plan.pages else 0
        copies = 1 + int(rnd() * 3) if plan.pages else 1
        cases = 1 + int(rnd() * 2) if plan.cases else 1
        exemption = plan.exemptions[0] if plan.exemptions and rnd() < 0.05 else None
        key = (proc.id, channel, pages, copies, cases, exemption)
        cached = self.fee_cache.get(key)
        if cached is None:
            assessment = assess_fees(
                plan.schedule,
                on=self.assessed_on,
                channel={1: "counter", 2: "online", 3: "post"}[channel],
                pages=pages,
                copies=copies,
                cases=cases,
                exemption_code=exemption,
            )
            lines = [
                f"{copy_text(ln.rule_id)}\t{copy_text(ln.description)}\t{ln.quantity}\t{ln.unit_amount}\t{ln.amount}"
                for ln in assessment.lines
            ]
            cached = (assessment.total, lines, copy_text(assessment.exempt_reason or ""))
            self.fee_cache[key] = cached
        return cached

    @property
    def pending(self) -> int:
        return len(self.rows["dossiers"])

    def add(self, c: CommuneRef, w0: int, day: date, number: int) -> None:
        """Simulate one dossier received at working moment `w0` with its day's `number`."""
        rnd = self.rng.random
        t = self._t
        now = self.now_w
        ids = self.next_id
        rows = self.rows
        did = ids["dossiers"]
        ids["dossiers"] += 1
        p = self.procs[bisect_right(self.cumulative, rnd())] if len(self.procs) > 1 else self.procs[0]

        r = rnd()
        channel = 1 if r < 0.72 else (2 if r < 0.95 else 3)
        if c.organisations and rnd() < 0.03:
            applicant = c.organisations[int(rnd() * len(c.organisations))]
        else:
            applicant = c.citizens[int(rnd() * len(c.citizens))]

        unit = p.plan.unit
        if unit == TimeLimitUnit.WORKING_DAYS:
            due = w0 + p.plan.amount * DAY
        elif unit == TimeLimitUnit.WORKING_HOURS:
            due = w0 + p.plan.amount * 60
        else:  # same day: the close of the day, of the next one after the cut-off
            due = (w0 // DAY + (0 if w0 % DAY < CUTOFF else 1)) * DAY + DAY - 1
        original_due = due
        fee_total, fee_lines, exempt_reason = self._fees(p, channel)
        unpaid = fee_total > 0 and rnd() < 0.12
        paid_w = w0 + 15 + int(rnd() * 2 * DAY) if unpaid else w0

        steps = p.steps
        last = len(steps) - 1
        fate = rnd()
        stop_at = min(1, last) if fate < 0.015 else -1
        withdraw_at = int(rnd() * min(2, last + 1)) if 0.015 <= fate < 0.02 else -1
        stuck_at = int(rnd() * (last + 1)) if 0.02 <= fate < 0.03 else -1
        late_at = int(rnd() * (last + 1)) if rnd() < 0.06 else -1
        supp_at, pause = -1, 0
        if stuck_at >= 1 and rnd() < 0.3:
            supp_at, pause = stuck_at, NEVER
        elif last >= 1 and rnd() < 0.04:
            supp_at, pause = 1, (1 + int(rnd() * 8)) * DAY

        staff = c.staff
        assignees = []
        for _order, _name, role, _hours, _minutes, route_to, _leader in steps:
            pool = staff.get(role) if route_to is None else None
            assignees.append(pool[int(rnd() * len(pool))] if pool else (NULL, ""))
        if p.is_one_stop_first and assignees[0][0] != NULL:
            receiver = assignees[0][0]
        else:
            pool = staff[ONE_STOP]
            receiver = pool[int(rnd() * len(pool))][0]

        events = rows["events"]
        step_rows = rows["steps"]
        eid = ids["events"]
        status = AWAITING_PAYMENT if unpaid else RECEIVED
        t0 = t(w0)
        events.append(
            f"{eid}\t{did}\treceived\t{t0}\t{receiver}\t\\N\t{status}\t{ids['steps']}\t\t"
            f'{{"fee_total": {fee_total}, "channel": {channel}}}\n'
        )
        eid += 1
        last_w = w0
        if unpaid and paid_w <= now:
            events.append(f"{eid}\t{did}\tpaid\t{t(paid_w)}\t{receiver}\t{status}\t{RECEIVED}\t\\N\t\t{{}}\n")
            eid += 1
            status, last_w = RECEIVED, paid_w

        current_sid = current_assignee = NULL
        approved_by = approved_at = processed = returned = stopped = NULL
        stop_reason = return_method = ""
        supp_count = 0
        start = w0
        for i, (order, name, role, hours, planned, route_to, is_leader) in enumerate(steps):
            sid = ids["steps"]
            ids["steps"] += 1
            assignee = assignees[i][0]
            if i == late_at:
                end = start + int(planned * (1.1 + 1.5 * rnd())) + 5
            else:
                end = start + int(planned * (0.1 + 0.85 * rnd())) + 5
            if i == 0 and unpaid:
                end = max(end, paid_w + 5)
            if i == stuck_at:
                end = NEVER
            step_due = start + planned
            in_supplement = False
            if i == supp_at:
                requested = start + (planned // 3 if end == NEVER else (end - start) // 2)
                completed = requested + pause
                if pause != NEVER:  # Decree 61 art. 19: the clock pauses while supplements are awaited
                    end += pause
                    step_due += pause
                    due += pause
                if requested <= now:
                    supp_count = 1
                    supp_done = completed <= now
                    rows["supplements"].append(
                        f"{ids['supplements']}\t{did}\t{SUPPLEMENT_ITEMS}\t{SUPPLEMENT_REASON}\t{t(requested)}\t"
                        f"{assignee}\t{t(completed) if supp_done else NULL}\tf\n"
                    )
                    ids["supplements"] += 1
                    events.append(
                        f"{eid}\t{did}\tsupplement_requested\t{t(requested)}\t{assignee}\t{status}\t{SUPPLEMENT}\t"
                        f"\\N\t{SUPPLEMENT_ITEMS}\t{{}}\n"
                    )
                    eid += 1
                    last_w = requested
                    if supp_done:
                        events.append(
                            f"{eid}\t{did}\tsupplemented\t{t(completed)}\t{receiver}\t{SUPPLEMENT}\t{PROCESSING}\t"
                            "\\N\t\t{}\n"
                        )
                        eid += 1
                        status, last_w = PROCESSING, completed
                    else:
                        status, in_supplement = SUPPLEMENT, True
            withdrawn_w = start + (min(end, start + planned) - start) // 2 if i == withdraw_at else NEVER
            finish = min(end, withdrawn_w)
            done = finish <= now
            step_rows.append(
                f"{sid}\t{did}\t{order}\t{name}\t{role}\t{route_to or c.id}\t{assignee}\t{hours}\t{t(start)}\t"
                f"{t(step_due)}\t{t(finish) if done else NULL}\t\n"
            )
            current_sid = sid
            if not done:
                current_assignee = assignee
                if not in_supplement and i:
                    status = PROCESSING
                elif not in_supplement:
                    status = AWAITING_PAYMENT if unpaid and now < paid_w else RECEIVED
                break
            if withdrawn_w <= end:
                events.append(
                    f"{eid}\t{did}\twithdrawn\t{t(withdrawn_w)}\t{receiver}\t{status}\t{WITHDRAWN}\t\\N\t"
                    f"{WITHDRAW_REASON}\t{{}}\n"
                )
                eid += 1
                status, stopped, stop_reason, last_w = WITHDRAWN, t(withdrawn_w), WITHDRAW_REASON, withdrawn_w
                break
            if i == stop_at:
                events.append(
                    f"{eid}\t{did}\trefused\t{t(end)}\t{assignee}\t{status}\t{STOPPED}\t\\N\t{STOP_REASON}\t{{}}\n"
                )
                eid += 1
                status, stopped, stop_reason, last_w = STOPPED, t(end), STOP_REASON, end
                break
            if i == last:
                processed = t(end)
                events.append(
                    f"{eid}\t{did}\tresult_recorded\t{processed}\t{assignee}\t{status}\t{PROCESSED}\t\\N\t\t{{}}\n"
                )
                eid += 1
                status, last_w = PROCESSED, end
                returned_w = end + 30 + int(rnd() * 3 * DAY)
                if returned_w <= now:
                    if channel == 2 and rnd() < 0.6:
                        return_method = "online"
                    else:
                        return_method = "post" if channel == 3 else "counter"
                    returned = t(returned_w)
                    events.append(
                        f"{eid}\t{did}\treturned\t{returned}\t{receiver}\t{PROCESSED}\t{RETURNED}\t\\N\t\t"
                        f'{{"method": "{return_method}"}}\n'
                    )
                    eid += 1
                    status, last_w = RETURNED, returned_w
                else:
                    current_assignee = assignee
                break
            if is_leader:
                approved_by, approved_at = assignee, t(end)
                events.append(
                    f"{eid}\t{did}\tapproved\t{approved_at}\t{assignee}\t{status}\t{PROCESSING}\t{ids['steps']}\t\t{{}}\n"
                )
            else:
                events.append(
                    f"{eid}\t{did}\tforwarded\t{t(end)}\t{assignee}\t{status}\t{PROCESSING}\t{ids['steps']}\t\t"
                    f'{{"to": "{assignees[i + 1][1]}"}}\n'
                )
            eid += 1
            status, last_w, start = PROCESSING, end, end

        version = 1 + eid - ids["events"]  # intake saves version 1, every recorded event adds one
        ids["events"] = eid
        if fee_total and paid_w <= now:
            rows["payments"].append(
                f"{ids['payments']}\t{did}\tcash\t{fee_total}\tBENCH-{did}\t{t(paid_w)}\t{receiver}\n"
            )
            ids["payments"] += 1
        fee_rows = rows["fee_lines"]
        for line in fee_lines:
            fee_rows.append(f"{ids['fee_lines']}\t{did}\t{line}\n")
            ids["fee_lines"] += 1
        component_rows = rows["components"]
        for component in p.components:
            component_rows.append(f"{ids['components']}\t{did}\t{component}\n")
            ids["components"] += 1
        self.status_counts[status] = self.status_counts.get(status, 0) + 1
        public_id = f"{(self.rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"
        rows["dossiers"].append(
            f"{did}\t{public_id}\t{format_code(c.code, day, number)}\t{p.id}\t{c.id}\t{c.code}\t{applicant}\t"
            f"{channel}\t{status}\tf\t{p.limit_text}\t{t0}\t{t0}\t{t(due)}\t{t(original_due)}\t{current_sid}\t"
            f"{current_assignee}\t{fee_total}\t{exempt_reason}\t{supp_count}\t{processed}\t{returned}\t"
            f"{return_method}\t\\N\t{stopped}\t{stop_reason}\t{approved_by}\t{approved_at}\t{number}\t\\N\t"
            f"{receiver}\t{version}\t{t0}\t{t(last_w)}\n"
        )

    def flush(self) -> None:
        if not self.pending:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for model, name, columns in TABLES:
                copy_lines(cursor, model, columns, self.rows[name])
        for name, rows in self.rows.items():
            self.written[name] += len(rows)
            rows.clear()

    def finish(self) -> None:
        self.flush()
        with connection.cursor() as cursor:
            for model in MODELS:
                reset_sequence(cursor, model)
