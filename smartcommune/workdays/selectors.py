"""Reads of the working-day calendar: which calendar a unit uses, its rules, and the year page."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import vnlunar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.core.cache import ProcessMemo, cached
from smartcommune.core.errors import NotFound
from smartcommune.directory.models import OrgUnit
from smartcommune.directory.selectors import primary_unit

from . import engine
from .caching import CALENDAR_CACHE_SECONDS, calendar_cache_key
from .choices import OverrideKind, Weekday
from .models import CalendarOverride, WorkCalendar

# --- which calendar ------------------------------------------------------------------------------


def province_of(unit: OrgUnit) -> OrgUnit:
    """The root of the unit's tree path: its province."""
    if unit.depth == 1:
        return unit
    return OrgUnit.objects.get(path=unit.province_path)


def default_province() -> OrgUnit:
    """The root unit coded settings.SMARTCOMMUNE["PROVINCE_CODE"], else the only root."""
    roots = list(OrgUnit.objects.filter(depth=1).order_by("path")[:50])
    code = settings.SMARTCOMMUNE["PROVINCE_CODE"]
    for root in roots:
        if root.code == code:
            return root
    if len(roots) == 1:
        return roots[0]
    raise NotFound(_("No province calendar is configured."))


def province_for_user(user) -> OrgUnit:
    """The province of the user's primary unit; the installation's province for anyone else."""
    unit = primary_unit(user)
    return province_of(unit) if unit else default_province()


def calendar_for_unit(unit: OrgUnit) -> WorkCalendar:
    """The calendar of the unit's province. When the province has none yet, an unsaved calendar
    with the documented defaults (reads never create rows).

    Every deadline and every list row's due state starts here, so the row is cached per province;
    the services drop it when the calendar changes (models.WorkCalendarQuerySet.touch); other
    processes keep their copy up to core.cache.LOCAL_SECONDS longer."""

    def load() -> WorkCalendar:
        province = province_of(unit)
        calendar = WorkCalendar.objects.filter(province=province).first() or WorkCalendar()
        calendar.province = province  # already loaded: spare the query
        return calendar

    return cached(calendar_cache_key(unit.province_path), load, timeout=CALENDAR_CACHE_SECONDS)


def calendar_for_code(unit_code: str | None) -> WorkCalendar:
    """The calendar for the unit with this electronic identifier, or the installation's province."""
    if not unit_code:
        return calendar_for_unit(default_province())
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise NotFound(_("No unit has the code %(code)s.") % {"code": unit_code})
    return calendar_for_unit(unit)


# --- rules ---------------------------------------------------------------------------------------

# Rules by calendar revision: every change gives the calendar a new revision, so an entry is never
# stale, and each process needs at most the one query that loads the calendar row.
_RULES_CACHE = ProcessMemo(64)


def rules_for_calendar(calendar: WorkCalendar) -> engine.CalendarRules:
    """The engine's view of `calendar` (cached by revision)."""
    if calendar.pk is None:
        return _build_rules(calendar, hours=[], overrides=[])
    rules = _RULES_CACHE.get(calendar.revision)
    if rules is None:
        rules = _build_rules(
            calendar,
            hours=list(calendar.office_hours.values_list("weekday", "start", "end")),
            overrides=list(calendar.overrides.all()),
        )
        _RULES_CACHE.put(calendar.revision, rules)
    return rules


def _build_rules(calendar: WorkCalendar, *, hours, overrides) -> engine.CalendarRules:
    if hours:
        week: list[list[engine.Period]] = [[] for _day in range(7)]
        for weekday, start, end in sorted(hours):
            week[weekday].append((start, end))
        office_hours = tuple(tuple(day) for day in week)
    else:
        office_hours = engine.DEFAULT_OFFICE_HOURS
    return engine.CalendarRules(
        office_hours=office_hours,
        overrides={o.date: engine.Override(o.kind, o.name, o.legal_ref) for o in overrides},
        use_package_holidays=calendar.use_package_holidays,
        due_time_mode=calendar.due_time_mode,
        receipt_day_counts=calendar.receipt_day_counts,
        online_last_hour_rolls=calendar.online_last_hour_rolls,
        same_day_cutoff=calendar.same_day_cutoff,
    )


# --- the year page -------------------------------------------------------------------------------

_KIND_LABELS = dict(OverrideKind.choices)
_CSS = {
    engine.DayKind.HOLIDAY: "wd-holiday",
    engine.DayKind.SWAP_OFF: "wd-swap",
    engine.DayKind.EXTRA_OFF: "wd-extra",
    engine.DayKind.MAKEUP_WORKDAY: "wd-makeup",
    engine.DayKind.NOT_HOLIDAY: "wd-not-holiday",
}


@dataclass(frozen=True)
class DayCell:
    date: date
    info: engine.DayInfo
    lunar: str
    css: str


@dataclass(frozen=True)
class MonthGrid:
    first: date
    weeks: list[list[DayCell | None]]  # Monday first; None outside the month


@dataclass(frozen=True)
class SpecialDay:
    info: engine.DayInfo
    kind_label: str
    override: CalendarOverride | None


@dataclass(frozen=True)
class YearView:
    calendar: WorkCalendar
    year: int
    months: list[MonthGrid]
    special_days: list[SpecialDay]
    office_hours: list[tuple[str, list[engine.Period]]]


@lru_cache(maxsize=16)
def lunar_labels(year: int) -> dict[date, str]:
    """Lunar date of each day of `year` (Vietnamese calendar): "d/m" on the first of a lunar month
    (with "n" for a leap month), else "d"."""
    labels = {}
    for month in range(1, 13):
        for day in range(1, pycalendar.monthrange(year, month)[1] + 1):
            lunar = vnlunar.get_lunar_date(day, month, year)
            label = str(lunar["day"])
            if lunar["day"] == 1 or day == 1:
                label += f"/{lunar['month']}" + ("n" if lunar["leap"] else "")
            labels[date(year, month, day)] = label
    return labels


def _css(info: engine.DayInfo) -> str:
    css = _CSS.get(info.kind, "")
    if not info.is_working and not css:
        css = "wd-weekend"
    return css


def year_view(calendar: WorkCalendar, year: int) -> YearView:
    """Twelve month grids with every day's kind and lunar date, the year's special days (with the
    override behind each, if any) and the office hours."""
    rules = rules_for_calendar(calendar)
    lunar = lunar_labels(year)
    today = timezone.localdate()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                info = engine.describe_day(rules, day)
                css = f"{_css(info)} wd-today" if day == today else _css(info)
                row.append(DayCell(day, info, lunar[day], css.strip()))
            weeks.append(row)
        months.append(MonthGrid(date(year, month, 1), weeks))

    overrides = (
        {o.date: o for o in calendar.overrides.filter(date__year=year)} if calendar.pk is not None else {}
    )
    special_days = []
    for cell in (c for m in months for w in m.weeks for c in w if c is not None):
        if cell.info.kind != engine.DayKind.REGULAR:
            label = _KIND_LABELS.get(cell.info.kind, "")
            special_days.append(SpecialDay(cell.info, str(label), overrides.get(cell.date)))
    office_hours = [(str(label), list(rules.office_hours[value])) for value, label in Weekday.choices]
    return YearView(calendar, year, months, special_days, office_hours)
