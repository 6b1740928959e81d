from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.celery import app
from smartcommune.core.scheduler import EmbeddedScheduler

pytestmark = pytest.mark.django_db


def test_periodic_jobs_are_declared_in_code():
    app.loader.import_default_modules()
    names = set(app.conf.beat_schedule)
    assert {"audit-verify-chain-nightly", "sessions-clear-expired-daily"} <= names
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def test_embedded_scheduler_runs_due_jobs_in_process_without_a_broker(tmp_path, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    scheduler = EmbeddedScheduler(app, tmp_path / "state.json")
    start = timezone.now()
    assert scheduler.tick(start) == []  # first sight of a job: it starts counting, as celery beat does
    ran = scheduler.tick(start + timedelta(days=1, hours=1))
    assert "sessions-clear-expired-daily" in ran
    assert not Session.objects.filter(session_key=expired.session_key).exists()


def test_scheduler_remembers_last_runs_across_restarts(tmp_path):
    state = tmp_path / "state.json"
    # Mid-morning: five minutes after a tick may not be when a nightly job falls due.
    start = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
    first = EmbeddedScheduler(app, state)
    first.tick(start)
    first.tick(start + timedelta(days=1, hours=1))
    again = EmbeddedScheduler(app, state)
    assert again.tick(start + timedelta(days=1, hours=1, minutes=5)) == []
    # ...and the next day's run is due: a scheduler that forgot would only start counting again.
    assert "sessions-clear-expired-daily" in again.tick(start + timedelta(days=2, hours=1))
