import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/iscm-deploy-check.sqlite3",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
}


def manage(*args, env):
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize("email_url", ["consolemail://", "filemail:///tmp/iscm-trial-mail", "dummymail://"])
def test_trial_mailers_work_under_production_settings(email_url, tmp_path):
    """Every EMAIL_URL the README documents, console and file mailers for trials included."""
    env = {**PRODUCTION_ENV, "EMAIL_URL": email_url.replace("/tmp/iscm-trial-mail", str(tmp_path))}
    check = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert (check.returncode, check.stdout.strip().splitlines()[-1]) == (
        0,
        "System check identified no issues (1 silenced).",
    ), check.stderr
    script = "from django.core.mail import send_mail; print(send_mail('Hi', 'Body', None, ['a@x.org']))"
    sent = manage("shell", "-c", script, env=env)
    assert sent.stdout.strip().splitlines()[-1] == "1", sent.stderr
    if email_url.startswith("filemail"):
        assert "Subject: Hi" in next(tmp_path.iterdir()).read_text()


def test_mailers_from_url_gives_each_backend_only_its_options():
    from iscm_portal.settings.base import mailers_from_url

    assert mailers_from_url("smtp+tls://portal:secret@smtp.example.org:587")["default"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.org",
            "port": 587,
            "username": "portal",
            "password": "secret",
            "use_tls": True,
            "use_ssl": False,
            "timeout": 20,
        },
    }
    assert mailers_from_url("consolemail://")["default"] == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {},
    }
    assert mailers_from_url("filemail:///srv/portal/mail")["default"] == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": "/srv/portal/mail"},
    }


@pytest.mark.parametrize(("dsn", "active"), [("", "False"), ("https://public@sentry.example.org/1", "True")])
def test_error_reporting_is_off_unless_a_dsn_is_set(dsn, active):
    script = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    result = manage("shell", "-c", script, env={**PRODUCTION_ENV, "SENTRY_DSN": dsn})
    assert result.stdout.strip().splitlines()[-1] == active, result.stderr
