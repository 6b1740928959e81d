from django import template

from ..selectors import message_unread_count

register = template.Library()


@register.simple_tag
def unread_message_count(user) -> int:
    """`{% unread_message_count request.user as unread %}`: the user's unread in-app messages
    (one COUNT query; 0 for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return message_unread_count(user=user)
