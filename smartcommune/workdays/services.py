"""Every change to a working-day calendar: one transaction each, with its audit entry.

Callers have authorized `actor` (permission `calendar.manage` on the province).
"""

from collections.abc import Iterable, Sequence
from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from smartcommune.audit.services import audit_record
from smartcommune.core.text import normalize
from smartcommune.directory.models import OrgUnit

from . import engine
from .caching import forget_calendars
from .choices import DueTimeModeChoice, OverrideKind
from .errors import CalendarInputError
from .models import CalendarOverride, OfficeHours, WorkCalendar
from .official_decisions import OFFICIAL_DECISIONS

CALENDAR_SETTINGS = (
    "use_package_holidays",
    "due_time_mode",
    "receipt_day_counts",
    "online_last_hour_rolls",
    "same_day_cutoff",
)


def _lock(calendar: WorkCalendar) -> WorkCalendar:
    return WorkCalendar.objects.select_for_update().get(pk=calendar.pk)


def _touch(calendar: WorkCalendar, *locked: WorkCalendar) -> None:
    # A new revision drops the cached rules in every process (selectors.rules_for_calendar).
    revision = WorkCalendar.objects.filter(pk=calendar.pk).touch()
    for obj in (calendar, *locked):
        obj.revision = revision


@transaction.atomic
def calendar_get_or_create_for_province(*, province: OrgUnit, actor=None) -> WorkCalendar:
    """The province's calendar, created with the default office hours if it has none yet.

    Raises CalendarInputError when `province` is not a root unit. Audits a creation.
    """
    if province.depth != 1:
        raise CalendarInputError(_("A working-day calendar belongs to a province (a top-level unit)."))
    calendar, created = WorkCalendar.objects.get_or_create(province=province)
    if created:
        OfficeHours.objects.bulk_create(
            OfficeHours(calendar=calendar, weekday=weekday, start=start, end=end)
            for weekday, periods in enumerate(engine.DEFAULT_OFFICE_HOURS)
            for start, end in periods
        )
        forget_calendars([province.path])  # an unsaved default may be cached
        audit_record(actor=actor, action="workcalendar.created", target=calendar, org_unit=province)
    return calendar


@transaction.atomic
def calendar_update(*, actor, calendar: WorkCalendar, **changes) -> WorkCalendar:
    """Change the calendar's conventions (see WorkCalendar's fields for their defaults).

    Raises CalendarInputError for an unknown setting or due-time mode. Audits the changed values.
    """
    unknown = set(changes) - set(CALENDAR_SETTINGS)
    if unknown:
        raise CalendarInputError(
            _("Unknown calendar settings: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    if "due_time_mode" in changes and changes["due_time_mode"] not in DueTimeModeChoice.values:
        raise CalendarInputError(_("Unknown due-time mode."), field="due_time_mode")
    locked = _lock(calendar)
    diff = {k: [getattr(locked, k), v] for k, v in changes.items() if getattr(locked, k) != v}
    if diff:
        for name, (_old, new) in diff.items():
            setattr(locked, name, new)
            setattr(calendar, name, new)
        locked.save(update_fields=[*diff, "updated_at"])
        _touch(calendar, locked)
        audit_record(
            actor=actor, action="workcalendar.updated", target=locked, org_unit=locked.province, data=diff
        )
    return calendar


@transaction.atomic
def office_hours_set(
    *, actor, calendar: WorkCalendar, weekday: int, periods: Iterable[tuple[time, time]]
) -> list[OfficeHours]:
    """Replace the office periods of one weekday (0 = Monday); an empty list makes it a day off.

    Raises CalendarInputError for overlapping periods, a period that does not start before it ends,
    or a week left without any office hours.
    """
    if weekday not in range(7):
        raise CalendarInputError(_("The weekday must be 0 (Monday) to 6 (Sunday)."), field="weekday")
    periods = sorted(periods)
    try:
        engine.validate_periods(periods)
    except engine.CalendarError as exc:
        raise CalendarInputError(
            _("Office periods must each start before they end and must not overlap."), field="periods"
        ) from exc
    locked = _lock(calendar)
    if not periods and not locked.office_hours.exclude(weekday=weekday).exists():
        raise CalendarInputError(_("At least one weekday needs office hours."), field="periods")
    locked.office_hours.filter(weekday=weekday).delete()
    rows = OfficeHours.objects.bulk_create(
        OfficeHours(calendar=locked, weekday=weekday, start=start, end=end) for start, end in periods
    )
    _touch(calendar, locked)
    audit_record(
        actor=actor,
        action="officehours.updated",
        target=locked,
        org_unit=locked.province,
        data={"weekday": weekday, "periods": [f"{s:%H:%M}-{e:%H:%M}" for s, e in periods]},
    )
    return rows


@transaction.atomic
def calendar_override_add(
    *, actor, calendar: WorkCalendar, date: date, kind: str, name: str, legal_ref: str
) -> CalendarOverride:
    """Record the province's decision about `date` (a day off, a make-up working day, or "not a
    holiday" cancelling a national holiday).

    Raises CalendarInputError (with the form field) for a date that already has an entry, an unknown
    kind, a missing name or legal reference, a make-up day on a day that already has office hours,
    or "not a holiday" on a day without a national holiday.
    """
    name, legal_ref = normalize(name), normalize(legal_ref)
    if kind not in OverrideKind.values:
        raise CalendarInputError(_("Choose a kind of day."), field="kind")
    if not name:
        raise CalendarInputError(_("Give the day a name."), field="name")
    if not legal_ref:
        raise CalendarInputError(_("Give the legal reference (e.g. the official letter)."), field="legal_ref")
    locked = _lock(calendar)
    if locked.overrides.filter(date=date).exists():
        raise CalendarInputError(
            _("%(date)s already has an entry; remove it first.") % {"date": f"{date:%d/%m/%Y}"}, field="date"
        )
    if kind == OverrideKind.MAKEUP_WORKDAY and locked.office_hours.filter(weekday=date.weekday()).exists():
        raise CalendarInputError(
            _("A make-up working day must fall on a day without office hours (usually a Saturday)."),
            field="date",
        )
    if kind == OverrideKind.NOT_HOLIDAY and not (
        locked.use_package_holidays and date in engine.national_days(date.year)
    ):
        raise CalendarInputError(_("There is no national holiday on this date to cancel."), field="date")
    override = CalendarOverride.objects.create(
        calendar=locked, date=date, kind=kind, name=name, legal_ref=legal_ref, created_by=actor
    )
    _touch(calendar, locked)
    audit_record(
        actor=actor,
        action="calendaroverride.created",
        target=override,
        org_unit=locked.province,
        data={"date": date.isoformat(), "kind": kind, "name": name, "legal_ref": legal_ref},
    )
    return override


@transaction.atomic
def calendar_override_remove(*, actor, override: CalendarOverride) -> None:
    """Delete one of the province's decisions; the date falls back to the national calendar."""
    calendar = override.calendar
    locked = _lock(calendar)
    audit_record(
        actor=actor,
        action="calendaroverride.deleted",
        target=override,
        org_unit=locked.province,
        data={
            "date": override.date.isoformat(),
            "kind": override.kind,
            "name": override.name,
            "legal_ref": override.legal_ref,
        },
    )
    override.delete()
    _touch(calendar, locked)


@transaction.atomic
def calendar_seed_official_holidays(
    *, actor, calendar: WorkCalendar, years: Sequence[int] = (2025, 2026)
) -> list[CalendarOverride]:
    """Record the government's holiday decisions of `years` (DOMAIN.md §11.2) as overrides with
    their legal references. Idempotent: dates that already have an entry are left as they are.
    Years without recorded decisions are skipped. Returns the overrides created.
    """
    existing = set(calendar.overrides.values_list("date", flat=True))
    created = []
    for year in years:
        for day, kind, name, legal_ref in OFFICIAL_DECISIONS.get(year, ()):
            if day not in existing:
                created.append(
                    calendar_override_add(
                        actor=actor, calendar=calendar, date=day, kind=kind, name=name, legal_ref=legal_ref
                    )
                )
    return created
