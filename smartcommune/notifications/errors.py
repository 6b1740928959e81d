"""Errors of the notifications app. Sending failures are recorded on the message, not shown to users."""


class TransientSendError(Exception):
    """Sending failed for a reason that may pass (SMTP 4xx or disconnect, connection refused,
    timeout, SMS gateway busy). Raised by `message_send` after the failure is recorded, so that
    the task retries it with back-off."""
