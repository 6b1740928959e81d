"""Keep recipients' phone numbers and e-mail addresses out of logs and lists.

Phones keep their last three digits ("*******678"); e-mail addresses the first character of the
local part and the domain ("n***@example.vn").
"""

import re

_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
_PHONE_RE = re.compile(r"(?<![\w])\+?\d[\d .\-]{6,}(\d{3})(?!\w)")


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) <= 3:
        return "*" * len(digits)
    return "*" * (len(digits) - 3) + digits[-3:]


def mask_email(email: str) -> str:
    local, at, domain = (email or "").partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_address(address: str) -> str:
    """An e-mail address or a phone number, masked for display."""
    if not address:
        return ""
    return mask_email(address) if "@" in address else mask_phone(address)


def mask_contacts(text: str) -> str:
    """Mask every e-mail address and phone-like run of digits in free text (an error message)."""
    if not text:
        return text
    text = _EMAIL_RE.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
