"""Dossier codes: `<agency identifier>-YYMMDD-<daily sequence, at least 4 digits>` (DOMAIN.md §2)."""

from datetime import date

from django.db import connection

from ..models import DailySequence

# Creates the day's counter at 1 or counts on, and hands the number back, in one statement that
# locks the row until commit (PostgreSQL, and SQLite from 3.35 on).
_TAKE_NUMBER = (
    'INSERT INTO "dossiers_dailysequence" ("agency_code", "day", "last_value") VALUES (%s, %s, 1) '
    'ON CONFLICT ("agency_code", "day") '
    'DO UPDATE SET "last_value" = "dossiers_dailysequence"."last_value" + 1 '
    'RETURNING "last_value"'
)


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def next_code(*, agency_code: str, day: date) -> str:
    """Take the next number of the agency's day. Call inside the intake transaction: the counter
    row stays locked until commit, so concurrent intakes queue and numbers never repeat or skip;
    a rolled-back intake gives its number back."""
    if connection.features.can_return_columns_from_insert:
        with connection.cursor() as cursor:
            cursor.execute(_TAKE_NUMBER, [agency_code, connection.ops.adapt_datefield_value(day)])
            number = cursor.fetchone()[0]
    else:  # SQLite before 3.35: no RETURNING
        DailySequence.objects.get_or_create(agency_code=agency_code, day=day)
        counter = DailySequence.objects.select_for_update().get(agency_code=agency_code, day=day)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        number = counter.last_value
    return format_code(agency_code, day, number)
