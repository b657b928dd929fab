from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What a personal API token lets its holder do: read, or read and write (never more than its user may)."""

    READ = "read", _("Read only")
    READ_WRITE = "read-write", _("Read and write")
