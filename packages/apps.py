import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = _("IMRF input packages")

    def ready(self):
        # WeasyPrint narrates every rendering step at INFO; keep worker and server logs readable.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
