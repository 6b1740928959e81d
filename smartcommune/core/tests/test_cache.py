"""The Redis cache works as Django's does, with one client per pool (the production cache)."""

import threading

import pytest

from smartcommune.core.cache import ReusingRedisCache
from tests.support.services import redis_up

REDIS = "redis://127.0.0.1:6379/14"


pytestmark = pytest.mark.skipif(not redis_up(), reason="Redis is not running on 127.0.0.1:6379")


@pytest.fixture
def cache():
    cache = ReusingRedisCache(REDIS, {"KEY_PREFIX": "sc-test-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_values_go_in_and_out_as_with_djangos_redis_cache(cache):
    cache.set("bản", {"tên": "Mường Đun", "số": 3}, 30)
    assert cache.get("bản") == {"tên": "Mường Đun", "số": 3}
    assert cache.add("bản", "khác") is False and cache.add("mới", 1) is True
    assert cache.incr("mới") == 2
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    cache.delete("a")
    assert cache.get("a", "mất") == "mất"


def test_one_client_serves_every_call_and_thread(cache):
    clients = []

    def use():
        cache.set("k", threading.get_ident(), 30)
        clients.append(cache._cache.get_client(write=True))

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in clients}) == 1 and cache.get("k") is not None
