from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    WORLD = "world", _("World")
    CONTINENT = "continent", _("Region")
    SUBREGION = "subregion", _("Sub-region")
    INTERMEDIATE = "intermediate", _("Intermediate region")


class UnStatus(models.TextChoices):
    MEMBER_STATE = "member_state", _("UN Member State")
    OBSERVER_STATE = "observer_state", _("UN non-member Observer State")
    TERRITORY = "territory", _("Territory or associated State")


class GcmVote2018(models.TextChoices):
    """Recorded GA vote on A/RES/73/195. 'Yes' and 'absent' cannot be told apart in the sources."""

    IN_FAVOUR_OR_NOT_VOTING = "in_favour_or_not_voting", _("In favour or not voting")
    AGAINST = "against", _("Against")
    ABSTAINED = "abstained", _("Abstained")
    NOT_APPLICABLE = "not_applicable", _("Not a UN Member State")


class MechanismKind(models.TextChoices):
    RCP = "RCP", _("Regional Consultative Process")
    IRF = "IRF", _("Interregional Forum")
    GLOBAL = "GLOBAL", _("Global process")


class MechanismStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class OrganisationKind(models.TextChoices):
    REGIONAL_ORGANISATION = "regional", _("Regional organisation or union")
    UN_REGIONAL_COMMISSION = "un_rec", _("UN Regional Economic Commission")
    INTERNATIONAL_ORGANISATION = "international", _("International organisation")


class GcmEngagement(models.TextChoices):
    """Directory filter values for a mechanism's mandate to take part in the GCM review."""

    MANDATED = "mandated", _("Mandated for GCM review")
    NOT_MANDATED = "not_mandated", _("Not mandated")
    UNKNOWN = "unknown", _("Not known")
