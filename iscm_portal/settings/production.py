"""Production: secrets have no default, HTTPS everywhere, static files through WhiteNoise."""

from .base import *  # noqa: F403
from .base import DATABASES, env, logging_config, mailers_from_url

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without it
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Persistent connections: each gunicorn worker (WEB_CONCURRENCY, sync workers: one connection each) and each
# Celery worker process keeps one connection open, so PostgreSQL needs WEB_CONCURRENCY + the workers'
# concurrency + beat + a few for manage.py below its max_connections (README, "Database connections").
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# Production has no default mailer: EMAIL_URL is required (any form the README documents, console and file
# mailers included, for trials).
MAILERS = mailers_from_url(env("EMAIL_URL"))
if not MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    # The operator chose a console, file or dummy mailer for a trial through EMAIL_URL: that is the decision
    # Django's deploy check (mail.E001) asks for, so it does not fail `check --deploy`.
    SILENCED_SYSTEM_CHECKS = ["mail.E001"]

# One JSON object per log line, for the log collector (LOG_FORMAT=text for people reading a terminal).
LOGGING = logging_config(env("LOG_FORMAT", default="json"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
