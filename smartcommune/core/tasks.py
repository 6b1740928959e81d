from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="smartcommune.core.tasks.sessions_clear_expired_task")
def sessions_clear_expired_task() -> int:
    """Delete expired sessions so the session table does not grow without bound."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="smartcommune.core.tasks.ping_task")
def ping_task() -> str:
    """Health check for workers: monitoring sends it and expects "pong" back."""
    return "pong"
