"""The SMS channel: a small backend interface, a log-only default, a generic HTTP gateway, and
the text rules of Vietnamese SMS.

Vietnamese SMS is usually sent without diacritics: a GSM-7 segment holds 160 characters, but one
accented letter switches the whole message to UCS-2, where a segment holds only 70. `sms_text()`
therefore unaccents by default (SMS_ASCII_ONLY) while keeping case and punctuation, and truncates to
three segments (459 GSM-7 characters, 201 in UCS-2).

Backends raise `SmsTransientError` for what may work later (timeouts, gateway 5xx, throttling) and
`SmsError` for what will not (a rejected number).
"""

import json
import logging
import math
import re
import unicodedata
import uuid
from abc import ABC, abstractmethod
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from unidecode import unidecode

from .masking import mask_phone

log = logging.getLogger(__name__)

DEFAULT_BACKEND = "smartcommune.notifications.sms.LogSmsBackend"
MAX_SEGMENTS = 3
# GSM 03.38: a single message holds 160 septets, each part of a concatenated one 153 (UDH takes 7).
GSM_SINGLE, GSM_PART = 160, 153
# UCS-2: 70 characters single, 67 per part.
UCS2_SINGLE, UCS2_PART = 70, 67
ELLIPSIS_GSM, ELLIPSIS_UCS2 = "...", "…"

# The printable ASCII characters of the GSM 03.38 basic set, and those of its extension table
# (sent as an escape plus a character: two septets). The backtick is in neither.
_GSM_BASIC = frozenset(
    "@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)
_GSM_EXTENSION = frozenset("[\\]^{|}~")
_HSPACE = re.compile(r"[^\S\n]+")


class SmsError(Exception):
    """The gateway refused the message and will refuse it again (bad number, blocked content)."""


class SmsTransientError(Exception):
    """The gateway could not be reached or asked us to come back later."""


class BaseSmsBackend(ABC):
    """Send one SMS. Subclasses implement `send` and return the provider's message id."""

    @abstractmethod
    def send(self, phone: str, text: str) -> str: ...


class LogSmsBackend(BaseSmsBackend):
    """The default: sends nothing, logs that an SMS would have gone out (the phone masked to its
    last three digits, the length and segment count; never the text) and stores nothing."""

    def send(self, phone: str, text: str) -> str:
        message_id = f"log-{uuid.uuid4().hex}"
        log.info(
            "SMS (log only) to %s: %d characters, %d segment(s), id %s",
            mask_phone(phone),
            len(text),
            sms_segments(text),
            message_id,
        )
        return message_id


class HttpSmsBackend(BaseSmsBackend):
    """A generic JSON gateway: POST {"to", "text", "sender"} to SMS_HTTP_URL with a bearer token
    (SMS_HTTP_TOKEN); the answer is JSON with the provider's id in "id" or "message_id".

    Provider-specific APIs (brandname SMS of the carriers) are reached through a small adapter that
    speaks this shape, or a subclass overriding `payload` and `message_id`.
    """

    def __init__(self):
        self.url = getattr(settings, "SMS_HTTP_URL", "")
        if urlparse(self.url).scheme not in {"https", "http"}:
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http(s) URL for HttpSmsBackend.")
        self.token = getattr(settings, "SMS_HTTP_TOKEN", "")
        self.sender = getattr(settings, "SMS_HTTP_SENDER", "")
        self.timeout = getattr(settings, "SMS_HTTP_TIMEOUT", 10)

    def payload(self, phone: str, text: str) -> dict:
        return {"to": phone, "text": text, "sender": self.sender}

    def message_id(self, answer: dict) -> str:
        return str(answer.get("id") or answer.get("message_id") or "")

    def send(self, phone: str, text: str) -> str:
        body = json.dumps(self.payload(phone, text), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urlrequest.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked
        try:
            with urlrequest.urlopen(req, timeout=self.timeout) as response:  # noqa: S310 - scheme checked
                raw = response.read()
        except urlerror.HTTPError as exc:
            if exc.code >= 500 or exc.code in {408, 429}:
                raise SmsTransientError(f"SMS gateway answered HTTP {exc.code}") from exc
            raise SmsError(f"SMS gateway refused the message: HTTP {exc.code}") from exc
        except (urlerror.URLError, TimeoutError, ConnectionError) as exc:
            raise SmsTransientError(f"SMS gateway unreachable: {exc.__class__.__name__}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        return self.message_id(answer if isinstance(answer, dict) else {})


def get_sms_backend() -> BaseSmsBackend:
    """The backend named by settings.SMS_BACKEND (the log-only one by default)."""
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


# --- text ----------------------------------------------------------------------------------------


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text)


def _septets(text: str) -> int:
    return sum(2 if ch in _GSM_EXTENSION else 1 for ch in text)


def sms_segments(text: str) -> int:
    """How many segments the text is billed as (GSM-7 when it can be, UCS-2 otherwise)."""
    if not text:
        return 0
    if is_gsm7(text):
        size, single, part = _septets(text), GSM_SINGLE, GSM_PART
    else:
        size, single, part = len(text), UCS2_SINGLE, UCS2_PART
    return 1 if size <= single else math.ceil(size / part)


def unaccent(text: str) -> str:
    """Drop Vietnamese diacritics, keeping case and punctuation: "Đăng ký – Mường Đun" ->
    "Dang ky - Muong Dun". Anything left outside GSM-7 becomes its closest ASCII."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _GSM_BASIC or ch in _GSM_EXTENSION:
            out.append(ch)
        elif ch == "`":
            out.append("'")
        else:
            out.append(unidecode(ch))
    return "".join(out)


def _clean(text: str) -> str:
    lines = (_HSPACE.sub(" ", line).strip() for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(line for line in lines if line)


def _truncate(text: str, limit: int, size, ellipsis: str) -> str:
    if size(text) <= limit:
        return text
    room = limit - size(ellipsis)
    cut = text[:room]  # every character counts at least one unit
    while size(cut) > room:
        cut = cut[:-1]
    # Prefer to end on a word boundary when one is reasonably close.
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= room * 0.8:
        cut = cut[:space]
    return cut.rstrip(" \n,;:-") + ellipsis


def sms_text(text: str, ascii_only: bool | None = None) -> str:
    """Prepare text for SMS: whitespace tidied, unaccented when `ascii_only` (default
    settings.SMS_ASCII_ONLY, itself True), and cut to three segments with an ellipsis."""
    if ascii_only is None:
        ascii_only = getattr(settings, "SMS_ASCII_ONLY", True)
    text = _clean(text)
    if ascii_only:
        text = unaccent(text)
    if is_gsm7(text):
        return _truncate(text, GSM_PART * MAX_SEGMENTS, _septets, ELLIPSIS_GSM)
    return _truncate(text, UCS2_PART * MAX_SEGMENTS, len, ELLIPSIS_UCS2)
