from functools import partial

from django.db import transaction


def enqueue_on_commit(task, /, **kwargs) -> None:
    """Queue a Celery task once the surrounding transaction commits (never for a rolled-back one).

    Tasks take JSON-only keyword arguments (ids, not objects)."""
    transaction.on_commit(partial(task.delay, **kwargs))
