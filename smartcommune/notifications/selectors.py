from django.core.cache import cache
from django.db.models import QuerySet

from .models import Message
from .policies import message_qs_for

# Every page shows the unread count: it is cached per user and dropped when it changes (services).
UNREAD_CACHE_SECONDS = 10 * 60


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def message_inbox(*, user) -> QuerySet[Message]:
    """The user's in-app messages, newest first."""
    return message_qs_for(user=user).order_by("-created_at", "-id")


def message_unread_count(*, user) -> int:
    """How many of the user's in-app messages are unread (for the navigation badge)."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = message_qs_for(user=user).unread().count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
