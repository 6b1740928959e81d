from datetime import date, datetime, time

import pytest

from smartcommune.audit.models import AuditEntry
from smartcommune.workdays import engine, selectors, services
from smartcommune.workdays.errors import CalendarInputError
from smartcommune.workdays.models import CalendarOverride, OfficeHours, WorkCalendar
from smartcommune.workdays.official_decisions import OFFICIAL_DECISIONS

VN = engine.VN_TZ


@pytest.fixture
def calendar(org):
    return services.calendar_get_or_create_for_province(province=org.province, actor=org.province_admin)


def test_a_new_calendar_has_the_default_office_hours_and_is_audited(org, calendar):
    assert calendar.province == org.province
    assert calendar.due_time_mode == "same_clock_time"
    assert calendar.receipt_day_counts is False
    assert calendar.online_last_hour_rolls is True
    assert calendar.same_day_cutoff == time(15, 0)
    assert calendar.use_package_holidays is True
    assert OfficeHours.objects.filter(calendar=calendar).count() == 10
    assert selectors.rules_for_calendar(calendar).office_hours == engine.DEFAULT_OFFICE_HOURS
    assert AuditEntry.objects.filter(action="workcalendar.created", org_unit=org.province).count() == 1


def test_get_or_create_twice_gives_the_same_calendar(org, calendar):
    again = services.calendar_get_or_create_for_province(province=org.province, actor=org.province_admin)
    assert again.pk == calendar.pk
    assert AuditEntry.objects.filter(action="workcalendar.created").count() == 1


def test_a_commune_cannot_have_its_own_calendar(org):
    with pytest.raises(CalendarInputError):
        services.calendar_get_or_create_for_province(province=org.muong_dun, actor=org.province_admin)
    assert not WorkCalendar.objects.exists()


def test_communes_and_villages_use_their_provinces_calendar(org, calendar):
    assert selectors.calendar_for_unit(org.ban_a).pk == calendar.pk
    assert selectors.calendar_for_unit(org.phin_ho).pk == calendar.pk


def test_a_province_without_a_calendar_reads_the_defaults_without_writing(org):
    calendar = selectors.calendar_for_unit(org.muong_dun)
    assert calendar.pk is None
    assert selectors.rules_for_calendar(calendar).office_hours == engine.DEFAULT_OFFICE_HOURS
    assert not WorkCalendar.objects.exists()


def test_adding_an_extra_day_off_moves_deadlines_and_is_audited(org, calendar):
    before = selectors.rules_for_calendar(calendar)
    start = datetime(2026, 8, 13, 10, 20, tzinfo=VN)
    assert engine.add_working_days(before, start, 3) == datetime(2026, 8, 18, 10, 20, tzinfo=VN)

    override = services.calendar_override_add(
        actor=org.province_admin,
        calendar=calendar,
        date=date(2026, 8, 14),
        kind="extra_off",
        name="Nghỉ do bão số 3",
        legal_ref="Công điện 12/CĐ-UBND",
    )

    assert override.created_by == org.province_admin
    after = selectors.rules_for_calendar(calendar)
    assert engine.add_working_days(after, start, 3) == datetime(2026, 8, 19, 10, 20, tzinfo=VN)
    entry = AuditEntry.objects.get(action="calendaroverride.created")
    assert entry.org_unit == org.province
    assert entry.actor == org.province_admin
    assert entry.target_id == str(override.pk)
    assert entry.data["legal_ref"] == "Công điện 12/CĐ-UBND"


def test_a_second_entry_on_the_same_date_is_refused(org, calendar):
    services.calendar_override_add(
        actor=org.province_admin,
        calendar=calendar,
        date=date(2026, 8, 14),
        kind="extra_off",
        name="A",
        legal_ref="X",
    )
    with pytest.raises(CalendarInputError) as err:
        services.calendar_override_add(
            actor=org.province_admin,
            calendar=calendar,
            date=date(2026, 8, 14),
            kind="holiday",
            name="B",
            legal_ref="Y",
        )
    assert err.value.field == "date"
    assert CalendarOverride.objects.get().name == "A"
    assert AuditEntry.objects.filter(action="calendaroverride.created").count() == 1


@pytest.mark.parametrize(
    ("day", "kind", "name", "legal_ref", "field"),
    [
        (date(2026, 8, 17), "makeup_workday", "Làm bù", "TB 1", "date"),  # a Monday already has hours
        (date(2026, 8, 17), "not_holiday", "Không nghỉ", "TB 1", "date"),  # no holiday to cancel
        (date(2026, 8, 17), "long_weekend", "?", "TB 1", "kind"),
        (date(2026, 8, 17), "extra_off", "  ", "TB 1", "name"),
        (date(2026, 8, 17), "extra_off", "Nghỉ", "", "legal_ref"),
    ],
)
def test_invalid_overrides_are_refused(org, calendar, day, kind, name, legal_ref, field):
    revision = calendar.revision
    with pytest.raises(CalendarInputError) as err:
        services.calendar_override_add(
            actor=org.province_admin, calendar=calendar, date=day, kind=kind, name=name, legal_ref=legal_ref
        )
    assert err.value.field == field
    assert not CalendarOverride.objects.exists()
    calendar.refresh_from_db()
    assert calendar.revision == revision


def test_not_a_holiday_cancels_culture_day(org, calendar):
    services.calendar_override_add(
        actor=org.province_admin,
        calendar=calendar,
        date=date(2026, 11, 24),
        kind="not_holiday",
        name="Làm việc bình thường",
        legal_ref="Quyết định 1/QĐ-UBND",
    )
    assert engine.is_working_day(selectors.rules_for_calendar(calendar), date(2026, 11, 24))


def test_a_makeup_saturday_in_2027_is_worked_with_mondays_hours(org, calendar):
    services.calendar_override_add(
        actor=org.province_admin,
        calendar=calendar,
        date=date(2027, 4, 24),
        kind="makeup_workday",
        name="Làm bù cho thứ Hai 03/05/2027",
        legal_ref="Thông báo …/TB-BNV",
    )
    rules = selectors.rules_for_calendar(calendar)
    assert engine.periods_on(rules, date(2027, 4, 24)) == engine.DEFAULT_OFFICE_HOURS[0]


def test_removing_an_override_restores_the_national_calendar_and_is_audited(org, calendar):
    override = services.calendar_override_add(
        actor=org.province_admin,
        calendar=calendar,
        date=date(2026, 11, 24),
        kind="not_holiday",
        name="Làm việc",
        legal_ref="QĐ 1",
    )
    services.calendar_override_remove(actor=org.province_admin, override=override)

    assert not CalendarOverride.objects.exists()
    assert not engine.is_working_day(selectors.rules_for_calendar(calendar), date(2026, 11, 24))
    entry = AuditEntry.objects.get(action="calendaroverride.deleted")
    assert entry.data == {
        "date": "2026-11-24",
        "kind": "not_holiday",
        "name": "Làm việc",
        "legal_ref": "QĐ 1",
    }
    assert entry.org_unit == org.province


def test_office_hours_set_replaces_one_weekday(org, calendar):
    services.office_hours_set(
        actor=org.province_admin, calendar=calendar, weekday=4, periods=[(time(7), time(11))]
    )

    rules = selectors.rules_for_calendar(calendar)
    assert rules.office_hours[4] == ((time(7), time(11)),)
    assert rules.office_hours[3] == engine.DEFAULT_OFFICE_HOURS[3]
    entry = AuditEntry.objects.get(action="officehours.updated")
    assert entry.data == {"weekday": 4, "periods": ["07:00-11:00"]}


@pytest.mark.parametrize(
    "periods",
    [
        [(time(8), time(12)), (time(11), time(17))],  # overlap
        [(time(12), time(8))],  # ends before it starts
    ],
)
def test_bad_office_hours_are_refused(org, calendar, periods):
    with pytest.raises(CalendarInputError):
        services.office_hours_set(actor=org.province_admin, calendar=calendar, weekday=0, periods=periods)
    assert OfficeHours.objects.filter(calendar=calendar, weekday=0).count() == 2
    assert not AuditEntry.objects.filter(action="officehours.updated").exists()


def test_the_last_weekday_with_office_hours_cannot_be_cleared(org, calendar):
    for weekday in range(4):
        services.office_hours_set(actor=org.province_admin, calendar=calendar, weekday=weekday, periods=[])
    with pytest.raises(CalendarInputError):
        services.office_hours_set(actor=org.province_admin, calendar=calendar, weekday=4, periods=[])
    assert OfficeHours.objects.filter(calendar=calendar, weekday=4).count() == 2


def test_calendar_update_changes_conventions_and_is_audited(org, calendar):
    services.calendar_update(
        actor=org.province_admin, calendar=calendar, due_time_mode="close_of_day", same_day_cutoff=time(16)
    )

    calendar.refresh_from_db()
    assert calendar.due_time_mode == "close_of_day"
    rules = selectors.rules_for_calendar(calendar)
    assert rules.same_day_cutoff == time(16)
    start = datetime(2026, 8, 13, 10, 20, tzinfo=VN)
    assert engine.add_working_days(rules, start, 3) == datetime(2026, 8, 18, 17, 0, tzinfo=VN)
    entry = AuditEntry.objects.get(action="workcalendar.updated")
    assert entry.data["due_time_mode"] == ["same_clock_time", "close_of_day"]


def test_calendar_update_refuses_unknown_settings(org, calendar):
    with pytest.raises(CalendarInputError):
        services.calendar_update(actor=org.province_admin, calendar=calendar, weekend="sunday")
    with pytest.raises(CalendarInputError):
        services.calendar_update(actor=org.province_admin, calendar=calendar, due_time_mode="noon")
    assert not AuditEntry.objects.filter(action="workcalendar.updated").exists()


def test_seeding_the_official_decisions_is_idempotent(org, calendar):
    created = services.calendar_seed_official_holidays(actor=None, calendar=calendar)
    expected = len(OFFICIAL_DECISIONS[2025]) + len(OFFICIAL_DECISIONS[2026])
    assert len(created) == expected
    assert services.calendar_seed_official_holidays(actor=None, calendar=calendar) == []
    assert CalendarOverride.objects.filter(calendar=calendar).count() == expected
    assert AuditEntry.objects.filter(action="calendaroverride.created").count() == expected

    swap = CalendarOverride.objects.get(date=date(2026, 8, 31))
    assert swap.kind == "swap_off"
    assert "9859/VPCP-KGVX" in swap.legal_ref
    assert CalendarOverride.objects.get(date=date(2026, 8, 22)).kind == "makeup_workday"
    assert all(o.legal_ref for o in CalendarOverride.objects.all())


def test_seeding_keeps_the_provinces_own_entries(org, calendar):
    services.calendar_override_add(
        actor=org.province_admin,
        calendar=calendar,
        date=date(2026, 9, 2),
        kind="holiday",
        name="Quốc khánh (tỉnh ghi)",
        legal_ref="QĐ 5",
    )
    services.calendar_seed_official_holidays(actor=None, calendar=calendar, years=(2026,))
    assert CalendarOverride.objects.get(date=date(2026, 9, 2)).name == "Quốc khánh (tỉnh ghi)"


def test_seeded_calendar_gives_the_worked_examples_even_without_the_package(org, calendar):
    services.calendar_seed_official_holidays(actor=None, calendar=calendar)
    services.calendar_update(actor=None, calendar=calendar, use_package_holidays=False)
    rules = selectors.rules_for_calendar(calendar)
    assert engine.add_working_days(rules, datetime(2026, 8, 20, 16, 30, tzinfo=VN), 3, "online") == datetime(
        2026, 8, 25, 16, 30, tzinfo=VN
    )
    assert engine.same_day(rules, datetime(2026, 8, 28, 15, 40, tzinfo=VN)) == datetime(
        2026, 9, 3, 17, tzinfo=VN
    )
    assert engine.add_working_days(rules, datetime(2026, 2, 9, 9, tzinfo=VN), 5) == datetime(
        2026, 2, 23, 9, tzinfo=VN
    )


def test_rules_are_cached_until_the_calendar_changes(org, calendar, django_assert_num_queries):
    first = selectors.rules_for_calendar(calendar)
    with django_assert_num_queries(0):
        assert selectors.rules_for_calendar(calendar) is first
    services.office_hours_set(actor=None, calendar=calendar, weekday=5, periods=[(time(7, 30), time(11, 30))])
    fresh = WorkCalendar.objects.get(pk=calendar.pk)
    assert selectors.rules_for_calendar(fresh) is not first
    assert selectors.rules_for_calendar(fresh).office_hours[5] == ((time(7, 30), time(11, 30)),)
