from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Practice library")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the index to review saves)
