import io
import json
import logging
from unittest import mock
from urllib import error as urlerror

import pytest
from django.core.exceptions import ImproperlyConfigured

from smartcommune.notifications.sms import (
    HttpSmsBackend,
    LogSmsBackend,
    SmsError,
    SmsTransientError,
    get_sms_backend,
    sms_segments,
    sms_text,
    unaccent,
)

# --- text ----------------------------------------------------------------------------------------


def test_unaccenting_keeps_case_and_punctuation():
    assert unaccent("Hồ sơ ĐĂNG KÝ khai sinh – Xã Mường Đun (Điện Biên): “xong”!") == (
        'Ho so DANG KY khai sinh - Xa Muong Dun (Dien Bien): "xong"!'
    )


def test_sms_text_is_unaccented_by_default_and_tidied():
    assert sms_text("  Hồ sơ   đã nhận.\n\n\tTra cứu:  https://x.vn/a?b=1  ") == (
        "Ho so da nhan.\nTra cuu: https://x.vn/a?b=1"
    )


def test_sms_text_keeps_accents_when_asked(settings):
    assert sms_text("Hồ sơ đã nhận", ascii_only=False) == "Hồ sơ đã nhận"
    settings.SMS_ASCII_ONLY = False
    assert sms_text("Hồ sơ đã nhận") == "Hồ sơ đã nhận"


def test_unaccented_text_is_cut_at_three_segments():
    text = sms_text("Mường Đun " * 100)
    assert len(text) <= 459
    assert text.endswith("Muong...")
    assert sms_segments(text) == 3


def test_accented_text_is_cut_at_three_unicode_segments():
    text = sms_text("Mường Đun " * 100, ascii_only=False)
    assert len(text) <= 201
    assert text.endswith("…")
    assert sms_segments(text) == 3


def test_a_short_text_is_left_whole():
    text = "Ho so 000.01.00.H18-260817-0001 da nhan."
    assert sms_text(text) == text


def test_segments_follow_gsm_and_unicode_sizes():
    assert sms_segments("") == 0
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 459) == 3
    assert sms_segments("[" * 80) == 1  # extension characters take two septets
    assert sms_segments("[" * 81) == 2
    assert sms_segments("ư" * 70) == 1
    assert sms_segments("ư" * 71) == 2


# --- backends ------------------------------------------------------------------------------------


def test_the_log_backend_masks_the_phone_and_logs_no_text(caplog):
    with caplog.at_level(logging.INFO, logger="smartcommune.notifications.sms"):
        message_id = LogSmsBackend().send("0912345678", "Ho so cua Lo Thi Dan da nhan")
    assert message_id.startswith("log-")
    assert "*******678" in caplog.text
    assert "0912345678" not in caplog.text
    assert "Lo Thi Dan" not in caplog.text


def test_the_backend_comes_from_settings(settings):
    assert isinstance(get_sms_backend(), LogSmsBackend)
    settings.SMS_BACKEND = "smartcommune.notifications.tests.doubles.RecordingSmsBackend"
    assert get_sms_backend().__class__.__name__ == "RecordingSmsBackend"


@pytest.fixture
def http_settings(settings):
    settings.SMS_HTTP_URL = "https://sms.example.vn/send"
    settings.SMS_HTTP_TOKEN = "secret-token"
    settings.SMS_HTTP_SENDER = "UBND-XA"
    return settings


def _answer(body: dict):
    response = mock.MagicMock()
    response.__enter__.return_value.read.return_value = json.dumps(body).encode()
    return response


def test_the_http_backend_posts_json_and_returns_the_provider_id(http_settings):
    with mock.patch("urllib.request.urlopen", return_value=_answer({"id": "abc-1"})) as urlopen:
        assert HttpSmsBackend().send("0912345678", "Ho so da nhan") == "abc-1"
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://sms.example.vn/send"
    assert request.get_method() == "POST"
    assert request.get_header("Authorization") == "Bearer secret-token"
    assert json.loads(request.data) == {"to": "0912345678", "text": "Ho so da nhan", "sender": "UBND-XA"}


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (urlerror.HTTPError("u", 503, "busy", {}, io.BytesIO()), SmsTransientError),
        (urlerror.HTTPError("u", 429, "slow down", {}, io.BytesIO()), SmsTransientError),
        (urlerror.HTTPError("u", 400, "bad number", {}, io.BytesIO()), SmsError),
        (urlerror.URLError("no route"), SmsTransientError),
        (TimeoutError(), SmsTransientError),
    ],
)
def test_the_http_backend_tells_transient_from_permanent_failures(http_settings, failure, expected):
    with mock.patch("urllib.request.urlopen", side_effect=failure), pytest.raises(expected):
        HttpSmsBackend().send("0912345678", "x")


def test_the_http_backend_needs_an_http_url(settings):
    settings.SMS_HTTP_URL = "file:///etc/passwd"
    with pytest.raises(ImproperlyConfigured):
        HttpSmsBackend()
