from celery import shared_task

from .services.alerts import dossier_alert_due_soon
from .services.files_sweep import dossier_files_sweep
from .services.online import portal_housekeeping


@shared_task(name="smartcommune.dossiers.tasks.dossier_alert_due_soon_task")
def dossier_alert_due_soon_task() -> int:
    """Every 30 minutes: tell assignees which dossiers are due within one working day."""
    return dossier_alert_due_soon()


@shared_task(name="smartcommune.dossiers.tasks.dossier_files_sweep_task")
def dossier_files_sweep_task() -> int:
    """Nightly: delete stored files left behind by rolled-back transactions."""
    return len(dossier_files_sweep())


@shared_task(name="smartcommune.dossiers.tasks.portal_housekeeping_task")
def portal_housekeeping_task() -> dict:
    """Daily: forget old lookup attempts and abandoned upload sessions."""
    return portal_housekeeping()
