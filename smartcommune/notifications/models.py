import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Channel, MessageStatus
from .masking import mask_address

# Sending attempts per message, counting the first; the periodic job stops retrying after this.
MAX_ATTEMPTS = 5
# How long a worker may hold a claimed message, and how long after creation (or after being handed
# to the queue again) a message nobody has sent is handed to the queue again (broker down at commit).
RETRY_INTERVAL = timedelta(minutes=15)


class MessageQuerySet(models.QuerySet):
    def inbox_of(self, user) -> "MessageQuerySet":
        """The user's in-app messages (read and unread)."""
        return self.filter(recipient_user=user, channel=Channel.IN_APP)

    def unread(self) -> "MessageQuerySet":
        return self.filter(channel=Channel.IN_APP, status=MessageStatus.SENT)

    def due_for_retry(self, now: datetime) -> "MessageQuerySet":
        """E-mail and SMS messages the periodic job should hand to the queue again: failed
        transiently and past their back-off, queued but never picked up, or claimed by a worker
        whose lease ran out. A permanent failure has no `next_retry_at` and is never retried."""
        return self.filter(
            channel__in=[Channel.EMAIL, Channel.SMS],
            status__in=[MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.FAILED],
            attempts__lt=MAX_ATTEMPTS,
            next_retry_at__lte=now,
        )


class Message(models.Model):
    """One notification to one recipient on one channel (thông báo): an e-mail, an SMS or an in-app
    message, e.g. "your dossier was received" to a citizen.

    Lifecycle: e-mail and SMS are created `queued` inside the transaction of the change they report
    and sent by a task after it commits: `queued` -> `sending` -> `sent`, or `failed` (retried with
    back-off while `attempts` < MAX_ATTEMPTS when the error was transient; `next_retry_at` is null
    for a permanent failure). In-app messages are delivered by being committed: created `sent`, they
    become `read` when the recipient marks them so. `next_retry_at` is when the periodic job hands
    an unsent message to the queue again (or when a worker's claim on it lapses).

    Invariants: subject and body are rendered once, in the recipient's language, when the message
    is created, and never change; an in-app message has a recipient user; e-mail and SMS have an
    address; only in-app messages are ever `read`. `related_type`/`related_id` name what the
    message is about ("dossiers.dossier", "123") without a foreign key into higher apps.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification_messages",
        verbose_name=_("recipient"),
    )
    recipient_address = models.CharField(_("recipient address"), max_length=254, blank=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8, default="vi")
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    next_retry_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    related_type = models.CharField(_("about (type)"), max_length=100, blank=True)
    related_id = models.CharField(_("about (id)"), max_length=64, blank=True)
    org_unit = models.ForeignKey(
        "directory.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )

    # The text holds a secret (a one-time code): it is blanked once sent or given up on, so that the
    # secret does not stay readable in the database.
    secret = models.BooleanField(default=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["recipient_user", "status"], name="message_user_status_idx"),
            models.Index(fields=["status", "next_retry_at"], name="message_status_retry_idx"),
            models.Index(fields=["related_type", "related_id"], name="message_related_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="message_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
            models.CheckConstraint(
                condition=Q(channel=Channel.IN_APP) | ~Q(recipient_address=""),
                name="message_address_for_email_sms",
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.IN_APP) | ~Q(status=MessageStatus.READ),
                name="message_read_only_in_app",
            ),
        ]

    def __str__(self):
        to = self.masked_address if self.recipient_address else f"user #{self.recipient_user_id}"
        return f"{self.event} → {to} ({self.channel})"

    @property
    def masked_address(self) -> str:
        """For lists and logs: the e-mail or phone with most characters hidden."""
        return mask_address(self.recipient_address)

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.IN_APP and self.status == MessageStatus.SENT
