from django import template

from smartcommune.core.text import money

from ..formatting import time_limit_text

register = template.Library()


@register.filter
def time_limit(procedure) -> str:
    return time_limit_text(procedure)


register.filter("vnd", money)  # 12000 → "12.000 ₫"
