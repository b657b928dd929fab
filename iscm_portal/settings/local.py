"""Local development: the embedded defaults (SQLite, a Celery worker on a broker kept in files)."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, DATABASES, FILE_STORAGES, env

DEBUG = env.bool("DEBUG", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to one file. Transactions take the write lock when they begin
    # (IMMEDIATE), so a second writer waits for it instead of failing at once with "database is locked";
    # with WAL, pages that only read never wait for a writer.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
STORAGES = {
    **FILE_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if not CELERY_BROKER_URL:
    # The embedded broker: messages and task results are files under LOCAL_BROKER_DIR, so `make run`
    # needs no Redis yet runs tasks (a package compile) on a real worker and the request returns at once.
    # The results are needed by the compile's chord: the worker joins the sections once all are rendered.
    LOCAL_BROKER_DIR = Path(env("LOCAL_BROKER_DIR", default=str(BASE_DIR / ".local-broker")))
    for _folder in ("messages", "control", "results"):
        (LOCAL_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"  # a host, or kombu warns on every start
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(LOCAL_BROKER_DIR / "messages"),
        "data_folder_out": str(LOCAL_BROKER_DIR / "messages"),
        "control_folder": str(LOCAL_BROKER_DIR / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{LOCAL_BROKER_DIR / 'results'}"  # a path, not a URI: not %-decoded
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
    # `make run` starts a worker but no beat.
    HEALTH_REQUIRED_CHECKS = env.list("HEALTH_REQUIRED_CHECKS", default=["database", "broker", "worker"])
