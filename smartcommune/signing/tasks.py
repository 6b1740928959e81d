from celery import shared_task

from . import services


@shared_task(name="smartcommune.signing.tasks.signing_job_run_task")
def signing_job_run_task(*, job_id: int) -> str:
    """Apply the signatures of one signing job (idempotent: a finished job is left alone)."""
    return services.signing_job_run(job_id=job_id).status


@shared_task(name="smartcommune.signing.tasks.certificate_warn_expiring_task")
def certificate_warn_expiring_task() -> int:
    """Daily: warn owners of certificates that expire within 30 days."""
    return services.certificate_warn_expiring()
