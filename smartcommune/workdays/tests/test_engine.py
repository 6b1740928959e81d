"""Deadline arithmetic, without a database: the worked examples of DOMAIN.md §1.6 and the 2025–2026
holidays. Default rules: Mon–Fri 07:30–11:30 and 13:30–17:00, national holidays from `holidays`."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from smartcommune.workdays import engine
from smartcommune.workdays.engine import (
    VN_TZ,
    CalendarError,
    CalendarRules,
    DayKind,
    Override,
    add_working_days,
    add_working_hours,
    deemed_receipt,
    describe_day,
    due,
    is_working_day,
    next_working_moment,
    periods_on,
    same_day,
    working_minutes_between,
)

RULES = CalendarRules()


def vn(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


# --- the worked examples of DOMAIN.md §1.6 -------------------------------------------------------


def test_marital_status_certificate_3_working_days_at_the_counter():
    assert add_working_days(RULES, vn(2026, 8, 13, 10, 20), 3) == vn(2026, 8, 18, 10, 20)


def test_online_in_the_last_hour_counts_from_the_next_day_and_the_makeup_saturday_is_day_1():
    received = vn(2026, 8, 20, 16, 30)
    assert deemed_receipt(RULES, received, "online") == vn(2026, 8, 21, 7, 30)
    assert add_working_days(RULES, received, 3, "online") == vn(2026, 8, 25, 16, 30)


def test_online_example_when_the_deemed_receipt_day_counts_is_a_day_earlier():
    rules = CalendarRules(receipt_day_counts=True)
    assert add_working_days(rules, vn(2026, 8, 20, 16, 30), 3, "online") == vn(2026, 8, 24, 16, 30)


def test_certified_copy_after_the_cutoff_before_the_national_day_break():
    # 29/08–02/09/2026 are off: weekend, Mon 31/08 swapped, 01–02/09 National Day.
    assert same_day(RULES, vn(2026, 8, 28, 15, 40)) == vn(2026, 9, 3, 17, 0)


def test_marriage_registration_5_working_days_across_tet_2026():
    assert add_working_days(RULES, vn(2026, 2, 9, 9, 0), 5) == vn(2026, 2, 23, 9, 0)


# --- the national calendar as the `holidays` package gives it --------------------------------------

NON_WORKING = [
    # Tết Ất Tỵ 2025: Mon 27/01 – Fri 31/01 (with the weekends, 25/01 – 02/02)
    *[date(2025, 1, d) for d in range(25, 32)],
    date(2025, 2, 1),
    date(2025, 2, 2),
    date(2025, 4, 7),  # Hùng Kings 2025
    *[date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2025, 5, 3), date(2025, 5, 4)],
    *[date(2025, 8, 30), date(2025, 8, 31), date(2025, 9, 1), date(2025, 9, 2)],
    date(2026, 1, 1),
    *[date(2026, 2, d) for d in range(14, 23)],  # Tết Bính Ngọ: Sat 14/02 – Sun 22/02
    date(2026, 4, 27),  # Hùng Kings on Sunday 26/04 → Monday off
    *[date(2026, 4, 30), date(2026, 5, 1)],
    *[date(2026, 8, 29), date(2026, 8, 30), date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)],
    date(2026, 11, 24),  # Vietnamese Culture Day, in the package from 2026
]
WORKING = [
    date(2025, 1, 24),
    date(2025, 2, 3),
    date(2025, 4, 26),  # make-up Saturday for Fri 02/05/2025
    date(2025, 4, 29),
    date(2025, 5, 5),
    date(2025, 9, 3),
    date(2026, 2, 13),
    date(2026, 2, 23),
    date(2026, 4, 28),
    date(2026, 8, 22),  # make-up Saturday for Mon 31/08/2026
    date(2026, 9, 3),
]


@pytest.mark.parametrize("day", NON_WORKING, ids=str)
def test_days_off_2025_2026(day):
    assert not is_working_day(RULES, day)


@pytest.mark.parametrize("day", WORKING, ids=str)
def test_working_days_2025_2026(day):
    assert is_working_day(RULES, day)


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2025, 5, 2), DayKind.SWAP_OFF),
        (date(2025, 4, 26), DayKind.MAKEUP_WORKDAY),
        (date(2026, 8, 31), DayKind.SWAP_OFF),
        (date(2026, 8, 22), DayKind.MAKEUP_WORKDAY),
        (date(2026, 2, 17), DayKind.HOLIDAY),
        (date(2026, 9, 2), DayKind.HOLIDAY),
        (date(2026, 3, 2), DayKind.REGULAR),
    ],
)
def test_kinds_of_days_from_the_package(day, kind):
    assert describe_day(RULES, day).kind == kind


def test_holiday_names_are_vietnamese():
    assert describe_day(RULES, date(2026, 9, 2)).name == "Quốc khánh"
    assert describe_day(RULES, date(2026, 2, 17)).name == "Tết Nguyên Đán"


def test_a_makeup_saturday_keeps_mondays_hours():
    rules = CalendarRules(
        office_hours=(((time(8), time(12)),),) + (((time(7, 30), time(11, 30)),),) * 4 + ((), ())
    )
    assert periods_on(rules, date(2026, 8, 22)) == ((time(8), time(12)),)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tết 2025: received Fri 24/01 → Mon 03/02 is day 1
        (vn(2025, 1, 24, 9, 0), 1, vn(2025, 2, 3, 9, 0)),
        (vn(2025, 1, 24, 9, 0), 3, vn(2025, 2, 5, 9, 0)),
        # 30/4–1/5/2025: Sat 26/04 is worked, Fri 02/05 is not
        (vn(2025, 4, 25, 10, 0), 1, vn(2025, 4, 26, 10, 0)),
        (vn(2025, 4, 29, 10, 0), 1, vn(2025, 5, 5, 10, 0)),
        # National Day 2025: Fri 29/08 → Wed 03/09
        (vn(2025, 8, 29, 8, 0), 1, vn(2025, 9, 3, 8, 0)),
        # Tết 2026: Fri 13/02 → Mon 23/02
        (vn(2026, 2, 13, 14, 0), 1, vn(2026, 2, 23, 14, 0)),
        # Hùng Kings 2026 observed Mon 27/04, then 30/04–01/05
        (vn(2026, 4, 24, 9, 0), 2, vn(2026, 4, 29, 9, 0)),
        (vn(2026, 4, 29, 9, 0), 1, vn(2026, 5, 4, 9, 0)),
        # National Day 2026: Fri 21/08 → Sat 22/08 (make-up) → Thu 03/09
        (vn(2026, 8, 21, 9, 0), 1, vn(2026, 8, 22, 9, 0)),
        (vn(2026, 8, 28, 9, 0), 1, vn(2026, 9, 3, 9, 0)),
        # received on a day off: day 1 is the next working day
        (vn(2026, 2, 15, 9, 0), 1, vn(2026, 2, 23, 9, 0)),
    ],
)
def test_working_days_around_holidays(start, n, expected):
    assert add_working_days(RULES, start, n) == expected


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (time(6, 0), time(7, 30)),  # before opening → opening
        (time(7, 30), time(7, 30)),
        (time(11, 30), time(11, 30)),  # a period end is a working moment
        (time(12, 15), time(13, 30)),  # lunch → afternoon opening
        (time(17, 0), time(17, 0)),
        (time(19, 45), time(17, 0)),  # after closing → close of that day
    ],
)
def test_same_clock_time_is_clamped_into_the_due_days_office_hours(clock, expected):
    start = datetime.combine(date(2026, 3, 2), clock, tzinfo=VN_TZ)
    assert add_working_days(RULES, start, 2) == datetime.combine(date(2026, 3, 4), expected, tzinfo=VN_TZ)


def test_close_of_day_mode():
    rules = CalendarRules(due_time_mode="close_of_day")
    assert add_working_days(rules, vn(2026, 8, 13, 10, 20), 3) == vn(2026, 8, 18, 17, 0)


def test_zero_working_days_is_the_next_working_moment():
    assert add_working_days(RULES, vn(2026, 3, 7, 10, 0), 0) == vn(2026, 3, 9, 7, 30)


# --- receipt -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "deemed"),
    [
        (vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 9, 0)),  # in office hours
        (vn(2026, 3, 2, 15, 59), vn(2026, 3, 2, 15, 59)),  # just before the last hour
        (vn(2026, 3, 2, 16, 0), vn(2026, 3, 3, 7, 30)),  # the last hour rolls
        (vn(2026, 3, 2, 17, 0), vn(2026, 3, 3, 7, 30)),
        (vn(2026, 3, 2, 21, 0), vn(2026, 3, 3, 7, 30)),  # evening
        (vn(2026, 3, 2, 6, 0), vn(2026, 3, 2, 7, 30)),  # early morning
        (vn(2026, 3, 2, 12, 0), vn(2026, 3, 2, 13, 30)),  # lunch break
        (vn(2026, 3, 7, 10, 0), vn(2026, 3, 9, 7, 30)),  # Saturday
        (vn(2026, 2, 13, 16, 30), vn(2026, 2, 23, 7, 30)),  # last hour before Tết
    ],
)
def test_online_deemed_receipt(received, deemed):
    assert deemed_receipt(RULES, received, "online") == deemed


def test_online_last_hour_setting_off():
    rules = CalendarRules(online_last_hour_rolls=False)
    assert deemed_receipt(rules, vn(2026, 3, 2, 16, 30), "online") == vn(2026, 3, 2, 16, 30)
    assert add_working_days(rules, vn(2026, 8, 20, 16, 30), 3, "online") == vn(2026, 8, 24, 16, 30)


def test_counter_receipt_is_taken_as_it_is():
    assert deemed_receipt(RULES, vn(2026, 3, 2, 16, 30), "counter") == vn(2026, 3, 2, 16, 30)


def test_inputs_in_any_zone_give_results_in_vietnam_time():
    result = add_working_days(RULES, datetime(2026, 8, 13, 3, 20, tzinfo=UTC), 3)
    assert result == vn(2026, 8, 18, 10, 20)
    assert result.tzinfo == VN_TZ


def test_naive_datetimes_are_refused():
    with pytest.raises(CalendarError):
        add_working_days(RULES, datetime(2026, 8, 13, 10, 20), 3)


# --- same day ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "channel", "expected"),
    [
        (vn(2026, 3, 2, 9, 0), "counter", vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 15, 0), "counter", vn(2026, 3, 2, 17, 0)),  # at the cut-off: same day
        (vn(2026, 3, 2, 15, 1), "counter", vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 18, 0), "counter", vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 7, 9, 0), "counter", vn(2026, 3, 9, 17, 0)),  # Saturday
        (vn(2026, 3, 2, 14, 0), "online", vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 16, 10), "online", vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 6, 20, 0), "online", vn(2026, 3, 9, 17, 0)),
    ],
)
def test_same_day(received, channel, expected):
    assert same_day(RULES, received, channel) == expected


def test_same_day_cutoff_is_a_setting():
    rules = CalendarRules(same_day_cutoff=time(16, 0))
    assert same_day(rules, vn(2026, 3, 2, 15, 40)) == vn(2026, 3, 2, 17, 0)


# --- working hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (vn(2026, 3, 2, 7, 30), 4, vn(2026, 3, 2, 11, 30)),  # ends exactly at a period end: stays
        (vn(2026, 3, 2, 7, 30), 8, vn(2026, 3, 3, 8, 0)),  # 7.5 h a day by default: 30 min the next day
        (vn(2026, 3, 2, 10, 0), 2, vn(2026, 3, 2, 14, 0)),  # across lunch
        (vn(2026, 3, 2, 16, 0), 2, vn(2026, 3, 3, 8, 30)),  # across the night
        (vn(2026, 3, 2, 18, 0), 1, vn(2026, 3, 3, 8, 30)),  # starts at the next opening
        (vn(2026, 3, 2, 12, 0), 0, vn(2026, 3, 2, 13, 30)),
        (vn(2026, 2, 13, 16, 0), 8, vn(2026, 2, 23, 16, 30)),  # across Tết 2026
        (vn(2026, 3, 2, 7, 30), 0.5, vn(2026, 3, 2, 8, 0)),
    ],
)
def test_add_working_hours(start, hours, expected):
    assert add_working_hours(RULES, start, hours) == expected


def test_working_minutes_between():
    assert working_minutes_between(RULES, vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 14, 30)) == 150
    assert working_minutes_between(RULES, vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 8, 0)) == 90
    assert working_minutes_between(RULES, vn(2026, 3, 9, 8, 0), vn(2026, 3, 6, 16, 0)) == -90
    assert working_minutes_between(RULES, vn(2026, 2, 14, 0, 0), vn(2026, 2, 22, 23, 0)) == 0


def test_next_working_moment():
    assert next_working_moment(RULES, vn(2026, 3, 2, 11, 30)) == vn(2026, 3, 2, 11, 30)
    assert next_working_moment(RULES, vn(2026, 3, 2, 11, 31)) == vn(2026, 3, 2, 13, 30)
    assert next_working_moment(RULES, vn(2026, 8, 28, 17, 1)) == vn(2026, 9, 3, 7, 30)


# --- due() and pauses ----------------------------------------------------------------------------


def test_due_dispatches_on_the_unit():
    start = vn(2026, 8, 13, 10, 20)
    assert due(RULES, start, 3, "working_days") == vn(2026, 8, 18, 10, 20)
    assert due(RULES, start, 4, "working_hours") == vn(2026, 8, 13, 16, 20)
    assert due(RULES, start, 0, "same_day") == vn(2026, 8, 13, 17, 0)
    assert due(RULES, vn(2026, 8, 20, 16, 30), 2, "working_hours", "online") == vn(2026, 8, 21, 9, 30)


def test_a_pause_extends_the_due_by_the_office_time_it_covers():
    start = vn(2026, 8, 13, 10, 20)
    # Fri 14/08 09:00 → Mon 17/08 09:00 covers 6 h (Friday) + 1 h 30 (Monday morning) of office time.
    paused = due(RULES, start, 3, "working_days", pauses=[(vn(2026, 8, 14, 9, 0), vn(2026, 8, 17, 9, 0))])
    assert working_minutes_between(RULES, vn(2026, 8, 18, 10, 20), paused) == 7.5 * 60
    assert paused == vn(2026, 8, 19, 10, 20)


def test_a_pause_after_the_due_changes_nothing():
    pauses = [(vn(2026, 8, 19, 9, 0), vn(2026, 8, 20, 9, 0))]
    assert due(RULES, vn(2026, 8, 13, 10, 20), 3, "working_days", pauses=pauses) == vn(2026, 8, 18, 10, 20)


def test_overlapping_pauses_count_once():
    one = [(vn(2026, 8, 14, 9, 0), vn(2026, 8, 14, 11, 0))]
    two = [(vn(2026, 8, 14, 9, 0), vn(2026, 8, 14, 10, 0)), (vn(2026, 8, 14, 9, 30), vn(2026, 8, 14, 11, 0))]
    start = vn(2026, 8, 13, 10, 20)
    assert due(RULES, start, 3, "working_days", pauses=two) == due(
        RULES, start, 3, "working_days", pauses=one
    )


def test_a_pause_that_ends_before_it_starts_is_refused():
    with pytest.raises(CalendarError):
        due(RULES, vn(2026, 8, 13, 10, 20), 3, "working_days", pauses=[(vn(2026, 8, 14), vn(2026, 8, 13))])


# --- the province's overrides --------------------------------------------------------------------


def test_an_extra_day_off_is_skipped():
    rules = CalendarRules(
        overrides={date(2026, 8, 14): Override("extra_off", "Bão số 3", "Công điện 01/CĐ-UBND")}
    )
    assert add_working_days(rules, vn(2026, 8, 13, 10, 20), 3) == vn(2026, 8, 19, 10, 20)
    assert describe_day(rules, date(2026, 8, 14)).source == "province"


def test_not_holiday_cancels_a_national_holiday():
    rules = CalendarRules(overrides={date(2026, 11, 24): Override("not_holiday", "Làm việc", "QĐ 1/QĐ-UBND")})
    assert is_working_day(rules, date(2026, 11, 24))
    assert not is_working_day(RULES, date(2026, 11, 24))


def test_a_makeup_workday_override_is_worked():
    rules = CalendarRules(overrides={date(2027, 4, 24): Override("makeup_workday", "Làm bù", "TB 1/TB-BNV")})
    assert periods_on(rules, date(2027, 4, 24)) == engine.DEFAULT_OFFICE_HOURS[0]


def test_without_package_holidays_only_overrides_and_weekends_count():
    rules = CalendarRules(use_package_holidays=False)
    assert is_working_day(rules, date(2026, 9, 2))
    assert not is_working_day(rules, date(2026, 8, 22))


def test_2027_has_no_swap_days_in_the_package_but_the_province_can_add_them():
    assert not is_working_day(RULES, date(2027, 2, 5))  # Tết 2027 from the lunar rule
    assert engine.national_days(2027).get(date(2027, 4, 24)) is None


# --- broken rules --------------------------------------------------------------------------------


def test_overlapping_office_periods_are_refused():
    with pytest.raises(CalendarError):
        CalendarRules(office_hours=(((time(8), time(12)), (time(11), time(17))),) + ((),) * 6)


def test_a_week_without_office_hours_is_refused():
    with pytest.raises(CalendarError):
        CalendarRules(office_hours=((),) * 7)


def test_negative_amounts_are_refused():
    with pytest.raises(CalendarError):
        add_working_days(RULES, vn(2026, 3, 2, 9), -1)
    with pytest.raises(CalendarError):
        add_working_hours(RULES, vn(2026, 3, 2, 9), -1)


def test_fractional_working_days_are_refused():
    with pytest.raises(CalendarError):
        due(RULES, vn(2026, 3, 2, 9), 1.5, "working_days")


def test_unknown_unit_and_channel_are_refused():
    with pytest.raises(CalendarError):
        due(RULES, vn(2026, 3, 2, 9), 1, "months")
    with pytest.raises(CalendarError):
        deemed_receipt(RULES, vn(2026, 3, 2, 9), "post")


def test_results_are_never_more_than_a_few_weeks_past_the_naive_estimate():
    # 365 working days stays within ~1.5 calendar years.
    result = add_working_days(RULES, vn(2026, 1, 5, 9), 365)
    assert vn(2027, 5, 1) < result < vn(2027, 7, 1)
    assert result - vn(2026, 1, 5, 9) < timedelta(days=550)
