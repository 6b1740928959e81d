from django.db.models import QuerySet

from .models import Message
from .policies import message_qs_for


def message_inbox(*, user) -> QuerySet[Message]:
    """The user's in-app messages, newest first."""
    return message_qs_for(user=user).order_by("-created_at", "-id")


def message_unread_count(*, user) -> int:
    """How many of the user's in-app messages are unread (for the navigation badge)."""
    return message_qs_for(user=user).unread().count()
