"""Properties of the deadline arithmetic that must hold for any receipt moment (no database)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from smartcommune.workdays.engine import (
    VN_TZ,
    CalendarRules,
    add_working_days,
    add_working_time,
    deemed_receipt,
    due,
    is_working_moment,
    working_time_between,
    working_time_exceeds,
)

DEFAULT = CalendarRules()
CLOSE_OF_DAY = CalendarRules(due_time_mode="close_of_day")
RECEIPT_DAY_COUNTS = CalendarRules(receipt_day_counts=True)

# 2024–2027 covers Tết, the swap years known to the package and a year after them.
moments = st.builds(
    lambda dt, utc: dt.astimezone(UTC) if utc else dt,
    st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 12, 31)).map(
        lambda dt: dt.replace(second=0, microsecond=0, tzinfo=VN_TZ)
    ),
    st.booleans(),
)
channels = st.sampled_from(["counter", "online"])
all_rules = st.sampled_from([DEFAULT, CLOSE_OF_DAY, RECEIPT_DAY_COUNTS])
units = st.sampled_from(["working_days", "working_hours", "same_day"])
minutes = st.integers(min_value=0, max_value=60 * 8 * 30).map(lambda m: timedelta(minutes=m))

props = settings(max_examples=150, deadline=None)


@props
@given(rules=all_rules, start=moments, n=st.integers(min_value=0, max_value=60), channel=channels)
def test_working_days_are_monotonic_in_n(rules, start, n, channel):
    earlier, later = (
        add_working_days(rules, start, n, channel),
        add_working_days(rules, start, n + 1, channel),
    )
    # n = 0 is "at once": the next working moment, which day 1 may also be (start at night, due at opening).
    assert earlier < later if n > 0 else earlier <= later


@props
@given(start=moments, amount=minutes)
def test_working_time_is_monotonic(start, amount):
    assert add_working_time(DEFAULT, start, amount) < add_working_time(
        DEFAULT, start, amount + timedelta(minutes=1)
    )


@props
@given(
    rules=all_rules,
    start=moments,
    amount=st.integers(min_value=0, max_value=60),
    unit=units,
    channel=channels,
)
def test_the_due_moment_is_always_a_working_moment(rules, start, amount, unit, channel):
    result = due(rules, start, amount, unit, channel)
    assert is_working_moment(rules, result)
    assert result.tzinfo == VN_TZ
    assert result >= start


@props
@given(start=moments, a=minutes, b=minutes)
def test_adding_working_time_in_two_steps_is_adding_the_sum(start, a, b):
    assert add_working_time(DEFAULT, add_working_time(DEFAULT, start, a), b) == add_working_time(
        DEFAULT, start, a + b
    )


@props
@given(start=moments, a=st.integers(min_value=1, max_value=40), b=st.integers(min_value=1, max_value=40))
def test_adding_working_days_in_two_steps_is_adding_the_sum(start, a, b):
    first = add_working_days(DEFAULT, start, a)
    assert add_working_days(DEFAULT, first, b) == add_working_days(DEFAULT, start, a + b)


@props
@given(
    rules=all_rules,
    start=moments,
    amount=st.integers(min_value=0, max_value=20),
    unit=units,
    channel=channels,
    pause_offset=st.integers(min_value=-3 * 24 * 60, max_value=30 * 24 * 60),
    pause_length=st.integers(min_value=0, max_value=20 * 24 * 60),
)
def test_a_pause_extends_the_due_by_exactly_the_office_time_it_covers(
    rules, start, amount, unit, channel, pause_offset, pause_length
):
    lo = start + timedelta(minutes=pause_offset)
    hi = lo + timedelta(minutes=pause_length)
    unpaused = due(rules, start, amount, unit, channel)
    paused = due(rules, start, amount, unit, channel, pauses=[(lo, hi)])
    assert paused >= unpaused
    if lo < unpaused:
        counted_from = deemed_receipt(rules, start, channel)
        covered = max(timedelta(0), working_time_between(rules, max(lo, counted_from), hi))
    else:
        covered = timedelta(0)
    assert working_time_between(rules, unpaused, paused) == covered


@props
@given(a=moments, b=moments, limit=minutes)
def test_the_early_stopping_comparison_agrees_with_the_full_count(a, b, limit):
    assert working_time_exceeds(DEFAULT, a, b, limit) == (working_time_between(DEFAULT, a, b) > limit)
