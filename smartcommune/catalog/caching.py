"""The catalog as every intake reads it (a procedure with its components and fees, the process that
applies at a unit), cached: intake read the same handful of rows in six queries for each dossier.

Entries are keyed by a catalog generation that any change replaces. The services call
`catalog_changed()`; saves and deletions made elsewhere (the admin, data loading) reach it through
model signals, so no writer can leave a stale fee or process behind.
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from smartcommune.core.cache import ProcessMemo
from smartcommune.core.transactions import now_and_on_commit

CATALOG_CACHE_SECONDS = 30 * 60
_GENERATION_KEY = "catalog:generation"

# Entries kept as objects in this process too, under the same generation-bearing key: the shared
# cache's copy costs an unpickling of every row at each read (~0.3 ms for a process with its steps).
# Only for entries nothing writes to; the generation is still read from the shared cache each time,
# so a change made by any process is seen at once.
_IN_PROCESS = ProcessMemo(512)


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(_GENERATION_KEY, generation, None):  # another process was first
            generation = cache.get(_GENERATION_KEY) or generation
    return generation


def catalog_changed() -> None:
    """Retire every cached catalog entry (a new generation), now and again on commit."""
    now_and_on_commit(lambda: cache.set(_GENERATION_KEY, uuid.uuid4().hex, None))


def cached(kind: str, key: str, load, *, read_only: bool = False):
    """`load()` through the cache, under the current catalog generation. `read_only`: callers never
    change the objects, which are then shared by the requests of this process."""
    full_key = f"catalog:{_generation()}:{kind}:{key}"
    value = _IN_PROCESS.get(full_key) if read_only else None
    if value is None:
        value = cache.get(full_key)
        if value is None:
            value = load()
            if value is not None:
                cache.set(full_key, value, CATALOG_CACHE_SECONDS)
        if read_only and value is not None:
            _IN_PROCESS.put(full_key, value)
    return value


def _on_catalog_write(sender, **kwargs) -> None:
    catalog_changed()


def connect_signals(models) -> None:
    for model in models:
        post_save.connect(
            _on_catalog_write, sender=model, dispatch_uid=f"catalog-cache-save-{model.__name__}"
        )
        post_delete.connect(
            _on_catalog_write, sender=model, dispatch_uid=f"catalog-cache-delete-{model.__name__}"
        )
