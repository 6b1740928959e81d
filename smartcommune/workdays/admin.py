"""Admin screens for office hours and the convention settings (the /calendar/ page is the normal way
to manage days off). Scoped to the province calendars the admin may manage, audited like every other
admin edit, and each save bumps the calendar's revision so cached rules follow."""

from django.contrib import admin

from smartcommune.directory import permissions as perms
from smartcommune.directory.admin import ScopedAdmin

from .models import CalendarOverride, OfficeHours, WorkCalendar


class _CalendarScope(ScopedAdmin):
    unit_field = "calendar__province"
    view_perm = perms.CALENDAR_MANAGE
    manage_perm = perms.CALENDAR_MANAGE
    unit_fk_names = ("province",)


class _TouchCalendarMixin:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        WorkCalendar.objects.filter(pk=self._calendar_id(obj)).touch()

    def delete_model(self, request, obj):
        calendar_id = self._calendar_id(obj)
        super().delete_model(request, obj)
        WorkCalendar.objects.filter(pk=calendar_id).touch()

    def delete_queryset(self, request, queryset):
        ids = {self._calendar_id(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        WorkCalendar.objects.filter(pk__in=ids).touch()

    def _calendar_id(self, obj):
        return obj.calendar_id


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


@admin.register(WorkCalendar)
class WorkCalendarAdmin(_TouchCalendarMixin, _CalendarScope):
    unit_field = "province"
    list_display = ["province", "due_time_mode", "receipt_day_counts", "online_last_hour_rolls", "updated_at"]
    inlines = [OfficeHoursInline]

    def _calendar_id(self, obj):
        return obj.pk

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        WorkCalendar.objects.filter(pk=form.instance.pk).touch()


@admin.register(OfficeHours)
class OfficeHoursAdmin(_TouchCalendarMixin, _CalendarScope):
    list_display = ["calendar", "weekday", "start", "end"]
    list_filter = ["calendar", "weekday"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_TouchCalendarMixin, _CalendarScope):
    list_display = ["date", "kind", "name", "legal_ref", "calendar", "created_by", "created_at"]
    list_filter = ["calendar", "kind"]
    date_hierarchy = "date"
    search_fields = ["name", "legal_ref"]
    readonly_fields = ["created_by", "created_at"]
