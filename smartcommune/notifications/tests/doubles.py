"""Test doubles for the SMS and e-mail backends."""

from django.core.mail.backends.base import BaseEmailBackend

from smartcommune.notifications.sms import BaseSmsBackend


class RecordingSmsBackend(BaseSmsBackend):
    sent: list[tuple[str, str]] = []
    error: Exception | None = None

    def send(self, phone: str, text: str) -> str:
        if self.error is not None:
            raise self.error
        RecordingSmsBackend.sent.append((phone, text))
        return f"rec-{len(RecordingSmsBackend.sent)}"


class FailingEmailBackend(BaseEmailBackend):
    error: Exception | None = None
    calls = 0

    def send_messages(self, email_messages):
        FailingEmailBackend.calls += 1
        raise self.error
