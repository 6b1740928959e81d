from django.urls import reverse

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import UserFactory
from smartcommune.workdays import services


def test_the_admin_screens_open_and_an_admin_edit_refreshes_cached_rules(client, sign_in, org):
    calendar = services.calendar_get_or_create_for_province(province=org.province, actor=None)
    services.calendar_seed_official_holidays(actor=None, calendar=calendar, years=(2026,))
    sign_in(UserFactory(is_staff=True, is_superuser=True))
    for name in ("workcalendar", "officehours", "calendaroverride"):
        assert client.get(reverse(f"admin:workdays_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:workdays_workcalendar_change", args=[calendar.pk])).status_code == 200

    override = calendar.overrides.first()
    revision = calendar.revision
    response = client.post(
        reverse("admin:workdays_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.revision != revision
    assert AuditEntry.objects.filter(action="calendaroverride.deleted", target_id=str(override.pk)).exists()


def test_province_admin_reaches_the_calendar_admin_and_officers_do_not(client, sign_in, org):
    services.calendar_get_or_create_for_province(province=org.province, actor=None)
    org.province_admin.is_staff = True
    org.province_admin.save()
    sign_in(org.province_admin)
    assert client.get(reverse("admin:workdays_workcalendar_changelist")).status_code == 200
    org.officer.is_staff = True
    org.officer.save()
    sign_in(org.officer)
    assert client.get(reverse("admin:workdays_workcalendar_changelist")).status_code == 403
