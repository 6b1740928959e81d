from django.db import models
from django.utils.translation import gettext_lazy as _

from .engine import DayKind, DueTimeMode


class OverrideKind(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, _("Public holiday")
    SWAP_OFF = DayKind.SWAP_OFF.value, _("Swapped day off")
    EXTRA_OFF = DayKind.EXTRA_OFF.value, _("Extra day off")
    MAKEUP_WORKDAY = DayKind.MAKEUP_WORKDAY.value, _("Make-up working day")
    NOT_HOLIDAY = DayKind.NOT_HOLIDAY.value, _("Not a holiday (cancels a national holiday)")


class DueTimeModeChoice(models.TextChoices):
    SAME_CLOCK_TIME = DueTimeMode.SAME_CLOCK_TIME.value, _("Same clock time as receipt")
    CLOSE_OF_DAY = DueTimeMode.CLOSE_OF_DAY.value, _("Close of the last day")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
