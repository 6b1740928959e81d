import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .caching import forget_calendars
from .choices import DueTimeModeChoice, OverrideKind, Weekday


class WorkCalendarQuerySet(models.QuerySet):
    def touch(self) -> uuid.UUID:
        """Give the calendars a new revision, so that cached rules built from them are dropped, and
        drop the cached calendar rows (workdays.caching). Returns the new revision."""
        forget_calendars(self.values_list("province__path", flat=True))
        revision = uuid.uuid4()
        self.update(revision=revision, updated_at=timezone.now())
        return revision


class WorkCalendar(models.Model):
    """A province's working-day calendar (lịch làm việc): its office hours, its own holiday decisions
    on top of the national ones, and the conventions the law leaves open (DOMAIN.md §1.6, §11).

    One per province (a root org unit); communes and wards use their province's calendar. Created
    with the default office hours by `calendar_get_or_create_for_province`; changed only through the
    services, which give it a new `revision` on every change (the key of the cached rules).
    """

    province = models.OneToOneField(
        "directory.OrgUnit",
        on_delete=models.PROTECT,
        related_name="work_calendar",
        verbose_name=_("province"),
    )
    use_package_holidays = models.BooleanField(
        _("use the national holidays"),
        default=True,
        help_text=_("Public holidays and government swap days from the `holidays` package (country VN)."),
    )
    due_time_mode = models.CharField(
        _("due time"),
        max_length=20,
        choices=DueTimeModeChoice.choices,
        default=DueTimeModeChoice.SAME_CLOCK_TIME,
        help_text=_(
            "Same clock time: due at the receipt's clock time on the last working day (moved into office "
            "hours, or the close of that day if later). Close of day: due at the close of the last day."
        ),
    )
    receipt_day_counts = models.BooleanField(
        _("receipt day counts as day 1"),
        default=False,
        help_text=_("Off by default: counting starts the day after receipt (Civil Code Art. 147)."),
    )
    online_last_hour_rolls = models.BooleanField(
        _("online dossiers in the last office hour count from the next working day"), default=True
    )
    same_day_cutoff = models.TimeField(
        _("same-day cut-off"),
        default=time(15, 0),
        help_text=_("Same-day procedures received after this time are due the next working day."),
    )
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkCalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("working-day calendar")
        verbose_name_plural = _("working-day calendars")

    def __str__(self):
        return str(self.province)


class OfficeHours(models.Model):
    """One office period (giờ làm việc) of a weekday, e.g. Monday 07:30–11:30.

    A day may have several periods; they never overlap (checked by `office_hours_set`). A weekday
    without periods is not worked; a make-up working Saturday uses Monday's periods.
    """

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="officehours_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="officehours_weekday_range"),
            models.UniqueConstraint(fields=["calendar", "weekday", "start"], name="officehours_unique_start"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class CalendarOverride(models.Model):
    """A province's decision about one date, with its legal basis (e.g. "Công văn 9859/VPCP-KGVX"):
    an extra holiday, a swapped or extra day off, a make-up working Saturday (ngày làm bù), or
    "not a holiday" to cancel a national holiday from the `holidays` package.

    At most one per date and calendar; it wins over the national calendar. Added and removed (never
    edited) through the services, each with an audit entry.
    """

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_ref = models.CharField(_("legal reference"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendaroverride_one_per_date"),
            models.CheckConstraint(
                condition=Q(kind__in=OverrideKind.values), name="calendaroverride_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
