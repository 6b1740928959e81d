"""Text helpers for Vietnamese: normalisation and accent-insensitive search keys."""

import re
import unicodedata

from django.utils import timezone
from django.utils.formats import get_format
from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC, trimmed, inner whitespace collapsed: the form in which user text is stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Accent- and case-insensitive search key: "Mường Đun" -> "muong dun"."""
    return unidecode(normalize(text)).lower()


def money(amount) -> str:
    """An amount of đồng on screen: 12000 → "12.000 ₫" in Vietnamese, "12,000 ₫" in English
    (thousands always grouped)."""
    if amount is None:
        return ""
    return f"{int(amount):,} ₫".replace(",", get_format("THOUSAND_SEPARATOR"))


def local_moment(moment, fmt: str = "%H:%M %d/%m/%Y") -> str:
    """A moment in the current time zone, formatted (strftime; by default as the dossier pages print
    moments, hh:mm dd/mm/yyyy); "" for none."""
    return timezone.localtime(moment).strftime(fmt) if moment else ""
