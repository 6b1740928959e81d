from django import template

from smartcommune.audit.masking import mask_personal_ids as _mask

register = template.Library()


@register.filter
def mask_personal_ids(value) -> str:
    """Show at most the last four digits of anything shaped like a personal identification number."""
    return _mask(str(value)) if value is not None else ""
