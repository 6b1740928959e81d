"""The cached calendar row of each province (selectors.calendar_for_unit) and how it is dropped."""

from django.core.cache import cache
from django.db import transaction

CALENDAR_CACHE_SECONDS = 10 * 60


def calendar_cache_key(province_path: str) -> str:
    return f"workdays:calendar:{province_path}"


def forget_calendars(province_paths) -> None:
    """Drop the cached calendars now and again once the change commits (a read in between would
    have cached the old row again)."""
    keys = [calendar_cache_key(path) for path in province_paths]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
