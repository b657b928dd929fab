"""The directory's filters. Values are plain codes (kind, region id, theme slug, ISO3), validated without queries,
so a filtered page costs the same number of queries whatever is chosen."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from iscm_portal.search_terms import SearchTermFilter

from .enums import GcmEngagement, MechanismKind
from .models import Mechanism, Membership

SORT_CHOICES = [
    ("acronym", _("Acronym (A–Z)")),
    ("-acronym", _("Acronym (Z–A)")),
    ("name", _("Full name")),
    ("-member_count", _("Most Members")),
    ("member_count", _("Fewest Members")),
    ("founded", _("Oldest first")),
    ("-founded", _("Newest first")),
    ("kind", _("Kind")),
]
DEFAULT_SORT = "acronym"
FACETS = ("kind", "region", "theme", "state", "gcm")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MechanismFilter(django_filters.FilterSet):
    q = SearchTermFilter(method="filter_text", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=MechanismKind.choices, label=_("Kind"))
    region = SearchTermFilter(method="filter_region", label=_("Region"))
    theme = SearchTermFilter(method="filter_theme", label=_("Thematic focus"))
    state = SearchTermFilter(method="filter_state", label=_("Member or Observer State"))
    gcm = django_filters.ChoiceFilter(choices=GcmEngagement.choices, method="filter_gcm", label=_("GCM engagement"))
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="filter_sort", label=_("Sort by"), empty_label=None)

    class Meta:
        model = Mechanism
        fields = ["q", "kind", "region", "theme", "state", "gcm", "sort"]

    def search_errors(self) -> list[str]:
        """Why a free-text filter was refused (too long), as "label: message" lines; empty when none was."""
        if not self.is_bound:
            return []
        form = self.form
        return [
            f"{form[name].label}: {message}"
            for name, filter_ in self.filters.items()
            if isinstance(filter_, SearchTermFilter)
            for message in form.errors.get(name, [])
        ]

    def filter_queryset(self, queryset):
        # A refused search matches nothing rather than being dropped, which would list every mechanism.
        if self.search_errors():
            return queryset.none()
        return super().filter_queryset(queryset)

    # Filters go through pk__in subqueries so they never multiply the rows the member counts are taken over.
    def filter_text(self, queryset: QuerySet, name, value):
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(acronym__icontains=word)
                | Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(secretariat__icontains=word)
                | Q(associated_organisation__icontains=word)
            )
        return queryset

    def filter_region(self, queryset, name, value):
        # Imported here: the selectors build the directory from this FilterSet, so they import this module.
        from .selectors import mechanisms_in_region

        region_id = _int_or_none(value)
        if region_id is None:
            return queryset.none()
        return queryset.filter(pk__in=mechanisms_in_region(region_id).values("pk"))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(pk__in=Mechanism.objects.filter(themes__slug=value).values("pk"))

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.current().filter(state__iso3=value.upper()).values("mechanism_id")
        )

    def filter_gcm(self, queryset, name, value):
        lookup = {
            GcmEngagement.MANDATED: Q(gcm_review_mandate=True),
            GcmEngagement.NOT_MANDATED: Q(gcm_review_mandate=False),
            GcmEngagement.UNKNOWN: Q(gcm_review_mandate__isnull=True),
        }[value]
        return queryset.filter(lookup)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(value, "acronym") if value.lstrip("-") != "acronym" else queryset.order_by(value)
