"""The benchmark generator (`manage.py bench_fill`): its working-time arithmetic and, on PostgreSQL,
a small fill whose rows keep the app's invariants (codes per agency and day, the daily sequences,
every constraint back in place, where open dossiers stand)."""

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from smartcommune.directory.factories import make_province
from smartcommune.dossiers.choices import OPEN_STATUSES, DossierStatus
from smartcommune.dossiers.management.bench_history import DAY, WorkClock
from smartcommune.dossiers.management.commands.bench_fill import _apportion
from smartcommune.dossiers.models import DailySequence, Dossier, SupplementRequest
from smartcommune.dossiers.services.codes import format_code
from smartcommune.workdays.engine import to_local

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_working_minutes_fall_in_office_hours_and_skip_weekends():
    clock = WorkClock(date(2026, 8, 13), 10, VN)  # a Thursday
    assert clock.moment(0) == datetime(2026, 8, 13, 7, 30, tzinfo=VN)
    assert clock.moment(239) == datetime(2026, 8, 13, 11, 29, tzinfo=VN)
    assert clock.moment(240) == datetime(2026, 8, 13, 13, 30, tzinfo=VN)
    assert clock.moment(2 * DAY) == datetime(2026, 8, 17, 7, 30, tzinfo=VN)  # Thursday, Friday, Monday


def test_moments_outside_office_hours_move_to_the_next_working_minute():
    clock = WorkClock(date(2026, 8, 13), 10, VN)
    assert clock.at(datetime(2026, 8, 13, 12, 0, tzinfo=VN)) == 240  # lunch: 13:30
    assert clock.at(datetime(2026, 8, 15, 10, 0, tzinfo=VN)) == 2 * DAY  # Saturday: Monday 07:30
    assert clock.at(clock.moment(DAY + 300)) == DAY + 300


def test_apportion_keeps_the_total():
    assert sum(_apportion(1001, [0.3, 1.2, 0.7])) == 1001
    assert _apportion(10, [1, 1]) == [5, 5]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_small_fill_keeps_the_invariants_and_runs_once():
    if connection.vendor != "postgresql":
        pytest.skip("bench_fill writes with PostgreSQL COPY")

    call_command("bench_fill", dossiers=400, communes=2, villages=1, citizens=30, verbosity=0)

    dossiers = list(Dossier.objects.all())
    assert len(dossiers) == 400
    for d in dossiers:
        assert d.code == format_code(d.agency_code, to_local(d.received_at).date(), d.ledger_number)
        assert (d.current_assignee_id is not None) == (d.status in OPEN_STATUSES | {DossierStatus.PROCESSED})
    per_day = Counter((d.agency_code, to_local(d.received_at).date()) for d in dossiers)
    assert {(s.agency_code, s.day): s.last_value for s in DailySequence.objects.all()} == per_day
    waiting = Dossier.objects.filter(status=DossierStatus.SUPPLEMENT_REQUESTED)
    assert (
        SupplementRequest.objects.filter(dossier__in=waiting, completed_at__isnull=True).count()
        == waiting.count()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'dossiers_dossierevent'::regclass AND contype = 'f'"
        )
        assert cursor.fetchone()[0] == 3
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'dossier_assignee_due_idx'")
        assert cursor.fetchone()[0] == 1

    call_command("bench_fill", dossiers=400, communes=2, villages=1, citizens=30, verbosity=0)
    assert Dossier.objects.count() == 400

    make_province(code="000.00.00.H18")
    with pytest.raises(CommandError, match="outside the bench province"):
        call_command("bench_fill", dossiers=400, communes=2, villages=1, citizens=30, verbosity=0)
