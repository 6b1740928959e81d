"""Celery app. Without CELERY_BROKER_URL tasks run in-process (eager) and periodic jobs are run by
`manage.py run_periodic_jobs`; with a Redis or RabbitMQ URL they go to workers and `celery beat`."""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab, schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("smartcommune")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs live here, in code, for both the broker and the embedded scheduler.
# Later issues add reminders, overdue alerts and nightly snapshots to this table.
app.conf.beat_schedule = {
    "audit-verify-chain-nightly": {
        "task": "smartcommune.audit.tasks.audit_verify_chain_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "sessions-clear-expired-daily": {
        "task": "smartcommune.core.tasks.sessions_clear_expired_task",
        "schedule": crontab(hour=2, minute=0),
    },
    "notifications-retry-failed": {
        "task": "smartcommune.notifications.tasks.message_retry_failed_task",
        # An interval, not a clock-aligned crontab: 15 minutes after the previous run.
        "schedule": schedule(run_every=timedelta(minutes=15)),
    },
    "dossiers-sweep-orphan-files-nightly": {
        "task": "smartcommune.dossiers.tasks.dossier_files_sweep_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "signing-warn-expiring-certificates": {
        "task": "smartcommune.signing.tasks.certificate_warn_expiring_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "dossiers-alert-due-soon": {
        "task": "smartcommune.dossiers.tasks.dossier_alert_due_soon_task",
        "schedule": schedule(run_every=timedelta(minutes=30)),
    },
    "portal-housekeeping-daily": {
        "task": "smartcommune.dossiers.tasks.portal_housekeeping_task",
        "schedule": crontab(hour=2, minute=30),
    },
}
