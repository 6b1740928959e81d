from functools import partial

from django.db import connection, transaction

from .cache import forget


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
    """Delete these cache keys (shared, and this process's copies) now and again on commit (see
    now_and_on_commit)."""
    keys = list(keys)
    if keys:
        now_and_on_commit(lambda: forget(keys))


def insert_all(rows: list) -> list:
    """Insert new rows of one model with one INSERT and set their ids. SQLite before 3.35 hands no
    ids back from a bulk insert: there they are saved one by one, in one transaction."""
    if rows and not connection.features.can_return_rows_from_bulk_insert:
        with transaction.atomic():
            for row in rows:
                row.save()
        return rows
    return type(rows[0]).objects.bulk_create(rows) if rows else rows
