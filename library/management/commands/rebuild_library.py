from django.core.management.base import BaseCommand

from library.services import library_reindex_all


class Command(BaseCommand):
    help = "Rebuild the practice library and its search index from every review."

    def handle(self, *args, **options):
        count = library_reindex_all()
        self.stdout.write(self.style.SUCCESS(f"Practice library rebuilt: {count} entries."))
