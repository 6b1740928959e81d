"""Dossier codes: `<agency identifier>-YYMMDD-<daily sequence, at least 4 digits>` (DOMAIN.md §2)."""

from datetime import date

from ..models import DailySequence


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def next_code(*, agency_code: str, day: date) -> str:
    """Take the next number of the agency's day. Call inside the intake transaction: the counter
    row stays locked until commit, so concurrent intakes queue and numbers never repeat or skip."""
    DailySequence.objects.get_or_create(agency_code=agency_code, day=day)
    counter = DailySequence.objects.select_for_update().get(agency_code=agency_code, day=day)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return format_code(agency_code, day, counter.last_value)
