from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from smartcommune.audit.models import AuditEntry
from smartcommune.directory.factories import make_official, make_province
from smartcommune.workdays import services
from smartcommune.workdays.models import CalendarOverride, WorkCalendar

YEAR_URL = reverse("workdays:year", kwargs={"year": 2026})
GOOD_POST = {
    "date": "2026-08-14",
    "kind": "extra_off",
    "name": "Nghỉ do bão số 3",
    "legal_ref": "Công điện 12/CĐ-UBND",
}


@pytest.fixture
def seeded(org):
    calendar = services.calendar_get_or_create_for_province(province=org.province, actor=None)
    services.calendar_seed_official_holidays(actor=None, calendar=calendar)
    return calendar


def test_the_calendar_redirects_to_this_year(client, sign_in, org):
    sign_in(org.officer)
    response = client.get(reverse("workdays:calendar"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workdays:year", kwargs={"year": timezone.localdate().year})


def test_anonymous_visitors_are_sent_to_sign_in(client, org):
    response = client.get(YEAR_URL)
    assert response.status_code == 302
    assert reverse("directory:login") in response["Location"]


def test_an_official_sees_the_year_read_only(client, sign_in, org):
    sign_in(org.officer)

    response = client.get(YEAR_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Quốc khánh" in html
    assert "Ngày Văn hóa Việt Nam" in html  # from the holidays package
    assert "wd-makeup" in html  # Sat 22/08/2026
    assert "wd-swap" in html  # Mon 31/08/2026
    assert 'class="wd-lunar"' in html
    assert "07:30–11:30" in html
    assert 'name="legal_ref"' not in html
    assert "/overrides/" not in html
    assert not WorkCalendar.objects.exists()  # reading creates nothing


def test_the_lunar_date_is_shown_under_the_day(client, sign_in, org):
    sign_in(org.officer)
    html = client.get(YEAR_URL).content.decode()
    # 17/02/2026 is the first day of the first lunar month (Tết Bính Ngọ).
    assert '<span class="wd-solar">17</span><small class="wd-lunar">1/1</small>' in html


def test_legal_references_are_listed(client, sign_in, org, seeded):
    sign_in(org.officer)
    html = client.get(YEAR_URL).content.decode()
    assert "Công văn 9859/VPCP-KGVX" in html


def test_the_page_costs_a_bounded_number_of_queries(
    client, sign_in, org, seeded, django_assert_max_num_queries
):
    sign_in(org.province_admin)
    with django_assert_max_num_queries(14):
        assert client.get(YEAR_URL).status_code == 200
    for day in (3, 4, 5, 6, 7):
        services.calendar_override_add(
            actor=None, calendar=seeded, date=date(2026, 10, day), kind="extra_off", name="X", legal_ref="Y"
        )
    with django_assert_max_num_queries(14):
        assert client.get(YEAR_URL).status_code == 200


def test_a_manager_adds_an_override(client, sign_in, org):
    sign_in(org.province_admin)
    assert 'name="legal_ref"' in client.get(YEAR_URL).content.decode()

    response = client.post(YEAR_URL, GOOD_POST)

    assert response.status_code == 302
    assert response["Location"] == YEAR_URL
    override = CalendarOverride.objects.get()
    assert (override.date, override.kind, override.created_by) == (
        date(2026, 8, 14),
        "extra_off",
        org.province_admin,
    )
    assert override.calendar.province == org.province
    assert AuditEntry.objects.filter(action="calendaroverride.created", actor=org.province_admin).count() == 1
    html = client.get(YEAR_URL).content.decode()
    assert "Nghỉ do bão số 3" in html
    assert reverse("workdays:override_remove", kwargs={"year": 2026, "pk": override.pk}) in html


def test_a_manager_removes_an_override(client, sign_in, org, seeded):
    sign_in(org.province_admin)
    override = CalendarOverride.objects.get(date=date(2026, 8, 31))

    response = client.post(reverse("workdays:override_remove", kwargs={"year": 2026, "pk": override.pk}))

    assert response.status_code == 302
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
    entry = AuditEntry.objects.get(action="calendaroverride.deleted")
    assert entry.actor == org.province_admin
    assert entry.data["date"] == "2026-08-31"


def test_errors_are_shown_next_to_the_fields(client, sign_in, org, seeded):
    sign_in(org.province_admin)

    missing = client.post(YEAR_URL, {**GOOD_POST, "legal_ref": ""})
    taken = client.post(YEAR_URL, {**GOOD_POST, "date": "2026-08-31"})

    assert missing.status_code == 400
    assert missing.context["form"].errors["legal_ref"]
    assert taken.status_code == 400
    assert taken.context["form"].errors["date"] == [
        "Ngày 31/08/2026 đã có trong danh sách; hãy xóa mục đó trước."
    ]
    assert "Ngày 31/08/2026 đã có trong danh sách" in taken.content.decode()
    assert CalendarOverride.objects.filter(date=date(2026, 8, 31)).get().kind == "swap_off"


@pytest.mark.parametrize("who", ["officer", "leader", "other_officer", "citizen", "no_role"])
def test_others_cannot_add(client, sign_in, org, who):
    sign_in(getattr(org, who))

    response = client.post(YEAR_URL, GOOD_POST)

    assert response.status_code == 404
    assert not CalendarOverride.objects.exists()
    assert not WorkCalendar.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="calendaroverride").exists()


@pytest.mark.parametrize("who", ["officer", "leader", "citizen"])
def test_others_cannot_remove(client, sign_in, org, seeded, who):
    sign_in(getattr(org, who))
    override = CalendarOverride.objects.get(date=date(2026, 8, 31))

    response = client.post(reverse("workdays:override_remove", kwargs={"year": 2026, "pk": override.pk}))

    assert response.status_code == 404
    assert CalendarOverride.objects.filter(pk=override.pk).exists()
    assert not AuditEntry.objects.filter(action="calendaroverride.deleted").exists()


def test_another_provinces_manager_cannot_remove(client, sign_in, org, seeded):
    other = make_province("Tỉnh Lai Châu", code="000.00.00.H29")
    admin = make_official(other, "province_admin", username="quantri_laichau")
    sign_in(admin)
    override = CalendarOverride.objects.get(date=date(2026, 8, 31))

    response = client.post(reverse("workdays:override_remove", kwargs={"year": 2026, "pk": override.pk}))

    assert response.status_code == 404
    assert CalendarOverride.objects.filter(pk=override.pk).exists()


def test_remove_needs_post(client, sign_in, org, seeded):
    sign_in(org.province_admin)
    override = CalendarOverride.objects.get(date=date(2026, 8, 31))
    response = client.get(reverse("workdays:override_remove", kwargs={"year": 2026, "pk": override.pk}))
    assert response.status_code == 405
    assert CalendarOverride.objects.filter(pk=override.pk).exists()


def test_years_out_of_range_are_not_found(client, sign_in, org):
    sign_in(org.officer)
    assert client.get(reverse("workdays:year", kwargs={"year": 1200})).status_code == 404
