"""Settings shared by every mode. The environment is read here and only here."""

import urllib.parse
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from iscm_portal.file_storage import file_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # full-text search of the practice library (SQLite falls back to LIKE)
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our static files (no CDN)
    "iscm_portal",
    "operations",
    "accounts",
    "gcm",
    "mechanisms",
    "reviews",
    "pledges",
    "library",
    "packages",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (and the tasks it queues).
    "iscm_portal.request_context.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A view that lost the database answers the 503 "briefly unavailable" page, not a traceback.
    "iscm_portal.database_outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so a cached API answer gets its ETag and a 304 too (iscm_portal/api/conditional.py).
    "iscm_portal.api.conditional.ApiConditionalGetMiddleware",
    # Before sessions, so it stores only what leaves every other middleware without a cookie.
    # Before the page cache, so a visitor is held to the address rate limit even for cached answers.
    "iscm_portal.api.address_limit.ApiAddressRateLimitMiddleware",
    "iscm_portal.page_cache.PublicPageCacheMiddleware",
    # Inside the page cache, so a cached API answer is stored with its ETag (iscm_portal/api/conditional.py).
    "iscm_portal.api.conditional.ApiEtagMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (which may redirect by the resolved, language-prefixed URL).
    "accounts.languages.PortalLocaleMiddleware",
    # Before any view reads the address (a NUL in it would reach PostgreSQL and fail), after the language is
    # chosen so the refusal is in the caller's language (iscm_portal/request_guard.py).
    "iscm_portal.request_guard.NulCharacterGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns a refused login (request.axes_locked_out) into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iscm_portal.urls"
WSGI_APPLICATION = "iscm_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.languages.language_links",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A request or task starts on a connection that works: one that died with a database restart is replaced,
# so the portal recovers by itself (iscm_portal/database_outage.py answers 503 while it is down).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Seconds a connection is kept for the next request of the same process (0: one per request).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# The cache behind the public page cache (iscm_portal/page_cache.py) and the cached fragments. The embedded
# default is a file cache: `make run`'s server and worker are separate processes, and the worker's writes (a
# library reindex, a compiled package) must expire the pages the server answers with. Redis in production.
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{BASE_DIR / '.page-cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's backend, sharing one redis-py client per connection pool (see iscm_portal/redis_cache.py).
    CACHES["default"]["BACKEND"] = "iscm_portal.redis_cache.RedisCache"
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
# Entries never go stale (a write expires them at once); the timeout only frees space taken by old versions.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=24 * 60 * 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that username is refused from that address for the cool-off period, even with the right password. Another
# user at the same address (a shared office) and the same user elsewhere are not affected. A successful login
# clears the count. IOM staff unlock a login early at /accounts/lockouts/ (see README, "Locked-out logins").
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused login gets the login page again with the reason and HTTP 429, not axes's plain-text page.
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
# Failures are counted, successful logins are not logged (the portal keeps no access log of its own).
AXES_DISABLE_ACCESS_LOG = True
# Behind a reverse proxy every request comes from the proxy's address, so one attacker would lock everybody
# out. Set AXES_IPWARE_META_PRECEDENCE_ORDER=HTTP_X_FORWARDED_FOR,REMOTE_ADDR and AXES_IPWARE_PROXY_COUNT to
# the number of proxies in front of the portal, and only if those proxies overwrite X-Forwarded-For
# (a client can send its own).
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env.list("AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"]))
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The portal's languages: IOM's working languages. Add one here, then `manage.py makemessages -l <code>`
# and translate locale/<code>/LC_MESSAGES/django.po (see the README).
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates per language ("1 December 2026", "1 décembre 2026", "1 de diciembre de 2026"): iscm_portal/formats.
FORMAT_MODULE_PATH = ["iscm_portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from npm at install time, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    # The membership maps: country shapes (Natural Earth, keyed by ISO 3166-1 numeric = M49 codes) and projection.
    ("vendor/world-atlas", NODE_MODULES / "world-atlas"),
    ("vendor/topojson-client", NODE_MODULES / "topojson-client" / "dist"),
    ("vendor/d3-array", NODE_MODULES / "d3-array" / "dist"),
    ("vendor/d3-geo", NODE_MODULES / "d3-geo" / "dist"),
]
# Uploaded files live outside the web root and are only served through views
# that check permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Attachments ("default"), package files and compile snapshots ("packages") and the sections cache ("sections"):
# folders under MEDIA_ROOT, or an S3-compatible bucket when S3_BUCKET is set (iscm_portal/file_storage.py), so
# web servers and workers on different machines share them without a shared disk.
FILE_STORAGES = file_storages(env, parts_dir=env("PACKAGES_PARTS_DIR", default=""))
STORAGES = {
    **FILE_STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# EMAIL_URL chooses the mailer: smtp://host:25, smtp+tls://user:password@host:587, smtp+ssl://user:password@host:465
# (smtps:// likewise), consolemail:// (printed on the worker's output), filemail:///absolute/folder (one file per
# e-mail, for trials) or dummymail:// (dropped). The console by default; required in production.
MAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # seconds; a mail server that hangs fails the try, which is retried


def mailers_from_url(url: str) -> dict:
    """Django's MAILERS for an EMAIL_URL: each backend gets only the options it takes."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": config["EMAIL_HOST"] or "localhost",
            "port": config["EMAIL_PORT"] or 25,
            "username": config["EMAIL_HOST_USER"] or "",
            "password": config["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": bool(config.get("EMAIL_USE_TLS")),
            "use_ssl": bool(config.get("EMAIL_USE_SSL")),
            "timeout": MAIL_TIMEOUT,
        }
    elif backend.endswith("filebased.EmailBackend"):
        # django-environ drops the leading "/" of filemail:///srv/mail; the URL's path is the folder.
        options = {"file_path": urllib.parse.urlsplit(url).path or str(BASE_DIR / "sent-mail")}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_url(env("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ISCM Review Portal <noreply@iscm-portal.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address e-mail links point at: by default the one `make run` serves on (its PORT reaches us as PORT).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")

# Celery: with no broker configured, tasks run eagerly in the web process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died (killed, out of memory) goes back to the queue instead of being dropped.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On Redis a worker otherwise reserves every queued section of a compile even at a multiplier of 1, so a second
# worker gets none and a worker told to stop (a deploy) runs them all before it hands anything back. With prefetch
# off (Celery >= 5.6, Redis only) a worker takes a task only when one of its processes is free.
CELERY_WORKER_DISABLE_PREFETCH = CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {}
CELERY_BEAT_SCHEDULE["pledges-progress-reminders"] = {
    "task": "pledges.send_progress_reminders",
    "schedule": crontab(hour=5, minute=30),  # daily; the task is idempotent
}
# Review workflow: remind secretariats N days before the due date, then weekly while overdue.
REVIEW_REMINDER_DAYS = env.list("REVIEW_REMINDER_DAYS", cast=int, default=[14, 3])
REVIEW_OVERDUE_REMINDER_WEEKS = env.int("REVIEW_OVERDUE_REMINDER_WEEKS", default=8)
CELERY_BEAT_SCHEDULE["reviews-due-reminders"] = {
    "task": "reviews.send_due_reminders",
    "schedule": crontab(hour=6, minute=0),
}
CELERY_TIMEZONE = TIME_ZONE

# The outbox (operations/outbox.py): side effects recorded with the step that causes them, handed to the broker
# after the commit and again by the relay (beat every OUTBOX_RELAY_INTERVAL seconds, each worker at start).
OUTBOX_RELAY_INTERVAL = env.int("OUTBOX_RELAY_INTERVAL", default=60)
OUTBOX_REDELIVER_AFTER = env.int("OUTBOX_REDELIVER_AFTER", default=15 * 60)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
CELERY_BEAT_SCHEDULE["operations-relay-outbox"] = {
    "task": "operations.relay_outbox",
    "schedule": float(OUTBOX_RELAY_INTERVAL),
}
# Heartbeats read by /healthz: each worker writes its own every HEARTBEAT_INTERVAL seconds
# (operations/worker_steps.py), beat as it ticks.
HEARTBEAT_INTERVAL = env.int("HEARTBEAT_INTERVAL", default=30)
CELERY_BEAT_SCHEDULER = "operations.heartbeats:RecordingScheduler"
# /healthz: 503 unless every check named here is ok. A worker or beat silent for longer than these many
# seconds is down; an outbox message waiting longer than HEALTH_OUTBOX_MAX_WAIT means nothing drains it.
HEALTH_REQUIRED_CHECKS = env.list("HEALTH_REQUIRED_CHECKS", default=["database", "broker", "worker", "beat", "outbox"])
HEALTH_WORKER_STALE_AFTER = env.int("HEALTH_WORKER_STALE_AFTER", default=3 * HEARTBEAT_INTERVAL)
HEALTH_BEAT_STALE_AFTER = env.int("HEALTH_BEAT_STALE_AFTER", default=120)
HEALTH_OUTBOX_MAX_WAIT = env.int("HEALTH_OUTBOX_MAX_WAIT", default=30 * 60)
# Package compiles (packages/tasks.py). No task of a compile runs longer than PACKAGES_TASK_TIME_LIMIT (a
# section, or joining them all); Redis hands an unacknowledged message to another worker after the visibility
# timeout, so it is longer than that, and a whole worker lost mid-task is noticed by its lapsed lease instead
# of that hour-long wait.
PACKAGES_TASK_TIME_LIMIT = env.int("PACKAGES_TASK_TIME_LIMIT", default=15 * 60)
# Workers renew a compiling version's lease every quarter of this; a lapsed lease means its worker was lost.
PACKAGES_COMPILE_LEASE = env.int("PACKAGES_COMPILE_LEASE", default=120)
# A compile whose worker was lost restarts from its sections cache this many times, then fails with a Retry.
PACKAGES_COMPILE_MAX_RECOVERIES = env.int("PACKAGES_COMPILE_MAX_RECOVERIES", default=2)
PACKAGES_RECOVERY_INTERVAL = env.int("PACKAGES_RECOVERY_INTERVAL", default=60)
# Rendered sections are kept for reuse (the "sections" storage: MEDIA_ROOT/packages/parts unless
# PACKAGES_PARTS_DIR names another folder, or packages/parts/ in the bucket) and pruned by age and by total size
# (oldest first).
PACKAGES_PARTS_CACHE_MAX_AGE_DAYS = env.int("PACKAGES_PARTS_CACHE_MAX_AGE_DAYS", default=30)
PACKAGES_PARTS_CACHE_MAX_BYTES = env.int("PACKAGES_PARTS_CACHE_MAX_BYTES", default=2 * 1024**3)
CELERY_BEAT_SCHEDULE["packages-recover-compiles"] = {
    "task": "packages.recover_compiles",
    "schedule": float(PACKAGES_RECOVERY_INTERVAL),
}
CELERY_BEAT_SCHEDULE["packages-prune-files"] = {"task": "packages.prune_files", "schedule": crontab(minute=17)}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": PACKAGES_TASK_TIME_LIMIT + 5 * 60}

# Uploads: one limit for every attachment, checked again in the form.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'"],
    "font-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

DEMO_PASSWORD = env("DEMO_PASSWORD", default="demo-portal-2026")
# Where `seed_demo` writes the e-mails its workflow sends (one file each); empty: through the configured mailer.
DEMO_MAIL_DIR = env("DEMO_MAIL_DIR", default=str(BASE_DIR / "sent-mail" / "demo"))


def logging_config(log_format: str) -> dict:
    """Every record goes to the console with the request id; LOG_FORMAT=json writes one JSON object per line."""
    text = {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    formatter = {"()": "iscm_portal.json_logging.JsonFormatter"} if log_format == "json" else text
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "iscm_portal.json_logging.RequestIdFilter"}},
        "formatters": {"portal": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "portal"},
        },
        "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    }


LOGGING = logging_config(env("LOG_FORMAT", default="text"))
# Workers log through LOGGING too (same format, with the request id of the task's request).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting (sentry-sdk): off unless SENTRY_DSN is set. No personal data is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# The practice library catches up with edited reviews even where no hook queued a reindex.
CELERY_BEAT_SCHEDULE["library-reindex-stale"] = {"task": "library.reindex_stale", "schedule": 600.0}

# The JSON API at /api/v1/ (iscm_portal/api/, README "API"). JSON only: no browsable API, whose forms would be
# another set of pages to keep accessible; the documentation page is /api/docs/. Every error is an RFC 9457
# problem document (iscm_portal/api/problems.py). Reads follow the same rules as the pages (each app's
# selectors); a view that declares no rule answers reads only (iscm_portal/api/permissions.py).
# API rate limits (iscm_portal/api/throttling.py), as <requests>/<second|minute|hour|day>: per personal token, and
# per address for callers without one. Past them the answer is 429 with Retry-After.
API_RATE_LIMIT_TOKEN = env("API_RATE_LIMIT_TOKEN", default="600/minute")
API_RATE_LIMIT_ADDRESS = env("API_RATE_LIMIT_ADDRESS", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The only parsers of the API (no view names its own): each holds a body to DATA_UPLOAD_MAX_MEMORY_SIZE,
    # which REST framework's own do not check, and answers 413 past it (iscm_portal/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "iscm_portal.api.parsers.JSONParser",
        "iscm_portal.api.parsers.FormParser",
        "iscm_portal.api.parsers.MultiPartParser",
    ],
    # Personal API tokens first, so a refused token answers 401 with `WWW-Authenticate: Bearer`
    # (accounts/authentication.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Per token here; per address in iscm_portal/api/address_limit.py.
    "DEFAULT_THROTTLE_CLASSES": ["iscm_portal.api.throttling.TokenRateThrottle"],
    # The caller's address for the rate limit: the one django-axes trusts (REMOTE_ADDR, or behind that many
    # proxies the X-Forwarded-For entry they added); never the whole header, which a caller can forge.
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT if "HTTP_X_FORWARDED_FOR" in AXES_IPWARE_META_PRECEDENCE_ORDER else 0,
    "DEFAULT_PERMISSION_CLASSES": ["iscm_portal.api.permissions.RulePermission"],
    "DEFAULT_PAGINATION_CLASS": "iscm_portal.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "iscm_portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "iscm_portal.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSION": "v1",
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISCM Review Portal API",
    "DESCRIPTION": (
        "Mechanisms, States and their memberships, review cycles, regional reviews, the practice library and "
        "pledges, with the same visibility rules as the portal's pages. Errors are RFC 9457 problem details "
        "(application/problem+json). Every GET answers with an ETag; send it back in If-None-Match to get a 304."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them inside each operation's toggle button (nested controls, small targets).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # `check --deploy` generates the whole schema and fails on any warning; tests/api/test_schema.py too.
    # Choice sets that share a field name (kind, status) get names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MechanismKindEnum": "mechanisms.enums.MechanismKind",
        "MechanismStatusEnum": "mechanisms.enums.MechanismStatus",
        "PledgeStatusEnum": "pledges.enums.PledgeStatus",
        "ReviewStatusEnum": "reviews.enums.ReviewStatus",
    },
}
