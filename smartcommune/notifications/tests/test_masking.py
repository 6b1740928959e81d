from smartcommune.notifications.factories import MessageFactory
from smartcommune.notifications.masking import mask_address, mask_contacts, mask_email, mask_phone


def test_phones_keep_their_last_three_digits():
    assert mask_phone("0912345678") == "*******678"
    assert mask_phone("+84 912 345 678") == "********678"
    assert mask_phone("12") == "**"


def test_emails_keep_the_first_letter_and_the_domain():
    assert mask_email("lo.thi.dan@example.vn") == "l***@example.vn"
    assert mask_email("no-at-sign") == "***"


def test_addresses_are_masked_by_kind():
    assert mask_address("a@b.vn") == "a***@b.vn"
    assert mask_address("0912345678") == "*******678"
    assert mask_address("") == ""


def test_contacts_in_free_text_are_masked():
    text = "refused <lo.thi.dan@example.vn>; sms 0912 345 678 failed, code 550"
    assert mask_contacts(text) == "refused <l***@example.vn>; sms *******678 failed, code 550"


def test_a_message_names_its_recipient_masked():
    message = MessageFactory.build(channel="sms", recipient_address="0912345678", event="dossier.received")
    assert str(message) == "dossier.received → *******678 (sms)"
    assert "0912345678" not in str(message)
