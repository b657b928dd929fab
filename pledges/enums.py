from django.db import models
from django.utils.translation import gettext_lazy as _


class PledgerType(models.TextChoices):
    STATE = "state", _("State")
    UN_ENTITY = "un_entity", _("UN entity")
    ISCM = "iscm", _("ISCM")
    LOCAL_AUTHORITY = "local_authority", _("Local or regional authority")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    MIGRANT_DIASPORA = "migrant_diaspora", _("Migrant or diaspora organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    TRADE_UNION = "trade_union", _("Trade union")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other stakeholder")


class PledgeStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    DISCONTINUED = "discontinued", _("Discontinued")


# Pledges in these states are finished: they are never flagged and never reminded.
CLOSED_STATUSES = (PledgeStatus.FULFILLED, PledgeStatus.DISCONTINUED)


class ImrfEdition(models.IntegerChoices):
    IMRF_2022 = 2022, _("IMRF 2022")
    IMRF_2026 = 2026, _("IMRF 2026")


class PledgeScope(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regions")
    NATIONAL = "national", _("States")


class ActivityFlag(models.TextChoices):
    """How fresh a pledge's last sign of life is (its last progress update, or its announcement)."""

    CURRENT = "current", _("Up to date")
    DUE = "due", _("Update due")
    OVERDUE = "overdue", _("Update overdue")
    INACTIVE = "inactive", _("Inactive")
    CLOSED = "closed", _("Closed")


# Age of the last sign of life, in days, at which each flag starts.
DUE_AFTER_DAYS = 365
OVERDUE_AFTER_DAYS = 2 * 365
INACTIVE_AFTER_DAYS = 3 * 365
# Owners are reminded this many days before the pledge turns amber.
REMINDER_DAYS_BEFORE_DUE = 30
