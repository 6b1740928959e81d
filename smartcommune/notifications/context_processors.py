from functools import partial

from .selectors import message_unread_count


def unread_message_count(user) -> int:
    """The user's unread in-app messages (cached per user); 0 for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return message_unread_count(user=user)


def unread_messages(request) -> dict:
    """`unread_messages()` for the page shell's badge: counted only if the template calls it."""
    return {"unread_messages": partial(unread_message_count, getattr(request, "user", None))}
