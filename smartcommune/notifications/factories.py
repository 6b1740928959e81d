"""Test factories for messages."""

import factory
from django.utils import timezone

from .choices import Channel, MessageStatus
from .models import Message


class MessageFactory(factory.django.DjangoModelFactory):
    """An in-app message, delivered and unread, unless told otherwise."""

    class Meta:
        model = Message

    channel = Channel.IN_APP
    event = "test.event"
    subject = factory.Sequence(lambda n: f"Thông báo thử {n}")
    body = "Nội dung thông báo thử."
    language = "vi"
    status = MessageStatus.SENT
    sent_at = factory.LazyFunction(timezone.now)


def make_inbox(user, count: int, **fields) -> list[Message]:
    return MessageFactory.create_batch(count, recipient_user=user, **fields)
