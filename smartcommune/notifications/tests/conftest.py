from datetime import UTC, datetime

import pytest

from smartcommune.notifications.services import Recipient
from smartcommune.notifications.tests import doubles

RECORDING_SMS = "smartcommune.notifications.tests.doubles.RecordingSmsBackend"
FAILING_EMAIL = "smartcommune.notifications.tests.doubles.FailingEmailBackend"


@pytest.fixture
def sms_outbox(settings):
    """SMS go to a list of (phone, text) instead of the log."""
    settings.SMS_BACKEND = RECORDING_SMS
    doubles.RecordingSmsBackend.sent = []
    doubles.RecordingSmsBackend.error = None
    return doubles.RecordingSmsBackend


@pytest.fixture
def failing_email(settings):
    """E-mail sending raises `failing_email.error` (set it in the test)."""
    settings.EMAIL_BACKEND = FAILING_EMAIL
    doubles.FailingEmailBackend.error = ConnectionRefusedError("connection refused")
    return doubles.FailingEmailBackend


@pytest.fixture
def received_context():
    return {
        "code": "000.01.00.H18-260817-0001",
        "procedure": "Đăng ký khai sinh",
        "due_at": datetime(2026, 8, 20, 9, 30, tzinfo=UTC),  # 16:30 in Hà Nội
        "lookup_url": "https://smartcommune.dienbien.gov.vn/tra-cuu/000.01.00.H18-260817-0001",
        "office": "Bộ phận Một cửa UBND xã Mường Đun",
    }


@pytest.fixture
def citizen_recipient(org):
    citizen = org.citizen.citizen
    citizen.email = "lo.thi.dan@example.vn"
    citizen.phone = "0912345678"
    citizen.save(update_fields=["email", "phone"])
    # English, so that the assertions read the same as the templates' msgids; the Vietnamese rendering
    # has its own test (test_text_is_rendered_in_the_recipients_language).
    return Recipient.of_citizen(citizen, language="en")
