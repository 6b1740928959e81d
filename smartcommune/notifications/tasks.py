from celery import shared_task

from . import services
from .choices import MessageStatus
from .errors import TransientSendError


@shared_task(
    bind=True,
    name="smartcommune.notifications.tasks.message_send_task",
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def message_send_task(self, *, message_id: int) -> str:
    """Send one e-mail or SMS message (idempotent: one already sent is not sent again).

    A transient failure (SMTP 4xx or disconnect, connection refused, timeout) is retried by the
    worker with back-off. In-process (eager) it is only recorded, and the periodic job retries it:
    a request never waits on retries nor fails because the mail server did.
    """
    try:
        return services.message_send(message_id=message_id)
    except TransientSendError:
        if self.request.is_eager or self.request.called_directly:
            return MessageStatus.FAILED
        raise


@shared_task(name="smartcommune.notifications.tasks.message_retry_failed_task")
def message_retry_failed_task() -> int:
    """Every 15 minutes: queue again the messages that failed transiently or were never sent."""
    return len(services.message_retry_due())
