from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from smartcommune.directory.factories import UserFactory, make_official
from smartcommune.notifications.choices import Channel, MessageStatus
from smartcommune.notifications.context_processors import unread_messages
from smartcommune.notifications.factories import MessageFactory, make_inbox
from smartcommune.notifications.models import Message

pytestmark = pytest.mark.django_db

LIST = "/messages/"


def _read_url(message) -> str:
    return f"/messages/{message.public_id}/read/"


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [m.pk for m in response.context["page"]]


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_only_my_in_app_messages_newest_first(sign_in, org):
    # given messages for me, for someone else, and mine on other channels
    now = timezone.now()
    older = MessageFactory(recipient_user=org.citizen, subject="Cũ hơn")
    newer = MessageFactory(recipient_user=org.citizen, subject="Mới hơn")
    Message.objects.filter(pk=older.pk).update(created_at=now - timedelta(days=1))
    MessageFactory(recipient_user=org.other_citizen, subject="Của người khác")
    MessageFactory(
        recipient_user=org.citizen, channel=Channel.EMAIL, recipient_address="a@b.vn", subject="Thư điện tử"
    )

    response = sign_in(org.citizen).get(LIST)

    assert listed(response) == [newer.pk, older.pk]
    content = response.content.decode()
    assert "Của người khác" not in content and "Thư điện tử" not in content


def test_unread_messages_are_bold_and_read_ones_are_not(sign_in, org):
    MessageFactory(recipient_user=org.officer, subject="Chưa đọc")
    MessageFactory(
        recipient_user=org.officer, subject="Đã đọc", status=MessageStatus.READ, read_at=timezone.now()
    )

    client = sign_in(org.officer)
    client.cookies["django_language"] = "en"
    response = client.get(LIST)

    content = response.content.decode()
    unread_heading = content[: content.index("Chưa đọc")].rsplit("<h2", 1)[1]
    read_heading = content[: content.index("Đã đọc")].rsplit("<h2", 1)[1]
    assert "fw-bold" in unread_heading
    assert "fw-bold" not in read_heading and "fw-normal" in read_heading
    assert response.context["unread_count"] == 1
    assert content.count(">Mark as read<") == 1


def test_the_body_is_escaped_and_links_are_clickable(sign_in, org):
    MessageFactory(recipient_user=org.officer, body="<script>x</script>\nTra cứu: https://x.vn/a")
    content = sign_in(org.officer).get(LIST).content.decode()
    assert "<script>x</script>" not in content and "&lt;script&gt;" in content
    assert '<a href="https://x.vn/a"' in content


def test_the_list_is_paginated(sign_in, org):
    make_inbox(org.officer, 30)
    client = sign_in(org.officer)
    assert len(listed(client.get(LIST))) == 25
    assert len(listed(client.get(LIST, {"page": 2}))) == 5


def test_an_empty_inbox(sign_in, org):
    client = sign_in(org.no_role)
    client.cookies["django_language"] = "en"
    response = client.get(LIST)
    assert listed(response) == []
    assert "You have no messages." in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_query_count_does_not_grow_with_messages(sign_in, org, django_assert_max_num_queries):
    client = sign_in(org.citizen)
    make_inbox(org.citizen, 3)
    # session, user, TOTP device, grants (navigation), unread count, page count, page
    with django_assert_max_num_queries(8) as small:
        assert client.get(LIST).status_code == 200
    make_inbox(org.citizen, 60)
    make_inbox(org.citizen, 10, status=MessageStatus.READ, read_at=timezone.now())
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200


# --- marking read --------------------------------------------------------------------------------


def test_marking_one_message_read(sign_in, org):
    message = MessageFactory(recipient_user=org.citizen)
    other = MessageFactory(recipient_user=org.citizen)

    response = sign_in(org.citizen).post(_read_url(message), {"next": "/messages/?page=1"})

    assert response.status_code == 302 and response["Location"] == "/messages/?page=1"
    message.refresh_from_db()
    assert message.status == MessageStatus.READ and message.read_at is not None
    other.refresh_from_db()
    assert other.status == MessageStatus.SENT and other.read_at is None


def test_marking_read_twice_keeps_the_first_time(sign_in, org):
    message = MessageFactory(recipient_user=org.citizen)
    client = sign_in(org.citizen)
    client.post(_read_url(message))
    message.refresh_from_db()
    first = message.read_at
    client.post(_read_url(message))
    message.refresh_from_db()
    assert message.read_at == first


def test_an_unsafe_next_is_ignored(sign_in, org):
    message = MessageFactory(recipient_user=org.citizen)
    response = sign_in(org.citizen).post(_read_url(message), {"next": "https://evil.example/"})
    assert response["Location"] == "/messages/"


def test_another_users_message_is_not_found_and_stays_unread(sign_in, org):
    message = MessageFactory(recipient_user=org.other_citizen)

    response = sign_in(org.citizen).post(_read_url(message))

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.read_at is None


def test_an_email_message_cannot_be_marked_read(sign_in, org):
    message = MessageFactory(
        recipient_user=org.citizen,
        channel=Channel.EMAIL,
        recipient_address="a@b.vn",
        status=MessageStatus.SENT,
    )
    assert sign_in(org.citizen).post(_read_url(message)).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_marking_read_needs_post(sign_in, org):
    message = MessageFactory(recipient_user=org.citizen)
    assert sign_in(org.citizen).get(_read_url(message)).status_code == 405
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_htmx_gets_the_updated_row(sign_in, org):
    message = MessageFactory(recipient_user=org.citizen, subject="Hồ sơ đã nhận")

    response = sign_in(org.citizen).post(_read_url(message), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith(f'<li class="list-group-item" id="message-{message.public_id}">')
    assert "Hồ sơ đã nhận" in content and "fw-normal" in content and "Mark as read" not in content


def test_marking_all_read_touches_only_mine(sign_in, org):
    mine = make_inbox(org.citizen, 3)
    theirs = MessageFactory(recipient_user=org.other_citizen)

    response = sign_in(org.citizen).post("/messages/read-all/")

    assert response.status_code == 302
    assert set(Message.objects.filter(pk__in=[m.pk for m in mine]).values_list("status", flat=True)) == {
        MessageStatus.READ
    }
    theirs.refresh_from_db()
    assert theirs.status == MessageStatus.SENT


# --- the navigation badge ------------------------------------------------------------------------


def test_the_unread_count_of_the_header(org, rf):
    make_inbox(org.citizen, 2)
    make_inbox(org.citizen, 1, status=MessageStatus.READ, read_at=timezone.now())
    MessageFactory(recipient_user=org.other_citizen)

    def counted(user):
        request = rf.get("/")
        request.user = user
        return unread_messages(request)["unread_messages"]()

    assert counted(org.citizen) == 2
    assert counted(org.no_role) == 0
    assert counted(AnonymousUser()) == 0


def test_the_page_header_shows_the_unread_badge_once_counted(client, org):
    make_inbox(org.citizen, 4)
    client.force_login(org.citizen)
    html = client.get("/").content.decode()
    assert html.count('href="/messages/"') == 2  # desktop header and phone menu
    assert html.count(">4<") == 2


# --- admin ---------------------------------------------------------------------------------------


def test_the_admin_list_is_for_system_admins_and_masks_addresses(sign_in, org):
    MessageFactory(channel=Channel.SMS, recipient_address="0912345678", status=MessageStatus.QUEUED)
    admin = make_official(org.province, "system_admin", is_staff=True)
    content = sign_in(admin).get("/admin/notifications/message/").content.decode()
    assert "*******678" in content and "0912345678" not in content


@pytest.mark.parametrize("who", ["province_admin", "leader"])
def test_other_staff_do_not_see_messages_in_admin(sign_in, org, who):
    user = getattr(org, who)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert sign_in(user).get("/admin/notifications/message/").status_code == 403


def test_messages_are_read_only_in_admin(sign_in, org):
    message = MessageFactory(recipient_user=org.citizen)
    root = UserFactory(is_superuser=True, is_staff=True)
    client = sign_in(root)
    assert client.get(f"/admin/notifications/message/{message.pk}/change/").status_code == 200
    assert client.get("/admin/notifications/message/add/").status_code == 403
    assert (
        client.post(f"/admin/notifications/message/{message.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Message.objects.filter(pk=message.pk).exists()
