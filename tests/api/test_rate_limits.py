"""Rate limits: per token for token callers, per address for everyone else, 429 with Retry-After."""

import logging
import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.enums import TokenScope
from accounts.services import api_token_create

URL = "/api/v1/pledges/"


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    settings.API_RATE_LIMIT_ADDRESS = "2/minute"
    settings.API_RATE_LIMIT_TOKEN = "3/minute"
    cache.clear()
    yield
    cache.clear()


def statuses(client, count, **headers) -> list[int]:
    return [client.get(URL, **headers).status_code for _ in range(count)]


def token_client(user) -> APIClient:
    _token, secret = api_token_create(user=user, name="limits", scope=TokenScope.READ)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_address_past_its_limit_gets_429_problem_with_retry_after(reference_data):
    client = APIClient()
    assert statuses(client, 2) == [200, 200]
    response = client.get(URL)
    body = response.json()
    assert (response.status_code, response["Content-Type"], body["status"], body["title"]) == (
        429,
        "application/problem+json",
        429,
        "Too many requests",
    )
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["retry_after"] == int(response["Retry-After"])


def test_address_limit_holds_for_answers_from_the_page_cache(reference_data, settings):
    settings.PAGE_CACHE_ENABLED = True
    assert statuses(APIClient(), 4) == [200, 200, 429, 429]


def test_another_address_has_its_own_count(reference_data):
    assert statuses(APIClient(), 3) == [200, 200, 429]
    assert statuses(APIClient(REMOTE_ADDR="192.0.2.7"), 1) == [200]


def test_forged_forwarded_for_does_not_change_the_address(reference_data):
    client = APIClient()
    answers = [client.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]


def test_another_authorization_scheme_is_counted_by_address(reference_data):
    assert statuses(APIClient(), 3, HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==") == [200, 200, 429]


def test_token_is_counted_by_token_not_by_address(reference_data, indonesia_focal_point):
    assert statuses(APIClient(), 2) == [200, 200]  # the address is used up
    client = token_client(indonesia_focal_point)
    assert statuses(client, 4) == [200, 200, 200, 429]
    response = client.get(URL)
    assert (response.status_code, response.json()["status"], int(response["Retry-After"]) > 0) == (429, 429, True)
    assert statuses(token_client(indonesia_focal_point), 1) == [200]  # another token, its own count


def test_rates_come_from_the_environment():
    code = "from iscm_portal.settings import base; print(base.API_RATE_LIMIT_TOKEN, base.API_RATE_LIMIT_ADDRESS)"
    env = {**os.environ, "API_RATE_LIMIT_TOKEN": "7/second", "API_RATE_LIMIT_ADDRESS": "30/hour"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["7/second", "30/hour"]


@pytest.fixture
def redis_cache(settings, redis_url):
    """The default cache on Redis, as in production (CELERY_BROKER_URL's server), under a key prefix of its own."""
    server = redis_url
    prefix = f"test-limits-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {"BACKEND": "iscm_portal.redis_cache.RedisCache", "LOCATION": server, "KEY_PREFIX": prefix}
    }
    client = redis.Redis.from_url(server)
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_counts_on_redis_expire_with_their_window(reference_data, settings, redis_cache):
    raw, prefix = redis_cache
    settings.PAGE_CACHE_ENABLED = True
    client = APIClient()
    assert statuses(client, 1) == [200]
    with CaptureQueriesContext(connection) as queries:  # from the page cache, read with the count
        assert statuses(client, 3) == [200, 429, 429]
    assert len(queries) == 0
    counters = [key for key in raw.scan_iter(f"{prefix}:*") if b"throttle_address" in key]
    assert len(counters) == 1
    assert int(raw.get(counters[0])) == 4
    assert 0 < raw.ttl(counters[0]) <= 61  # the minute's window, plus a second


def test_counts_that_do_not_answer_leave_the_api_answering(reference_data, caplog):
    nowhere = {
        "default": {"BACKEND": "iscm_portal.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=nowhere), caplog.at_level(logging.ERROR, logger="iscm_portal.api.throttling"):
        assert statuses(APIClient(), 3) == [200, 200, 200]
    assert "rate-limit counts do not answer" in caplog.text
