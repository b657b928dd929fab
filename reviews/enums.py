from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REOPENED = "reopened", _("Reopened")


# The free-text fields of an objective report, in the order the form, the page, the PDF and the exports show
# them. Labels come from the model fields' verbose names.
OBJECTIVE_TEXT_FIELDS = ("progress", "good_practices", "challenges", "recommendations", "data_evidence", "data_sources")

# The secretariat may edit the content only in these states.
EDITABLE_STATUSES = frozenset({ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED, ReviewStatus.REOPENED})

# Who a review waits on: the one answer the dashboards, the reminders and "needs your action" share.
AWAITING_SECRETARIAT_STATUSES = frozenset(EDITABLE_STATUSES | {ReviewStatus.WITHDRAWN})
AWAITING_IOM_STATUSES = frozenset({ReviewStatus.SUBMITTED, ReviewStatus.IN_REVIEW})


class WaitsOn(models.TextChoices):
    IOM = "iom", _("IOM")
    SECRETARIAT = "secretariat", _("Secretariat")
    NOBODY = "", _("Nobody")


def waits_on(status: str | None) -> WaitsOn:
    """Whose action a review in `status` needs next; None (no review yet) waits on the secretariat to start it."""
    if status is None or status in AWAITING_SECRETARIAT_STATUSES:
        return WaitsOn.SECRETARIAT
    if status in AWAITING_IOM_STATUSES:
        return WaitsOn.IOM
    return WaitsOn.NOBODY


class ReviewLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    RUSSIAN = "ru", _("Russian")
    PORTUGUESE = "pt", _("Portuguese")


class StakeholderType(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    MIGRANTS_DIASPORA = "migrants_diaspora", _("Migrants and diaspora")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    TRADE_UNIONS = "trade_unions", _("Trade unions")
    LOCAL_AUTHORITIES = "local_authorities", _("Local authorities")
    ACADEMIA = "academia", _("Academia")
    UN_REGIONAL_COMMISSIONS = "un_regional_commissions", _("UN Regional Economic Commissions")
    REGIONAL_ORGANISATIONS = "regional_organisations", _("Regional organisations")
    UN_NETWORK = "un_network", _("UN Network on Migration")
