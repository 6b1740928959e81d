"""Dates, times, money and names as Vietnamese administrative documents print them.

Forms print in Vietnamese whatever the interface language, so these do not follow the active locale.
Aware datetimes are shown in the installation's time zone (Asia/Ho_Chi_Minh).
"""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value, timezone.get_default_timezone())
    return value


@register.filter
def vn_datetime(value) -> str:
    """10:20, 13/08/2026"""
    if not isinstance(value, datetime):
        return vn_date(value)
    value = _local(value)
    return f"{value:%H:%M}, {value:%d/%m/%Y}"


@register.filter
def vn_date(value) -> str:
    """13/08/2026"""
    if not isinstance(value, date):
        return ""
    return f"{_local(value):%d/%m/%Y}"


@register.filter
def vn_time(value) -> str:
    """10:20"""
    if not isinstance(value, datetime):
        return ""
    return f"{_local(value):%H:%M}"


@register.filter
def vn_long_date(value) -> str:
    """ngày 13 tháng 8 năm 2026 — Decree 30 App. I: days below 10 and the months 1 and 2 take a
    leading zero (ngày 05 tháng 01), so that nothing can be written in front of them by hand."""
    if not isinstance(value, date):
        return ""
    value = _local(value)
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def vnd(value) -> str:
    """10.000 đồng (integer VND, dots between thousands)."""
    if value is None or value == "":
        return ""
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đồng".replace(",", ".")


_UNIT_WORDS = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố ")


@register.filter
def in_sentence(unit_name) -> str:
    """A unit's name inside a sentence: "Xã Mường Đun" -> "xã Mường Đun" (the administrative word
    loses its capital; the proper name keeps its own)."""
    text = str(unit_name or "")
    for word in _UNIT_WORDS:
        if text.startswith(word):
            return word.lower() + text[len(word) :]
    return text


_TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


@register.filter
def timeliness(value) -> str:
    """early / on_time / late -> Trước hạn / Đúng hạn / Quá hạn (anything else prints as given)."""
    return _TIMELINESS.get(value, value or "")


@register.filter
def code_breaks(value) -> SafeString:
    """A code that may wrap after its hyphens only: "000.01.00.H18-260813-0001" in a narrow column
    breaks into "000.01.00.H18-" / "260813-0001", never inside a number."""
    return mark_safe(conditional_escape(str(value or "")).replace("-", "-<wbr>"))  # noqa: S308 - escaped first
