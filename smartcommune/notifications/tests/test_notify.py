from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.template import TemplateDoesNotExist

from smartcommune.notifications import tasks
from smartcommune.notifications.choices import Channel, MessageStatus
from smartcommune.notifications.models import Message
from smartcommune.notifications.selectors import message_unread_count
from smartcommune.notifications.services import Recipient, message_mark_all_read, notify

pytestmark = pytest.mark.django_db


def _by_channel(messages) -> dict[str, Message]:
    return {m.channel: m for m in messages}


# --- what is created -----------------------------------------------------------------------------


def test_one_message_per_channel_rendered_for_the_recipient(
    org, citizen_recipient, received_context, sms_outbox, django_capture_on_commit_callbacks
):
    # when a citizen with an account, an e-mail and a phone is told their dossier was received
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify(
            event="dossier.received",
            recipients=[citizen_recipient],
            context=received_context,
            related=("dossiers.dossier", 123),
            org_unit=org.muong_dun,
        )

    # then there is one message per channel, in Vietnamese, about the dossier, for the unit
    messages = _by_channel(created)
    assert set(messages) == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    email, sms, in_app = messages[Channel.EMAIL], messages[Channel.SMS], messages[Channel.IN_APP]
    assert email.recipient_address == "lo.thi.dan@example.vn"
    assert sms.recipient_address == "0912345678"
    assert in_app.recipient_user == org.citizen and in_app.recipient_address == ""
    for message in created:
        assert message.event == "dossier.received"
        assert message.language == "en"
        assert (message.related_type, message.related_id) == ("dossiers.dossier", "123")
        assert message.org_unit == org.muong_dun
        assert message.subject == "Dossier 000.01.00.H18-260817-0001 received"
    # the body keeps the Vietnamese values and shows the due time in Asia/Ho_Chi_Minh
    assert 'procedure "Đăng ký khai sinh"' in email.body
    assert "Bộ phận Một cửa UBND xã Mường Đun" in email.body
    assert "16:30 20/08/2026" in email.body
    assert received_context["lookup_url"] in email.body
    assert email.body.startswith(f"Dear {org.citizen.citizen.full_name},")
    assert in_app.body == email.body
    # the SMS is unaccented and short
    assert sms.body == (
        "Dossier 000.01.00.H18-260817-0001 (Dang ky khai sinh) has been received. Result due 20/08/2026. "
        "Look up: https://smartcommune.dienbien.gov.vn/tra-cuu/000.01.00.H18-260817-0001"
    )
    # e-mail and SMS wait for the commit; the in-app message is delivered by being committed
    assert (email.status, sms.status) == (MessageStatus.QUEUED, MessageStatus.QUEUED)
    assert in_app.status == MessageStatus.SENT and in_app.sent_at is not None
    assert len(_send_tasks(callbacks)) == 2
    assert mail.outbox == [] and sms_outbox.sent == []


def _send_tasks(callbacks) -> list:
    """The e-mail/SMS sends queued for the commit (other callbacks drop cached counts)."""
    return [c for c in callbacks if getattr(c, "keywords", {}).get("message_id")]


def test_a_new_in_app_message_shows_in_the_cached_unread_count(org, received_context):
    assert message_unread_count(user=org.officer) == 0  # now cached
    notify(event="dossier.received", recipients=[Recipient(user=org.officer)], context=received_context)
    assert message_unread_count(user=org.officer) == 1
    message_mark_all_read(user=org.officer)
    assert message_unread_count(user=org.officer) == 0


def test_text_is_rendered_in_the_recipients_language(org, settings, tmp_path):
    # given an event whose template uses a message the Vietnamese catalogue translates
    folder = tmp_path / "notifications" / "test.hello"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text('{% load i18n %}{% translate "Home" %}')
    (folder / "body.txt").write_text('{% load i18n %}{% translate "Home" %}: {{ name }}')
    (folder / "sms.txt").write_text('{% load i18n %}{% translate "Home" %}')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    # when one recipient reads Vietnamese and the other English
    vi, en = notify(
        event="test.hello",
        recipients=[Recipient(user=org.citizen), Recipient(user=org.officer, language="en")],
        context={"name": "Mường Đun"},
        channels=("in_app",),
    )

    # then each gets their own language
    assert (vi.language, vi.subject, vi.body) == ("vi", "Trang chủ", "Trang chủ: Mường Đun")
    assert (en.language, en.subject, en.body) == ("en", "Home", "Home: Mường Đun")


def test_unknown_language_falls_back_to_vietnamese(org, received_context):
    (message,) = notify(
        event="dossier.received",
        recipients=[Recipient(user=org.citizen, language="fr")],
        context=received_context,
        channels=("in_app",),
    )
    assert message.language == "vi"


def test_channels_without_an_address_are_skipped(org, received_context, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        created = notify(
            event="dossier.received",
            recipients=[
                Recipient(email="only.mail@example.vn"),  # no account, no phone
                Recipient(phone="0987 654 321"),  # no account, no e-mail
                Recipient(user=org.officer),  # an account only
            ],
            context=received_context,
        )
    assert [(m.channel, m.recipient_address, m.recipient_user) for m in created] == [
        (Channel.EMAIL, "only.mail@example.vn", None),
        (Channel.SMS, "0987654321", None),
        (Channel.IN_APP, "", org.officer),
    ]
    assert len(_send_tasks(callbacks)) == 2


def test_only_the_requested_channels_are_used(org, citizen_recipient, received_context):
    created = notify(
        event="dossier.received", recipients=[citizen_recipient], context=received_context, channels=("sms",)
    )
    assert [m.channel for m in created] == [Channel.SMS]


def test_an_invalid_address_is_recorded_as_failed_and_never_sent(
    received_context, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notify(
            event="dossier.received",
            recipients=[Recipient(email="not-an-address", phone="12345")],
            context=received_context,
        )
    assert [(m.channel, m.status, m.last_error, m.next_retry_at) for m in created] == [
        (Channel.EMAIL, MessageStatus.FAILED, "invalid address", None),
        (Channel.SMS, MessageStatus.FAILED, "invalid address", None),
    ]
    assert callbacks == []
    assert mail.outbox == []


def test_missing_context_keys_are_refused(org, received_context):
    del received_context["due_at"]
    with pytest.raises(ValueError, match="due_at"):
        notify(event="dossier.received", recipients=[Recipient(user=org.citizen)], context=received_context)
    assert Message.objects.count() == 0


def test_unknown_channels_and_events_are_refused(org, received_context):
    recipients = [Recipient(user=org.citizen)]
    with pytest.raises(ValueError, match="fax"):
        notify(event="dossier.received", recipients=recipients, context=received_context, channels=("fax",))
    with pytest.raises(TemplateDoesNotExist):
        notify(event="dossier.no_such_event", recipients=recipients, context={})
    assert Message.objects.count() == 0


def test_a_model_instance_names_what_the_messages_are_about(org, received_context):
    (message,) = notify(
        event="dossier.received",
        recipients=[Recipient(user=org.citizen)],
        context=received_context,
        related=org.muong_dun,
        channels=("in_app",),
    )
    assert (message.related_type, message.related_id) == ("directory.orgunit", str(org.muong_dun.pk))


# --- after commit, and only then -----------------------------------------------------------------


def test_email_and_sms_go_out_after_commit(
    citizen_recipient, received_context, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(event="dossier.received", recipients=[citizen_recipient], context=received_context)

    (email,) = mail.outbox
    assert email.to == ["lo.thi.dan@example.vn"]
    assert email.subject == "Dossier 000.01.00.H18-260817-0001 received"
    assert "Đăng ký khai sinh" in email.body
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sms_outbox.sent == [("0912345678", _by_channel(created)[Channel.SMS].body)]
    assert "Dang ky khai sinh" in sms_outbox.sent[0][1]
    for message in Message.objects.filter(channel__in=[Channel.EMAIL, Channel.SMS]):
        assert message.status == MessageStatus.SENT
        assert message.attempts == 1
        assert message.sent_at is not None and message.next_retry_at is None
    assert Message.objects.get(channel=Channel.EMAIL).provider_message_id == email.extra_headers["Message-ID"]
    assert Message.objects.get(channel=Channel.SMS).provider_message_id == "rec-1"


def test_nothing_is_kept_queued_or_sent_when_the_transaction_rolls_back(
    citizen_recipient, received_context, sms_outbox, django_capture_on_commit_callbacks
):
    # given a change that notifies and then fails
    with (
        mock.patch.object(tasks.message_send_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(event="dossier.received", recipients=[citizen_recipient], context=received_context)
        raise RuntimeError("the dossier could not be saved")

    # then nothing was queued, sent or kept
    assert callbacks == []
    delay.assert_not_called()
    assert mail.outbox == [] and sms_outbox.sent == []
    assert Message.objects.count() == 0


def test_the_sms_keeps_accents_when_asked(settings, citizen_recipient, received_context, sms_outbox):
    settings.SMS_ASCII_ONLY = False
    (sms,) = notify(
        event="dossier.received", recipients=[citizen_recipient], context=received_context, channels=("sms",)
    )
    assert "(Đăng ký khai sinh)" in sms.body
