from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")  # not yet handed to the broker, or handed over and not yet done
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
