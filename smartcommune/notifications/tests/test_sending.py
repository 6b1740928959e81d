import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from smartcommune.notifications import services, tasks
from smartcommune.notifications.choices import Channel, MessageStatus
from smartcommune.notifications.errors import TransientSendError
from smartcommune.notifications.factories import MessageFactory
from smartcommune.notifications.models import MAX_ATTEMPTS, RETRY_INTERVAL, Message
from smartcommune.notifications.services import Recipient, is_transient, notify
from smartcommune.notifications.sms import SmsError, SmsTransientError

pytestmark = pytest.mark.django_db


def _queued(channel=Channel.EMAIL, **fields):
    address = "lo.thi.dan@example.vn" if channel == Channel.EMAIL else "0912345678"
    defaults = {
        "channel": channel,
        "recipient_address": address,
        "status": MessageStatus.QUEUED,
        "sent_at": None,
        "next_retry_at": timezone.now() + RETRY_INTERVAL,
    }
    return MessageFactory(**(defaults | fields))


# --- failures ------------------------------------------------------------------------------------


def test_a_failure_during_a_request_is_recorded_not_raised(
    failing_email, received_context, django_capture_on_commit_callbacks, caplog
):
    # given a mail server that refuses connections
    # when a change notifies and commits, the task running in-process
    with (
        caplog.at_level(logging.WARNING, logger="smartcommune.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        (message,) = notify(
            event="dossier.received",
            recipients=[Recipient(email="lo.thi.dan@example.vn")],
            context=received_context,
        )

    # then no error reached the caller; the failure is recorded and will be retried later
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == "ConnectionRefusedError: connection refused"
    assert message.next_retry_at > timezone.now()
    assert failing_email.calls >= 1
    # and the log names the recipient only masked
    assert "l***@example.vn" in caplog.text
    assert "lo.thi.dan@example.vn" not in caplog.text


def test_a_permanent_failure_is_not_retried(failing_email):
    failing_email.error = smtplib.SMTPRecipientsRefused({"x@example.vn": (550, b"no such user")})
    message = _queued(recipient_address="x@example.vn")

    assert tasks.message_send_task.delay(message_id=message.pk).get() == MessageStatus.FAILED

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.next_retry_at is None
    assert "x@example.vn" not in message.last_error and "x***@example.vn" in message.last_error
    assert message not in Message.objects.due_for_retry(timezone.now() + timedelta(days=1))


def test_an_unexpected_backend_error_is_recorded_as_a_permanent_failure(sms_outbox):
    sms_outbox.error = SmsError("number blocked")
    message = _queued(Channel.SMS)

    assert tasks.message_send_task.delay(message_id=message.pk).get() == MessageStatus.FAILED

    message.refresh_from_db()
    assert (message.status, message.last_error, message.next_retry_at) == (
        MessageStatus.FAILED,
        "SmsError: number blocked",
        None,
    )


def test_the_service_raises_for_transient_failures_so_a_worker_retries(sms_outbox):
    sms_outbox.error = SmsTransientError("gateway busy")
    message = _queued(Channel.SMS)

    with pytest.raises(TransientSendError):
        services.message_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.next_retry_at is not None


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPServerDisconnected(), True),
        (smtplib.SMTPConnectError(421, "busy"), True),
        (smtplib.SMTPDataError(451, "try later"), True),
        (smtplib.SMTPDataError(554, "rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b.vn": (450, b"mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.vn": (550, b"unknown")}), False),
        (SmsTransientError(), True),
        (SmsError(), False),
        (ValueError(), False),
    ],
)
def test_which_errors_are_transient(exc, transient):
    assert is_transient(exc) is transient


# --- idempotence ---------------------------------------------------------------------------------


def test_a_sent_message_is_not_sent_again(sms_outbox):
    message = _queued(Channel.SMS)

    assert tasks.message_send_task.delay(message_id=message.pk).get() == MessageStatus.SENT
    assert tasks.message_send_task.delay(message_id=message.pk).get() == MessageStatus.SENT

    assert len(sms_outbox.sent) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_message_being_sent_by_another_worker_is_left_alone(sms_outbox):
    message = _queued(Channel.SMS, status=MessageStatus.SENDING, attempts=1)

    assert services.message_send(message_id=message.pk) == MessageStatus.SENDING

    assert sms_outbox.sent == []
    message.refresh_from_db()
    assert message.attempts == 1


def test_in_app_and_missing_messages_are_not_sent(sms_outbox):
    in_app = MessageFactory()
    assert services.message_send(message_id=in_app.pk) == MessageStatus.SENT
    assert services.message_send(message_id=987654) == ""
    assert sms_outbox.sent == [] and mail.outbox == []


def test_no_more_than_the_maximum_attempts(sms_outbox):
    message = _queued(Channel.SMS, status=MessageStatus.FAILED, attempts=MAX_ATTEMPTS)
    assert services.message_send(message_id=message.pk) == MessageStatus.FAILED
    assert sms_outbox.sent == []


# --- the periodic retry --------------------------------------------------------------------------


def test_the_retry_job_sends_failed_messages_again(sms_outbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    due = _queued(
        Channel.SMS, status=MessageStatus.FAILED, attempts=2, next_retry_at=now - timedelta(minutes=1)
    )
    lost = _queued(Channel.SMS, status=MessageStatus.QUEUED, next_retry_at=now - timedelta(minutes=1))
    not_yet = _queued(
        Channel.SMS, status=MessageStatus.FAILED, attempts=1, next_retry_at=now + timedelta(hours=1)
    )
    permanent = _queued(Channel.SMS, status=MessageStatus.FAILED, attempts=1, next_retry_at=None)
    exhausted = _queued(
        Channel.SMS,
        status=MessageStatus.FAILED,
        attempts=MAX_ATTEMPTS,
        next_retry_at=now - timedelta(hours=1),
    )
    done = _queued(Channel.SMS, status=MessageStatus.SENT, attempts=1, next_retry_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.message_retry_failed_task.delay().get() == 2

    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses[due.pk] == statuses[lost.pk] == MessageStatus.SENT
    assert statuses[not_yet.pk] == statuses[permanent.pk] == statuses[exhausted.pk] == MessageStatus.FAILED
    assert statuses[done.pk] == MessageStatus.SENT
    assert len(sms_outbox.sent) == 2
    due.refresh_from_db()
    assert due.attempts == 3


def test_a_claim_whose_worker_vanished_is_retried(sms_outbox, django_capture_on_commit_callbacks):
    stale = _queued(
        Channel.SMS,
        status=MessageStatus.SENDING,
        attempts=1,
        next_retry_at=timezone.now() - timedelta(minutes=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.message_retry_due() == [stale.pk]
    stale.refresh_from_db()
    assert (stale.status, stale.attempts) == (MessageStatus.SENT, 2)


def test_the_retry_job_pushes_the_next_attempt_on(sms_outbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    message = _queued(Channel.SMS, status=MessageStatus.FAILED, attempts=1, next_retry_at=now)
    with django_capture_on_commit_callbacks(execute=False):
        services.message_retry_due(now=now)
    message.refresh_from_db()
    assert message.next_retry_at == now + RETRY_INTERVAL
    assert services.message_retry_due(now=now) == []


def test_transient_failures_back_off(failing_email):
    message = _queued()
    tasks.message_send_task.delay(message_id=message.pk)
    message.refresh_from_db()
    first = message.next_retry_at - timezone.now()
    message.next_retry_at = timezone.now()
    message.save(update_fields=["next_retry_at"])
    tasks.message_send_task.delay(message_id=message.pk)
    message.refresh_from_db()
    second = message.next_retry_at - timezone.now()
    assert message.attempts == 2
    assert timedelta(minutes=14) < first <= RETRY_INTERVAL
    assert timedelta(minutes=29) < second <= 2 * RETRY_INTERVAL


def test_the_retry_job_is_scheduled_every_quarter_hour():
    entry = celery_app.conf.beat_schedule["notifications-retry-failed"]
    assert entry["task"] == tasks.message_retry_failed_task.name
    assert entry["schedule"].run_every == timedelta(minutes=15)
