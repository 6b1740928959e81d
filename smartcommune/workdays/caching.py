"""The cached calendar row of each province (selectors.calendar_for_unit) and how it is dropped."""

from smartcommune.core.transactions import forget_cached

CALENDAR_CACHE_SECONDS = 10 * 60


def calendar_cache_key(province_path: str) -> str:
    return f"workdays:calendar:{province_path}"


def forget_calendars(province_paths) -> None:
    forget_cached(calendar_cache_key(path) for path in province_paths)
