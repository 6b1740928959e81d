"""Rows every page reads are kept shared and, briefly, in each process (core.cache.cached)."""

import time
from unittest import mock

import pytest
from django.core.cache import cache, caches

from smartcommune.core.cache import LOCAL_SECONDS, ProcessMemo, cached
from smartcommune.core.transactions import forget_cached


def loader(value):
    calls = []

    def load():
        calls.append(1)
        return value

    return load, calls


def test_a_value_is_loaded_once_then_read_here_then_from_the_shared_cache():
    load, calls = loader({"tên": "Xã Mường Đun"})
    assert cached("k", load, timeout=600) == {"tên": "Xã Mường Đun"}
    assert cached("k", load, timeout=600) == {"tên": "Xã Mường Đun"}
    assert len(calls) == 1
    caches["local"].clear()  # another process: its own copy is empty, the shared one is not
    assert cached("k", load, timeout=600) == {"tên": "Xã Mường Đun"} and len(calls) == 1


def test_the_copy_here_is_a_copy():
    value = cached("k", lambda: {"n": 1}, timeout=600)
    value["n"] = 2  # a caller changing what it got does not change what the next one gets
    assert cached("k", lambda: {"n": 3}, timeout=600) == {"n": 1}


@pytest.mark.django_db  # forget_cached drops again on commit
def test_a_change_is_seen_at_once_here_and_within_local_seconds_elsewhere():
    cached("k", lambda: "cũ", timeout=600)
    cache.set("k", "mới", 600)  # another process changed the row and refreshed the shared cache
    assert cached("k", lambda: "?", timeout=600) == "cũ"
    later = time.time() + LOCAL_SECONDS + 1
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        assert cached("k", lambda: "?", timeout=600) == "mới"
    forget_cached(["k"])  # this process changes it: both levels are dropped
    assert cached("k", lambda: "mới nhất", timeout=600) == "mới nhất"


def test_the_copy_here_never_outlives_the_shared_timeout():
    cached("k", lambda: "v", timeout=5)
    later = time.time() + 6
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        assert caches["local"].get("k") is None


def test_a_process_memo_gives_back_the_object_and_starts_again_when_full():
    memo = ProcessMemo(2)
    rules = {"giờ làm việc": "07:30-11:30"}
    memo.put("rev-1", rules)
    assert memo.get("rev-1") is rules and memo.get("rev-2") is None
    memo.put("rev-2", "b")
    memo.put("rev-3", "c")  # full: the older revisions go
    assert (memo.get("rev-1"), memo.get("rev-2"), memo.get("rev-3")) == (None, None, "c")
