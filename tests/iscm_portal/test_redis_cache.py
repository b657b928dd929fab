"""The portal's Redis cache backend (iscm_portal/redis_cache.py), on a real Redis: Django's behaviour, one client
per pool, and the count-and-read of the API's rate limit in one round trip."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings


@pytest.fixture
def redis_backend(redis_url):
    server = redis_url
    prefix = f"test-backend-{uuid.uuid4().hex[:8]}"
    config = {"default": {"BACKEND": "iscm_portal.redis_cache.RedisCache", "LOCATION": server, "KEY_PREFIX": prefix}}
    with override_settings(CACHES=config):
        yield caches["default"], redis.Redis.from_url(server), prefix
    client = redis.Redis.from_url(server)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_it_is_djangos_cache_with_one_client_per_pool(redis_backend):
    cache, _raw, _prefix = redis_backend
    cache.set("page", {"html": "<p>é</p>"}, timeout=60)
    cache.set_many({"a": 1, "b": [2]}, timeout=60)
    assert (cache.get("page"), cache.get_many(["a", "b", "missing"]), cache.incr("a")) == (
        {"html": "<p>é</p>"},
        {"a": 1, "b": [2]},
        2,
    )
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_count_and_get_many_counts_reads_and_expires_the_counter_once(redis_backend):
    cache, raw, prefix = redis_backend
    cache.set("entry", ("v1", b"<html>"), timeout=60)
    first = cache.count_and_get_many("count", timeout=30, keys=["entry", "missing"])
    raw.expire(f"{prefix}:1:count", 5)  # a later count must not give the counter a new life
    second = cache.count_and_get_many("count", timeout=30, keys=[])
    assert (first, second) == ((1, {"entry": ("v1", b"<html>")}), (2, {}))
    assert 0 < raw.ttl(f"{prefix}:1:count") <= 5
    assert cache.get("count") == 2  # the counter is an ordinary integer of the cache


def test_count_and_get_many_that_fails_raises_and_the_cache_goes_on_answering(redis_backend):
    """The count and the read are sent together: a count that fails raises its error (the rate limit then lets
    the request through), not a reply taken for another, and the next commands get their own replies."""
    cache, raw, prefix = redis_backend
    cache.set("entry", "page", timeout=60)
    raw.set(f"{prefix}:1:count", "not a number")
    with pytest.raises(redis.ResponseError, match="not an integer"):
        cache.count_and_get_many("count", timeout=30, keys=["entry"])
    raw.delete(f"{prefix}:1:count")
    assert (cache.get_many(["entry", "missing"]), cache.count_and_get_many("count", timeout=30, keys=["entry"])) == (
        {"entry": "page"},
        (1, {"entry": "page"}),
    )
