from django.core.management.base import BaseCommand, CommandError

from iscm_portal.reference_loading import ReferenceDataError
from mechanisms.services import reference_data_load


class Command(BaseCommand):
    help = "Load or update the GCM objectives, guiding principles, States and ISCMs (idempotent, all or nothing)."

    def handle(self, *args, **options):
        try:
            counter = reference_data_load()
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data rejected, nothing was written. {exc}") from exc
        for line in counter.summary():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
