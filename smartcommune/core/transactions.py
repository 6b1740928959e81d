from functools import partial

from django.core.cache import cache
from django.db import transaction


def enqueue_on_commit(task, /, **kwargs) -> None:
    """Queue a Celery task once the surrounding transaction commits (never for a rolled-back one).

    Tasks take JSON-only keyword arguments (ids, not objects)."""
    transaction.on_commit(partial(task.delay, **kwargs))


def now_and_on_commit(func) -> None:
    """Run `func` now and again once the surrounding transaction commits: for dropping a cached
    value whose source changes here, since a read in between would cache the old value again."""
    func()
    transaction.on_commit(func)


def forget_cached(keys) -> None:
    """Delete these cache keys now and again on commit (see now_and_on_commit)."""
    keys = list(keys)
    if keys:
        now_and_on_commit(lambda: cache.delete_many(keys))
