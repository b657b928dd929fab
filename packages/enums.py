from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    COMPILING = "compiling", _("Compiling")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A page polls the progress of a version only while it is in one of these states.
ACTIVE_STATUSES = frozenset({VersionStatus.QUEUED, VersionStatus.COMPILING})


class CoverageMark(models.TextChoices):
    """What the coverage matrix shows in the cell of a mechanism and an objective."""

    PRIORITY = "priority", _("Regional priority")
    ADDRESSED = "addressed", _("Addressed")
    NOT_ADDRESSED = "not_addressed", _("Not addressed")
