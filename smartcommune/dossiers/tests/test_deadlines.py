from datetime import timedelta

import pytest

from smartcommune.dossiers import deadlines
from smartcommune.dossiers.choices import DossierStatus, DueState
from smartcommune.workdays import engine

from .conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(org):
    return deadlines.rules_for(org.muong_dun)


@pytest.mark.parametrize(
    ("finished", "state"),
    [
        (vn(2026, 8, 17, 16, 0), DueState.EARLY),
        (vn(2026, 8, 18, 9, 0), DueState.ON_TIME),
        (vn(2026, 8, 18, 16, 30), DueState.ON_TIME),  # on the due day counts as on time (§1.7)
        (vn(2026, 8, 19, 8, 0), DueState.LATE),
    ],
)
def test_finished_dossiers_are_early_on_time_or_late_by_day(rules, finished, state):
    assert (
        deadlines.due_state(
            rules,
            status=DossierStatus.PROCESSED,
            due_at=vn(2026, 8, 18, 10, 20),
            finished_at=finished,
            now=finished,
        )
        == state
    )


def test_open_dossiers_are_in_time_due_soon_overdue_or_paused(rules):
    due = vn(2026, 8, 18, 10, 20)
    state = lambda now, status=DossierStatus.PROCESSING: deadlines.due_state(  # noqa: E731
        rules, status=status, due_at=due, finished_at=None, now=now
    )
    assert state(vn(2026, 8, 14, 9, 0)) == DueState.IN_TIME
    assert state(vn(2026, 8, 17, 11, 0)) == DueState.DUE_SOON  # within one working day
    assert state(vn(2026, 8, 18, 10, 21)) == DueState.OVERDUE
    assert state(vn(2026, 8, 20, 9, 0), DossierStatus.SUPPLEMENT_REQUESTED) == DueState.PAUSED


def test_verification_extends_the_limit(catalog):
    catalog.marital.verification_extension_days = 5
    assert deadlines.legal_amount(catalog.marital, True) == 8
    assert deadlines.legal_amount(catalog.marital, False) == 3
    catalog.copy.verification_extension_days = 3
    assert (deadlines.legal_amount(catalog.copy, True), deadlines.legal_unit(catalog.copy, True)) == (
        3,
        "working_days",
    )


def test_step_due_counts_working_hours(rules):
    assert deadlines.step_due(rules, vn(2026, 8, 13, 10, 20), 2) == vn(2026, 8, 13, 14, 20)
    assert engine.working_time_between(rules, vn(2026, 8, 13, 10, 20), vn(2026, 8, 13, 14, 20)) == timedelta(
        hours=2
    )
