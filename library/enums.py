from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", _("Good practice")
    CHALLENGE = "challenge", _("Challenge")
    RECOMMENDATION = "recommendation", _("Recommendation")


# Which ObjectiveReport field each kind of entry is extracted from.
KIND_SOURCE_FIELDS = {
    PracticeKind.GOOD_PRACTICE: "good_practices",
    PracticeKind.CHALLENGE: "challenges",
    PracticeKind.RECOMMENDATION: "recommendations",
}


class ResultType(models.TextChoices):
    """The groups of search results, shown as tabs."""

    PRACTICES = "practices", _("Practices")
    REVIEWS = "reviews", _("Reviews")
    PLEDGES = "pledges", _("Pledges")
