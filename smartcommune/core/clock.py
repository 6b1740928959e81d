"""The moment the dossier services write: now, except where a dossier's past is replayed.

`seed_demo` takes its demo dossiers through the real services over the weeks before the day it
runs (dossiers.demo): inside `clock.at(moment)`, events, steps, slips and payments are dated as
they would have been, so a dossier received 12 days ago has a history from 12 days ago. The
audit log keeps the real time (audit.services), so it still says when rows were written.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("clock_moment", default=None)


def now() -> datetime:
    moment = _moment.get()
    return moment if moment is not None else timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Within the block (this thread or task only), `now()` is `moment`, which must be aware."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
