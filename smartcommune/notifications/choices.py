from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In-app message")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by a worker; `next_retry_at` is the end of its lease (a crashed worker's message is retried).
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    READ = "read", _("Read")
