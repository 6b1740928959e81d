"""Who sees which messages: in-app messages belong to their recipient alone.

Another user's message answers 404, like a missing one.
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import Message


def message_qs_for(*, user) -> QuerySet[Message]:
    """The user's own in-app messages."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    return Message.objects.inbox_of(user)


def access_message(*, user, public_id) -> Message:
    try:
        return message_qs_for(user=user).get(public_id=public_id)
    except (Message.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
