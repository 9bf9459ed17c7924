"""The Redis cache that several app servers share (pkk_training/cache.py).

Runs against the Redis on 127.0.0.1:6379 (database 15, under a key prefix of
its own, its keys deleted afterwards); skipped where none answers, unless
PKK_REQUIRE_REDIS=1 (as CI sets it).
"""

import os
import uuid

import pytest
import redis

from pkk_training.cache import ReusingRedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def cache():
    cache = ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})
    try:
        cache._cache.get_client().ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("PKK_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield cache
    cache.delete_many(["session", "hits", "marks"])  # not clear(): that empties database 15
    cache.close()


def test_one_client_serves_every_operation(cache):
    first = cache._cache.get_client()

    cache.set("session", {"user": 7}, 60)
    counted = [cache.incr("hits") if cache.has_key("hits") else cache.add("hits", 1, 60)]
    counted.append(cache.incr("hits"))

    assert cache._cache.get_client(write=True) is first
    assert cache.get("session") == {"user": 7}
    assert counted == [True, 2]
    assert cache.get("missing", "default") == "default"


def test_another_cache_object_keeps_its_own_client_on_the_same_server(cache):
    # Django gives each thread its own cache object: they share nothing but Redis.
    other = ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": cache.key_prefix})

    cache.set("marks", 3, 60)

    assert other._cache.get_client() is not cache._cache.get_client()
    assert other.get("marks") == 3
    other.close()
