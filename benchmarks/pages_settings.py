"""Settings of the server benchmarks/load_pages.py starts: production's, on plain HTTP, plus the bare view."""

from iscm_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.pages_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
