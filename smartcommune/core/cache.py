"""The shared cache (Redis in production) and the per-process copy of rows every page reads.

`cached(key, load, timeout=...)`: a value kept in the shared cache and, for LOCAL_SECONDS, in the
process too (settings.CACHES["local"]): a Redis round trip costs ~0.15 ms, and a page read two or
three such rows (a province's calendar, the unit named in the header). Another process sees a change
at most LOCAL_SECONDS late; the process that makes it, at once (core.transactions.forget_cached).

`ReusingRedisCache`: Django's Redis cache, keeping one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call, and redis-py fills ~170
response callbacks in each one's constructor: ~0.1 ms of CPU a call, several calls a page. A client
only holds its pool (thread-safe), so one per pool serves every call and thread.
"""

import threading

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

LOCAL_SECONDS = 30


def cached(key: str, load, *, timeout: int):
    """The value under `key`: from this process, else from the shared cache, else `load()` (which
    must not return None), kept `timeout` seconds shared and at most LOCAL_SECONDS here."""
    local = caches["local"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = load()
            cache.set(key, value, timeout)
        local.set(key, value, min(timeout, LOCAL_SECONDS))
    return value


class ProcessMemo:
    """Objects kept in this process under keys that name their version (a catalog generation, a
    calendar revision), so an entry is never stale, only unused: at `size` entries it starts again.
    Values are shared by every request of the process: only for objects nobody changes."""

    def __init__(self, size: int):
        self.size = size
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        return self._entries.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # mostly entries of older versions
            self._entries[key] = value


def forget(keys: list) -> None:
    """Drop these keys from the shared cache and from this process's copies."""
    cache.delete_many(keys)
    caches["local"].delete_many(keys)


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
