"""Django's Redis cache, keeping one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call, and redis-py fills ~170
response callbacks in each one's constructor: ~0.1 ms of CPU a call, several calls a page. A client
only holds its pool (thread-safe), so one per pool serves every call and thread.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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
