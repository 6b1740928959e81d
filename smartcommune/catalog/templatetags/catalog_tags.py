from django import template
from django.utils.formats import get_format

from ..formatting import time_limit_text

register = template.Library()


@register.filter
def time_limit(procedure) -> str:
    return time_limit_text(procedure)


@register.filter
def vnd(amount) -> str:
    """12000 → "12.000 ₫" in Vietnamese, "12,000 ₫" in English (thousands always grouped)."""
    if amount is None:
        return ""
    return f"{int(amount):,} ₫".replace(",", get_format("THOUSAND_SEPARATOR"))
