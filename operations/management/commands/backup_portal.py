"""`manage.py backup_portal FOLDER`: the database and the files, with checksums (operations/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the files of the attachments and packages storages into FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new (or empty) folder for this backup.")

    def handle(self, *args, folder, **options):
        try:
            summary = backup_create(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the database and {summary.files} files ({summary.bytes} bytes) to {folder}")
