"""Settings of the server benchmarks/load_pages.py starts: production's, on plain HTTP, plus the bare view."""

import os

from iscm_portal.settings.production import *  # noqa: F403

# The bare view is only there when there is captured HTML to serve; an earlier commit's server
# (load_pages.py --baseline) serves that commit's own addresses.
if os.environ.get("BENCH_PAGES_DIR"):
    ROOT_URLCONF = "benchmarks.pages_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
