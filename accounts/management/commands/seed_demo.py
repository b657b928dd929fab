from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

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


class Command(BaseCommand):
    help = "Create demo users and demo content for local use (refuses to run with DEBUG off)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Demo password (default: DEMO_PASSWORD setting).")

    def handle(self, *args, password=None, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for local use only: refusing to run with DEBUG off.")
        password = password or settings.DEMO_PASSWORD
        logins, *contents = DEMO_STEPS
        steps = {}
        for step in DEMO_STEPS:
            # One transaction per step: what a step's services queue once committed (the library's indexing,
            # the workflow's e-mails) runs before the next step, as it would after a user's request.
            with transaction.atomic():
                steps[step] = import_string(step)(password=password)
        # What was made first, the logins last, where the terminal leaves them in view.
        self.stdout.write(self.style.SUCCESS("Demo data ready:"))
        for step in contents:
            for line in steps[step]:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password}, site: {settings.SITE_URL}):"))
        for line in steps[logins]:
            self.stdout.write(line)
