"""`manage.py restore_portal FOLDER`: a backup into an empty database and empty storages (operations/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_portal into the database of DATABASE_URL (new and empty) and the "
        "configured storages (empty), checking every checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The folder backup_portal wrote.")
        parser.add_argument("--check", action="store_true", help="Only check the backup's checksums.")

    def handle(self, *args, folder, check, **options):
        try:
            if check:
                manifest = backup_verify(folder=folder)
                self.stdout.write(f"{folder}: the dump and {len(manifest['files'])} files match their checksums")
                return
            summary = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database and {summary.files} files ({summary.bytes} bytes) from {folder}")
