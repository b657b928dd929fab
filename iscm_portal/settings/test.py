"""Test settings: fast hashing, in-memory e-mail, eager Celery unless a test starts a worker."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, FILE_STORAGES, env, mailers_from_url

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless a test's worker process must leave its e-mails where the test can count them (filemail://).
MAILERS = mailers_from_url(env("TEST_EMAIL_URL", default="memorymail://"))
CELERY_TASK_ALWAYS_EAGER = True
# A worker process a test starts may be given its own (fault tests point it at the test's folder).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / ".test-media")))
STORAGES = {
    **FILE_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The page cache is off unless a test turns it on (tests/iscm_portal/test_page_cache.py): most tests change
# data with factories rather than through the services that expire cached pages.
PAGE_CACHE_ENABLED = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run eagerly in the test process, so no worker or beat writes a heartbeat: /healthz judges the parts
# the test run has (tests of the worker and beat checks name the checks they need).
HEALTH_REQUIRED_CHECKS = env.list("HEALTH_REQUIRED_CHECKS", default=["database", "broker", "outbox"])
# Every test calls from 127.0.0.1 and the cache outlives a test: rate limits are tested where they are set.
API_RATE_LIMIT_TOKEN = env("API_RATE_LIMIT_TOKEN", default="100000/minute")
API_RATE_LIMIT_ADDRESS = env("API_RATE_LIMIT_ADDRESS", default="100000/minute")
# The demo's e-mails go to the test mailer (django.core.mail.outbox), where the tests read them.
DEMO_MAIL_DIR = ""
