from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iscm_portal.reference_languages import value_and_language

from .enums import GcmVote2018, MechanismKind, MechanismStatus, MembershipRole, OrganisationKind, RegionLevel, UnStatus


def page_addresses(viewname: str, name: str) -> Callable[[str], str]:
    """The address of a State's or mechanism's page from its `name` (iso3, slug), reversed once per process: maps,
    lists and tables link the same few hundred of them, and reversing each on every page was a good part of its
    time. The function reads the language and URL configuration when made: make one per page, not per link."""
    context = (get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return lambda value: _reversed(viewname, name, value, *context)


@lru_cache(maxsize=4096)
def _reversed(viewname: str, name: str, value: str, *_context) -> str:
    return reverse(viewname, kwargs={name: value})


class Region(models.Model):
    """A UN M49 area: a region, sub-region or intermediate region (plus 'World')."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("French name"), max_length=100, blank=True)
    name_es = models.CharField(_("Spanish name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.localized_name  # what selects and the admin show: the reader's language where a source has it

    @property
    def localized_name(self) -> str:
        """The official name in the active language; English where the sources have none (data/SOURCES.md)."""
        return value_and_language(self, "name")[0]

    @property
    def localized_name_language(self) -> str:
        """The language `localized_name` is written in, for a `lang` attribute."""
        return value_and_language(self, "name")[1]


class State(models.Model):
    """A UN Member or Observer State, or a territory that takes part in a mechanism in its own right."""

    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    m49_code = models.CharField(_("M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120)
    un_status = models.CharField(_("UN status"), max_length=20, choices=UnStatus.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    subregion = models.ForeignKey(Region, verbose_name=_("sub-region"), on_delete=models.PROTECT, related_name="+")
    intermediate_region = models.ForeignKey(
        Region, verbose_name=_("intermediate region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gcm_vote_2018 = models.CharField(_("2018 GA vote on the GCM"), max_length=30, choices=GcmVote2018.choices)
    gcm_stance_note = models.TextField(_("note on GCM stance"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("State")
        verbose_name_plural = _("States")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.page_addresses()(self.iso3)

    @staticmethod
    def page_addresses() -> Callable[[str], str]:
        """iso3 → the address of the State's page (see `page_addresses`)."""
        return page_addresses("mechanisms:state_detail", "iso3")

    @property
    def area(self):
        """The most specific M49 area, the one mechanisms' scopes are expressed in."""
        return self.intermediate_region or self.subregion


class Theme(models.Model):
    """A thematic focus tag from the fixed vocabulary of the reference data."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thematic focus")
        verbose_name_plural = _("thematic focuses")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A partner of mechanisms: a regional organisation or union, a UN Regional Economic Commission."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class Mechanism(models.Model):
    """An Inter-State Consultation Mechanism on migration (RCP, IRF or global process)."""

    slug = models.SlugField(_("slug"), unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=MechanismKind.choices)
    founded = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MechanismStatus.choices, default=MechanismStatus.ACTIVE
    )
    regions = models.ManyToManyField(Region, verbose_name=_("geographic scope"), related_name="mechanisms", blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thematic focus"), related_name="mechanisms", blank=True)
    secretariat = models.CharField(_("secretariat"), max_length=255, blank=True)
    associated_organisation = models.CharField(_("associated regional organisation"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    notes = models.TextField(_("notes on the data"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    members_complete = models.BooleanField(_("member list complete"), default=False)
    members_basis = models.CharField(_("basis of the member list"), max_length=60, blank=True)
    membership_as_of = models.CharField(_("membership as of"), max_length=255, blank=True)
    observers_complete = models.BooleanField(_("observer list complete"), default=False)
    other_participants = models.JSONField(_("other participants"), default=list, blank=True)
    partners = models.ManyToManyField(Organisation, verbose_name=_("partners"), related_name="mechanisms", blank=True)
    contact_points = models.TextField(
        _("contact points"), blank=True, help_text=_("One per line: name, function, e-mail or telephone.")
    )
    # GCM engagement; None means the directory does not know.
    gcm_review_mandate = models.BooleanField(
        _("mandated by Member States to take part in GCM review"), null=True, blank=True
    )
    gcm_mandate_since = models.DateField(_("mandated since"), null=True, blank=True)
    gcm_focal_point = models.CharField(_("GCM focal point"), max_length=255, blank=True)
    gcm_working_group = models.CharField(_("GCM working group"), max_length=255, blank=True)

    history = HistoricalRecords(m2m_fields=[themes, partners])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return page_addresses("mechanisms:mechanism_detail", "slug")(self.slug)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


class Membership(models.Model):
    """A State's participation in a mechanism. Leaving ends a row; it is never deleted or overwritten."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="memberships")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["mechanism", "state__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "state"], condition=Q(end_date__isnull=True), name="one_current_membership"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.state} – {self.mechanism} ({self.get_role_display()})"


class ChairTerm(models.Model):
    """A State chairing a mechanism for a period. A new chair ends the previous term; terms are never deleted."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="chair_terms")
    state = models.ForeignKey(State, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="chair_terms")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["mechanism", "-start_date"]
        verbose_name = _("chair term")
        verbose_name_plural = _("chair terms")
        constraints = [
            models.UniqueConstraint(fields=["mechanism"], condition=Q(end_date__isnull=True), name="one_current_chair"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="chair_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.state} – {self.mechanism}"
