import contextlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from iscm_portal.celery import app

# Each app contributes one step; a step takes keyword arguments and returns lines to print. Every step leaves
# what exists as it is, so `make run` can run the command on every start.
DEMO_STEPS = [
    "accounts.demo.demo_users_create",
    "reviews.demo.demo_reviews_create",  # writes the reviews and takes them through the workflow
    "pledges.demo.demo_pledges_create",
    "packages.demo.demo_packages_create",
    # Keep last: indexes any demo review the library's hook has not indexed.
    "library.demo.demo_library_create",
]
# Printed after what was made: what the dashboards show first, read through their own selectors.
SUMMARY = "reviews.demo.demo_dashboards_summary"


@contextlib.contextmanager
def _demo_mail_to(folder: Path | None):
    """The demo's workflow e-mails go to files in `folder` (one per e-mail), sent in-process as each step commits,
    instead of flooding the worker's terminal later; with no folder, the configured mailer is used."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    mailer = {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": str(folder)}}
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(MAILERS={"default": mailer}):
            yield
    finally:
        app.conf.task_always_eager = eager


class Command(BaseCommand):
    help = "Create demo users and demo content for local use (refuses to run with DEBUG off)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Demo password (default: DEMO_PASSWORD setting).")

    def handle(self, *args, password=None, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for local use only: refusing to run with DEBUG off.")
        password = password or settings.DEMO_PASSWORD
        mail_dir = Path(settings.DEMO_MAIL_DIR) if settings.DEMO_MAIL_DIR else None
        sent_before = set(mail_dir.iterdir()) if mail_dir and mail_dir.is_dir() else set()
        logins, *contents = DEMO_STEPS
        steps = {}
        with _demo_mail_to(mail_dir):
            for step in [*DEMO_STEPS, SUMMARY]:
                # Progress on stderr, one short line a step; what was made goes to stdout below.
                self.stderr.write(f"Demo: {'summary' if step == SUMMARY else step.split('.')[0]}…")
                # One transaction per step: what a step's services queue once committed (the library's indexing,
                # the workflow's e-mails) runs before the next step, as it would after a user's request.
                with transaction.atomic():
                    steps[step] = import_string(step)(password=password)
        # What was made first, the logins last, where the terminal leaves them in view.
        self.stdout.write(self.style.SUCCESS("Demo data ready:"))
        for step in [*contents, SUMMARY]:
            for line in steps[step]:
                self.stdout.write(line)
        if mail_dir:
            sent = len(set(mail_dir.iterdir()) - sent_before)
            self.stdout.write(f"  E-mails the demo sent: {sent} new, written to {mail_dir}/")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password}, site: {settings.SITE_URL}):"))
        for line in steps[logins]:
            self.stdout.write(line)
