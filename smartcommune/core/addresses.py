"""Reversed addresses, remembered: every page names the same few dozen addresses (the navigation,
a dossier's printed forms and actions), and reversing one costs ~25 µs each time."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


def address(name: str, *args, **kwargs) -> str:
    """`reverse(name, args=args, kwargs=kwargs)`, remembered per process (and script prefix)."""
    return _reversed(get_script_prefix(), name, args, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=4096)
def _reversed(prefix: str, name: str, args: tuple, kwargs: tuple) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)
