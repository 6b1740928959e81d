"""Notify people: create messages in the caller's transaction, send them after it commits.

Other apps call `notify(...)` with `Recipient`s; e-mail goes through Django's mail backend
(EMAIL_BACKEND: a file or console backend by default, SMTP in production) and SMS through
settings.SMS_BACKEND (log-only by default).
"""

import logging
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from smartcommune.core.transactions import enqueue_on_commit, forget_cached, insert_all
from smartcommune.directory.validators import normalize_phone, validate_phone

from . import tasks
from .choices import Channel, MessageStatus
from .errors import TransientSendError
from .events import prepare_context, render_event
from .masking import mask_address, mask_contacts
from .models import MAX_ATTEMPTS, RETRY_INTERVAL, Message
from .selectors import unread_cache_key
from .sms import SmsTransientError, get_sms_backend, sms_text

log = logging.getLogger(__name__)

ALL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.IN_APP)
# Seconds an SMTP conversation may stall before it counts as a transient failure.
EMAIL_TIMEOUT = 20
# Messages handed back to the queue per run of the periodic job.
RETRY_BATCH = 500
RETRY_BACKOFF_MAX = timedelta(hours=2)


@dataclass(frozen=True)
class Recipient:
    """Someone to notify: a user (for in-app messages) and/or an e-mail address and a phone.

    A channel is used only when the recipient has what it needs (in-app: a user).
    """

    user: Any = None
    email: str = ""
    phone: str = ""
    language: str = "vi"
    name: str = ""

    @classmethod
    def of_user(cls, user, *, language: str = "vi") -> "Recipient":
        return cls(
            user=user, email=user.email, phone=user.phone, language=language, name=user.get_full_name()
        )

    @classmethod
    def of_citizen(cls, citizen, *, language: str = "vi") -> "Recipient":
        """A citizen (with or without an account): their account for in-app, their record's contacts."""
        return cls(
            user=citizen.user,
            email=citizen.email,
            phone=citizen.phone,
            language=language,
            name=citizen.full_name,
        )


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _related(related) -> tuple[str, str]:
    if related is None:
        return "", ""
    if isinstance(related, tuple):
        related_type, related_id = related
        return str(related_type), str(related_id)
    return related._meta.label_lower, str(related.pk)


def _address(channel: str, recipient: Recipient) -> tuple[str, bool]:
    """The address to use on `channel` ("" when the recipient has none) and whether it is valid."""
    if channel == Channel.EMAIL:
        address = (recipient.email or "").strip()
        validator = validate_email
    elif channel == Channel.SMS:
        address = normalize_phone(recipient.phone or "")
        validator = validate_phone
    else:
        return "", recipient.user is not None
    if not address:
        return "", False
    try:
        validator(address)
    except ValidationError:
        return address, False
    return address, True


def notify(
    *,
    event: str,
    recipients: list[Recipient],
    context: dict,
    related=None,
    org_unit=None,
    channels: tuple[str, ...] = ALL_CHANNELS,
    secret: bool = False,
) -> list[Message]:
    """Notify each recipient of `event` on each of `channels` they can be reached on.

    Call it inside the transaction of the change being reported: the messages are created there,
    all in one INSERT (no savepoint of its own), and e-mail/SMS are handed to `message_send_task`
    only once it commits (nothing is sent for a rolled-back change); in-app messages are visible
    once committed. Text is rendered now from `notifications/<event>/{subject,body,sms}.txt` in
    the recipient's language; `context` may hold any objects (dates, model instances), since only
    the message id goes to the task.

    `related` is a model instance (or a `(type, id)` pair) the messages are about; `org_unit` the
    unit they are sent for. `secret`: the text holds a one-time code, blanked once sent. An address that is not valid gives a `failed` message, never retried.
    Raises ValueError (unknown channel, missing context key) and TemplateDoesNotExist.
    """
    channels = tuple(dict.fromkeys(channels))
    unknown = set(channels) - set(Channel.values)
    if unknown:
        raise ValueError(f"notify({event!r}): unknown channels {sorted(unknown)}")
    context = prepare_context(event, context)
    related_type, related_id = _related(related)
    now = timezone.now()
    created = []  # rendered and checked first, then inserted together
    for recipient in recipients:
        wanted = [(ch, *_address(ch, recipient)) for ch in channels]
        wanted = [(ch, address, ok) for ch, address, ok in wanted if address or ok]
        if not wanted:
            continue
        language = _language(recipient.language)
        rendered = render_event(
            event,
            {**context, "recipient_name": recipient.name},
            language=language,
            with_sms=any(w[0] == Channel.SMS for w in wanted),
        )
        for channel, address, valid in wanted:
            fields = {
                "channel": channel,
                "recipient_user": recipient.user,
                "recipient_address": address,
                "event": event,
                "subject": rendered.subject,
                "body": sms_text(rendered.sms) if channel == Channel.SMS else rendered.body,
                "language": language,
                "related_type": related_type,
                "related_id": related_id,
                "org_unit": org_unit,
                "secret": secret,
            }
            if channel == Channel.IN_APP:
                fields |= {"status": MessageStatus.SENT, "sent_at": now}
            elif not valid:
                fields |= {"status": MessageStatus.FAILED, "last_error": "invalid address"}
            else:
                fields |= {"status": MessageStatus.QUEUED, "next_retry_at": now + RETRY_INTERVAL}
            created.append(Message(**fields))
    insert_all(created)
    for message in created:
        if message.status == MessageStatus.QUEUED:
            enqueue_on_commit(tasks.message_send_task, message_id=message.pk)
        elif message.status == MessageStatus.FAILED:
            log.warning(
                "message %s: invalid %s address %s",
                message.public_id,
                message.channel,
                mask_address(message.recipient_address),
            )
    _forget_unread_counts({m.recipient_user_id for m in created if m.channel == Channel.IN_APP})
    return created


def _forget_unread_counts(user_ids) -> None:
    forget_cached(unread_cache_key(uid) for uid in user_ids if uid)


# --- sending -------------------------------------------------------------------------------------


def is_transient(exc: BaseException) -> bool:
    """May sending succeed later? Connection trouble, timeouts, SMTP 4xx and busy SMS gateways."""
    if isinstance(
        exc,
        SmsTransientError
        | ConnectionError
        | TimeoutError
        | socket.gaierror
        | smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError,
    ):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return False


def _backoff(attempts: int) -> timedelta:
    return min(RETRY_INTERVAL * 2 ** max(attempts - 1, 0), RETRY_BACKOFF_MAX)


def _send_email(message: Message) -> str:
    message_id = make_msgid(domain=DNS_NAME)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_address],
        headers={
            "Message-ID": message_id,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no auto-replies, please
            "Content-Language": message.language,
            "X-SmartCommune-Message": str(message.public_id),
        },
        connection=get_connection(timeout=EMAIL_TIMEOUT),
    )
    email.send()
    return message_id


def _send_sms(message: Message) -> str:
    return get_sms_backend().send(message.recipient_address, message.body)


def _error_text(message: Message, exc: BaseException) -> str:
    text = f"{exc.__class__.__name__}: {exc}"
    if message.recipient_address:
        text = text.replace(message.recipient_address, message.masked_address)
    return mask_contacts(text)[:500]


_BLANKED = {"body": "•••", "subject": "•••"}  # what stays of a secret message once it has gone


def message_send(*, message_id: int) -> str:
    """Send one queued e-mail or SMS message; return its status afterwards.

    Idempotent: the message is claimed with a conditional update, so one already sent, being sent
    by another worker within its lease, read, or out of attempts is left alone. A failure is
    recorded on the message (the error with addresses masked); a transient one gets a retry time
    and raises TransientSendError so that the task retries it. Not atomic: the claim, the send and
    the outcome are separate writes, so that no transaction stays open while the server answers.
    """
    now = timezone.now()
    claimable = Q(status__in=[MessageStatus.QUEUED, MessageStatus.FAILED]) | Q(
        status=MessageStatus.SENDING, next_retry_at__lte=now
    )
    claimed = (
        Message.objects.filter(claimable, pk=message_id, channel__in=[Channel.EMAIL, Channel.SMS])
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, next_retry_at=now + RETRY_INTERVAL)
    )
    if not claimed:
        status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        log.info("message #%s not sent again (status %s)", message_id, status or "missing")
        return status or ""
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = _send_email(message) if message.channel == Channel.EMAIL else _send_sms(message)
    except Exception as exc:  # any backend error: record it; only transient ones are retried
        transient = is_transient(exc)
        error = _error_text(message, exc)
        given_up = not transient or message.attempts >= MAX_ATTEMPTS
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED,
            last_error=error,
            next_retry_at=timezone.now() + _backoff(message.attempts) if transient else None,
            **(_BLANKED if message.secret and given_up else {}),
        )
        log.warning(
            "message %s (%s to %s, attempt %d) failed%s: %s",
            message.public_id,
            message.channel,
            message.masked_address,
            message.attempts,
            " transiently" if transient else "",
            error,
        )
        if transient:
            raise TransientSendError(error) from exc
        return MessageStatus.FAILED
    # Unconditional: a worker whose lease lapsed still reports the truth when it does get through.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=(provider_id or "")[:255],
        last_error="",
        next_retry_at=None,
        **(_BLANKED if message.secret else {}),
    )
    log.info("message %s (%s to %s) sent", message.public_id, message.channel, message.masked_address)
    return MessageStatus.SENT


@transaction.atomic
def message_retry_due(*, now: datetime | None = None, limit: int = RETRY_BATCH) -> list[int]:
    """Hand e-mail and SMS messages whose retry time has come back to the queue (after commit).

    Picks transient failures past their back-off with fewer than MAX_ATTEMPTS attempts, messages
    queued but never sent, and claims whose worker's lease lapsed (recorded as failed first).
    Pushes their retry time on by RETRY_INTERVAL so the next run does not queue them twice.
    """
    now = now or timezone.now()
    ids = list(
        Message.objects.due_for_retry(now)
        .order_by("next_retry_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return []
    Message.objects.filter(pk__in=ids, status=MessageStatus.SENDING).update(
        status=MessageStatus.FAILED, last_error="the sending worker did not report back in time"
    )
    Message.objects.filter(pk__in=ids).update(next_retry_at=now + RETRY_INTERVAL)
    for pk in ids:
        enqueue_on_commit(tasks.message_send_task, message_id=pk)
    return ids


# --- in-app --------------------------------------------------------------------------------------


@transaction.atomic
def message_mark_read(*, user, message: Message) -> Message:
    """Mark one of `user`'s in-app messages read (no-op when it already is).

    Caller loaded `message` through `access_message`; the update is limited to the user's own."""
    Message.objects.inbox_of(user).filter(pk=message.pk, status=MessageStatus.SENT).update(
        status=MessageStatus.READ, read_at=timezone.now()
    )
    _forget_unread_counts([user.pk])
    message.refresh_from_db(fields=["status", "read_at"])
    return message


@transaction.atomic
def message_mark_all_read(*, user) -> int:
    """Mark all of `user`'s unread in-app messages read; return how many were unread."""
    _forget_unread_counts([user.pk])
    return Message.objects.inbox_of(user).unread().update(status=MessageStatus.READ, read_at=timezone.now())
