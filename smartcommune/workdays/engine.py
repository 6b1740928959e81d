"""Deadline arithmetic over a province's working calendar (DOMAIN.md §1.6). Pure Python: no database.

The database layer (`selectors.rules_for_calendar`) turns a province's `WorkCalendar` into a
`CalendarRules` value; every function here takes those rules first. Inputs are aware datetimes in
any zone; the arithmetic runs in Asia/Ho_Chi_Minh (no DST there, so date + clock time is exact) and
results are aware in that zone.

Working moments are the closed intervals [period start, period end] of a working day's office
periods: 11:30 and 17:00 are still working moments, 11:31 is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_WORKING_DAY = 8  # provincial internal processes: 1 day = 8 working hours
LAST_HOUR = timedelta(hours=1)
# A calendar with no working day in this many consecutive days is broken, not just long.
_MAX_DAYS_OFF_IN_A_ROW = 400
_MEMO_DAYS = 20_000

Period = tuple[time, time]


class CalendarError(ValueError):
    """The rules or the arguments make the arithmetic impossible (naive datetime, no working day...)."""


class Channel(StrEnum):
    COUNTER = "counter"
    ONLINE = "online"


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"


class DueTimeMode(StrEnum):
    SAME_CLOCK_TIME = "same_clock_time"
    CLOSE_OF_DAY = "close_of_day"


class DayKind(StrEnum):
    """What a date is, beyond its weekday. The first five are also the province's override kinds."""

    HOLIDAY = "holiday"
    SWAP_OFF = "swap_off"
    EXTRA_OFF = "extra_off"
    MAKEUP_WORKDAY = "makeup_workday"
    NOT_HOLIDAY = "not_holiday"
    REGULAR = "regular"


DAY_OFF_KINDS = frozenset({DayKind.HOLIDAY, DayKind.SWAP_OFF, DayKind.EXTRA_OFF})

_MORNING = (time(7, 30), time(11, 30))
_AFTERNOON = (time(13, 30), time(17, 0))
DEFAULT_OFFICE_HOURS: tuple[tuple[Period, ...], ...] = ((_MORNING, _AFTERNOON),) * 5 + ((), ())


@dataclass(frozen=True)
class Override:
    """A province decision about one date (see models.CalendarOverride)."""

    kind: str
    name: str = ""
    legal_ref: str = ""


@dataclass(frozen=True)
class DayInfo:
    date: date
    periods: tuple[Period, ...]
    kind: str  # a DayKind
    name: str = ""
    legal_ref: str = ""
    source: str = ""  # "province" (an override), "national" (the holidays package) or ""

    @property
    def is_working(self) -> bool:
        return bool(self.periods)


@dataclass(frozen=True, eq=False)
class CalendarRules:
    """Everything the arithmetic needs to know about one province's calendar.

    `office_hours[weekday]` lists that weekday's periods (Monday = 0). `overrides` are the province's
    own decisions and win over the national holidays from the `holidays` package.
    """

    office_hours: tuple[tuple[Period, ...], ...] = DEFAULT_OFFICE_HOURS
    overrides: Mapping[date, Override] = field(default_factory=dict)
    use_package_holidays: bool = True
    due_time_mode: str = DueTimeMode.SAME_CLOCK_TIME
    receipt_day_counts: bool = False
    online_last_hour_rolls: bool = True
    same_day_cutoff: time = time(15, 0)

    def __post_init__(self):
        object.__setattr__(self, "_days", {})  # describe_day's memo; not a field, so not in repr
        if len(self.office_hours) != 7:
            raise CalendarError("office_hours needs one entry per weekday (7).")
        for periods in self.office_hours:
            validate_periods(periods)
        if not any(self.office_hours):
            raise CalendarError("At least one weekday needs office hours.")
        if self.due_time_mode not in set(DueTimeMode):
            raise CalendarError(f"Unknown due_time_mode {self.due_time_mode!r}.")


def validate_periods(periods: Iterable[Period]) -> None:
    """Each period starts before it ends; periods are in order and do not overlap (touching is fine)."""
    previous_end = None
    for start, end in periods:
        if start >= end:
            raise CalendarError(f"Office period {start:%H:%M}-{end:%H:%M} must start before it ends.")
        if previous_end is not None and start < previous_end:
            raise CalendarError(f"Office period starting {start:%H:%M} overlaps the one before it.")
        previous_end = end


# --- the national calendar (holidays package) -----------------------------------------------------

_SWAP_PREFIX = "Ngày nghỉ (thay cho"  # the package's name for a weekday given off for a Saturday worked


@lru_cache(maxsize=256)
def national_days(year: int) -> Mapping[date, tuple[str, str]]:
    """Vietnam's public holidays, swapped days off and make-up Saturdays of `year`, as
    {date: (DayKind, Vietnamese name)}. Swaps are known to the package only through 2026."""
    package = holidays.country_holidays("VN", years=year, language="vi")
    days = {
        day: (DayKind.SWAP_OFF if name.startswith(_SWAP_PREFIX) else DayKind.HOLIDAY, name)
        for day, name in package.items()
    }
    for day in package.weekend_workdays:
        if day.year == year:
            days[day] = (DayKind.MAKEUP_WORKDAY, "")
    return days


# --- days and moments -----------------------------------------------------------------------------


def describe_day(rules: CalendarRules, day: date) -> DayInfo:
    """What `day` is and its office periods (none on a day off)."""
    info = rules._days.get(day)
    if info is None:
        if len(rules._days) > _MEMO_DAYS:
            rules._days.clear()  # rules live in a process-wide cache: keep the memo bounded
        info = rules._days[day] = _describe(rules, day)
    return info


def _describe(rules: CalendarRules, day: date) -> DayInfo:
    kind, name, legal_ref, source = DayKind.REGULAR, "", "", ""
    override = rules.overrides.get(day)
    national = national_days(day.year).get(day) if rules.use_package_holidays else None
    if override is not None:
        kind, name, legal_ref, source = override.kind, override.name, override.legal_ref, "province"
    elif national is not None:
        (kind, name), source = national, "national"
    if kind in DAY_OFF_KINDS:
        periods: tuple[Period, ...] = ()
    elif kind == DayKind.MAKEUP_WORKDAY:
        periods = rules.office_hours[0]  # a make-up Saturday is worked like a Monday
    else:
        periods = rules.office_hours[day.weekday()]
    return DayInfo(day, tuple(periods), kind, name, legal_ref, source)


def periods_on(rules: CalendarRules, day: date) -> tuple[Period, ...]:
    return describe_day(rules, day).periods


def is_working_day(rules: CalendarRules, day: date) -> bool:
    return bool(periods_on(rules, day))


def next_working_day(rules: CalendarRules, day: date) -> date:
    """The first working day strictly after `day`."""
    for offset in range(1, _MAX_DAYS_OFF_IN_A_ROW + 1):
        candidate = day + timedelta(days=offset)
        if is_working_day(rules, candidate):
            return candidate
    raise CalendarError(f"No working day within {_MAX_DAYS_OFF_IN_A_ROW} days after {day}.")


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=VN_TZ)


def to_local(moment: datetime) -> datetime:
    """`moment` in Asia/Ho_Chi_Minh. Naive datetimes are refused: their zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("Datetimes must be timezone-aware.")
    return moment.astimezone(VN_TZ)


def opening_of(rules: CalendarRules, day: date) -> datetime:
    return _at(day, periods_on(rules, day)[0][0])


def close_of(rules: CalendarRules, day: date) -> datetime:
    return _at(day, periods_on(rules, day)[-1][1])


def _periods_from(rules: CalendarRules, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Office periods, in order, that end at or after `moment` (the first may contain it)."""
    day = moment.date()
    while True:
        for start, end in periods_on(rules, day):
            if _at(day, end) >= moment:
                yield _at(day, start), _at(day, end)
        day = next_working_day(rules, day)


def is_working_moment(rules: CalendarRules, moment: datetime) -> bool:
    moment = to_local(moment)
    return any(
        _at(moment.date(), s) <= moment <= _at(moment.date(), e) for s, e in periods_on(rules, moment.date())
    )


def next_working_moment(rules: CalendarRules, moment: datetime) -> datetime:
    """`moment` itself when it is a working moment, else the start of the next office period."""
    moment = to_local(moment)
    start, _end = next(_periods_from(rules, moment))
    return max(start, moment)


def clamp_into_day(rules: CalendarRules, day: date, clock: time) -> datetime:
    """`clock` on working day `day`, moved forward into the day's office periods, or the close of
    the day when it is after the last period."""
    for start, end in periods_on(rules, day):
        if clock <= end:
            return _at(day, max(clock, start))
    return close_of(rules, day)


# --- receipt -------------------------------------------------------------------------------------


def deemed_receipt(rules: CalendarRules, received_at: datetime, channel: str = Channel.COUNTER) -> datetime:
    """The moment from which a dossier's time limit runs.

    Counter: the moment of receipt. Online (Decree 45/2020): outside office hours, the next working
    moment (the next working day's opening after closing time, on days off and at night). Online in
    the last hour before the day's close, when `online_last_hour_rolls` is on: the next working day's
    opening (2025 e-interconnection decree Art. 6(3)).
    """
    received_at = to_local(received_at)
    if channel == Channel.COUNTER:
        return received_at
    if channel != Channel.ONLINE:
        raise CalendarError(f"Unknown channel {channel!r}.")
    if not is_working_moment(rules, received_at):
        return next_working_moment(rules, received_at)
    day = received_at.date()
    if rules.online_last_hour_rolls and received_at >= close_of(rules, day) - LAST_HOUR:
        return opening_of(rules, next_working_day(rules, day))
    return received_at


# --- adding working time -------------------------------------------------------------------------


def add_working_days(
    rules: CalendarRules, start: datetime, n: int, channel: str = Channel.COUNTER
) -> datetime:
    """The due moment `n` working days after receipt at `start`.

    Civil Code Art. 147(2): the receipt day does not count, day 1 is the next working day (unless
    `receipt_day_counts`, when the deemed-receipt day is day 1 if received before its close). The due time is
    the close of the Nth day, or, with `same_clock_time`, the clock time of receipt on that day moved
    into its office periods. n = 0 gives the deemed receipt moved to a working moment.
    """
    if n < 0:
        raise CalendarError("The number of working days cannot be negative.")
    received = to_local(start)
    deemed = deemed_receipt(rules, received, channel)
    if n == 0:
        return next_working_moment(rules, deemed)
    day = deemed.date()
    # The receipt day is day 1 only when the setting says so and receipt is before its close.
    if not (rules.receipt_day_counts and is_working_day(rules, day) and deemed <= close_of(rules, day)):
        day = next_working_day(rules, day)
    for _ in range(n - 1):
        day = next_working_day(rules, day)
    if rules.due_time_mode == DueTimeMode.CLOSE_OF_DAY:
        return close_of(rules, day)
    return clamp_into_day(rules, day, received.timetz().replace(tzinfo=None))


def add_working_time(rules: CalendarRules, start: datetime, amount: timedelta) -> datetime:
    """`start` plus `amount` of office time. A result exactly at a period's end stays there."""
    if amount < timedelta(0):
        raise CalendarError("Working time cannot be negative.")
    moment = next_working_moment(rules, start)
    remaining = amount
    for period_start, period_end in _periods_from(rules, moment):
        moment = max(moment, period_start)
        available = period_end - moment
        if remaining <= available:
            return moment + remaining
        remaining -= available
    raise AssertionError("unreachable: _periods_from never ends")  # pragma: no cover


def add_working_hours(rules: CalendarRules, start: datetime, hours: float) -> datetime:
    """`start` plus `hours` working hours (1 working day = 8 h), counted from the next working moment."""
    if hours < 0:
        raise CalendarError("The number of working hours cannot be negative.")
    return add_working_time(rules, start, timedelta(hours=hours))


def same_day(rules: CalendarRules, start: datetime, channel: str = Channel.COUNTER) -> datetime:
    """Due moment of a same-day procedure (Law on Civil Status Art. 5(3); Decree 23/2015 Art. 7).

    Received on a working day up to the cut-off (15:00 by default) and before closing → close of that
    day; after the cut-off, after closing or on a day off → close of the next working day.
    """
    deemed = deemed_receipt(rules, start, channel)
    day = deemed.date()
    if (
        is_working_day(rules, day)
        and deemed.timetz().replace(tzinfo=None) <= rules.same_day_cutoff
        and deemed <= close_of(rules, day)
    ):
        return close_of(rules, day)
    return close_of(rules, next_working_day(rules, day))


def _office_spans(rules: CalendarRules, a: datetime, b: datetime) -> Iterator[timedelta]:
    """The lengths of the office periods between local `a` and `b` (a <= b), in order."""
    day = a.date()
    while day <= b.date():
        for start, end in periods_on(rules, day):
            lo, hi = max(_at(day, start), a), min(_at(day, end), b)
            if hi > lo:
                yield hi - lo
        day += timedelta(days=1)


def working_time_between(rules: CalendarRules, a: datetime, b: datetime) -> timedelta:
    """Office time from `a` to `b` (negative when `b` is before `a`)."""
    a, b = to_local(a), to_local(b)
    if b < a:
        return -working_time_between(rules, b, a)
    return sum(_office_spans(rules, a, b), timedelta(0))


def working_time_exceeds(rules: CalendarRules, a: datetime, b: datetime, limit: timedelta) -> bool:
    """Is the office time from `a` to `b` more than `limit`? Stops counting as soon as it is (a
    list page asks this of every open dossier whose due moment may be weeks away)."""
    a, b = to_local(a), to_local(b)
    if b - a <= limit:  # office time never exceeds calendar time
        return False
    total = timedelta(0)
    for span in _office_spans(rules, a, b):
        total += span
        if total > limit:
            return True
    return False


def working_minutes_between(rules: CalendarRules, a: datetime, b: datetime) -> float:
    return working_time_between(rules, a, b).total_seconds() / 60


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted((to_local(lo), to_local(hi)) for lo, hi in intervals):
        if hi < lo:
            raise CalendarError("A pause must end after it starts.")
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def due(
    rules: CalendarRules,
    start: datetime,
    amount: float,
    unit: str,
    channel: str = Channel.COUNTER,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> datetime:
    """The due moment of a time limit of `amount` `unit`s received at `start` through `channel`.

    `pauses` are closed intervals during which the clock stops (supplement requests, DOMAIN §1.4:
    the waiting time is subtracted, not restarted). Each pause that starts before the running due
    moves it on by the office time the pause covers (after deemed receipt); overlapping pauses count
    once.
    """
    if unit == DurationUnit.WORKING_DAYS:
        if amount != int(amount):
            raise CalendarError("Working days must be a whole number; use working hours for parts of a day.")
        result = add_working_days(rules, start, int(amount), channel)
    elif unit == DurationUnit.WORKING_HOURS:
        result = add_working_hours(rules, deemed_receipt(rules, start, channel), amount)
    elif unit == DurationUnit.SAME_DAY:
        result = same_day(rules, start, channel)
    else:
        raise CalendarError(f"Unknown unit {unit!r}.")
    counted_from = deemed_receipt(rules, start, channel)
    for lo, hi in _merge(pauses):
        if lo >= result:
            break  # sorted: every later pause starts after the due moment too
        paused = working_time_between(rules, max(lo, counted_from), hi)
        if paused > timedelta(0):
            result = add_working_time(rules, result, paused)
    return result
