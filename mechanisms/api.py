"""The directory in the API: mechanisms (with the directory's filters) and States with their memberships.

What a caller reads is what the directory pages show them: every mechanism and State is public, and IOM's
notes on the data (`mechanisms.view_data_notes`) are given only to those the rule lets see them (null for the
others). The reviews listed with a mechanism or a State are those the reviews app lets the caller read.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iscm_portal.api.views import ApiDetailView, ApiListView
from iscm_portal.page_cache import MECHANISMS, REVIEWS
from iscm_portal.search_terms import SearchTermFilter
from reviews import selectors as review_selectors
from reviews.api import ReviewLinkSerializer

from . import selectors
from .enums import MembershipRole
from .filters import MechanismFilter
from .models import ChairTerm, Mechanism, Membership, Region, State, Theme


def absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "name_fr", "name_es", "level"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]


class StateLinkSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = State
        fields = ["iso3", "name", "api_url"]

    def get_api_url(self, state) -> str:
        return absolute(self.context["request"], "api:state-detail", iso3=state.iso3)


class MechanismLinkSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Mechanism
        fields = ["slug", "acronym", "name", "kind", "api_url"]

    def get_api_url(self, mechanism) -> str:
        return absolute(self.context["request"], "api:mechanism-detail", slug=mechanism.slug)


class GcmEngagementSerializer(serializers.Serializer):
    review_mandate = serializers.BooleanField(source="gcm_review_mandate", allow_null=True)
    mandate_since = serializers.DateField(source="gcm_mandate_since", allow_null=True)
    focal_point = serializers.CharField(source="gcm_focal_point")
    working_group = serializers.CharField(source="gcm_working_group")


class MechanismSerializer(serializers.ModelSerializer):
    regions = RegionSerializer(many=True)
    themes = ThemeSerializer(many=True)
    member_count = serializers.IntegerField()
    observer_count = serializers.IntegerField()
    gcm_engagement = GcmEngagementSerializer(source="*")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Mechanism
        fields = [
            "slug",
            "acronym",
            "name",
            "kind",
            "status",
            "founded",
            "regions",
            "themes",
            "member_count",
            "observer_count",
            "secretariat",
            "associated_organisation",
            "website",
            "gcm_engagement",
            "url",
            "api_url",
        ]

    def get_url(self, mechanism) -> str:
        return self.context["request"].build_absolute_uri(mechanism.get_absolute_url())

    def get_api_url(self, mechanism) -> str:
        return absolute(self.context["request"], "api:mechanism-detail", slug=mechanism.slug)


class MembershipOfMechanismSerializer(serializers.ModelSerializer):
    state = StateLinkSerializer()

    class Meta:
        model = Membership
        fields = ["state", "role", "start_date", "end_date", "note"]


class ChairTermOfMechanismSerializer(serializers.ModelSerializer):
    state = StateLinkSerializer()

    class Meta:
        model = ChairTerm
        fields = ["state", "start_date", "end_date"]


class MechanismDetailSerializer(MechanismSerializer):
    member_count = serializers.SerializerMethodField()
    observer_count = serializers.SerializerMethodField()
    partners = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    members = serializers.SerializerMethodField()
    observers = serializers.SerializerMethodField()
    former_memberships = serializers.SerializerMethodField()
    chair = serializers.SerializerMethodField()
    chair_history = ChairTermOfMechanismSerializer(many=True)
    reviews = serializers.SerializerMethodField()
    data_notes = serializers.SerializerMethodField(
        help_text=_("IOM's notes on how the data was gathered: given to IOM staff and administrators, else null.")
    )

    class Meta(MechanismSerializer.Meta):
        fields = [
            *MechanismSerializer.Meta.fields,
            "description",
            "partners",
            "contact_points",
            "other_participants",
            "members_complete",
            "membership_as_of",
            "observers_complete",
            "sources",
            "members",
            "observers",
            "former_memberships",
            "chair",
            "chair_history",
            "reviews",
            "data_notes",
        ]

    def _memberships(self, mechanism, *, role=None, current=True):
        rows = [
            m for m in mechanism.all_memberships if (m.end_date is None) == current and (role is None or m.role == role)
        ]
        return MembershipOfMechanismSerializer(
            sorted(rows, key=_membership_order), many=True, context=self.context
        ).data

    def _current_count(self, mechanism, role) -> int:
        return sum(1 for m in mechanism.all_memberships if m.end_date is None and m.role == role)

    def get_member_count(self, mechanism) -> int:
        return self._current_count(mechanism, MembershipRole.MEMBER)

    def get_observer_count(self, mechanism) -> int:
        return self._current_count(mechanism, MembershipRole.OBSERVER)

    @extend_schema_field(MembershipOfMechanismSerializer(many=True))
    def get_members(self, mechanism):
        return self._memberships(mechanism, role=MembershipRole.MEMBER)

    @extend_schema_field(MembershipOfMechanismSerializer(many=True))
    def get_observers(self, mechanism):
        return self._memberships(mechanism, role=MembershipRole.OBSERVER)

    @extend_schema_field(MembershipOfMechanismSerializer(many=True))
    def get_former_memberships(self, mechanism):
        return self._memberships(mechanism, current=False)

    @extend_schema_field(ChairTermOfMechanismSerializer(allow_null=True))
    def get_chair(self, mechanism):
        term = next((term for term in mechanism.chair_history if term.end_date is None), None)
        return ChairTermOfMechanismSerializer(term, context=self.context).data if term else None

    @extend_schema_field(ReviewLinkSerializer(many=True))
    def get_reviews(self, mechanism):
        reviews = review_selectors.reviews_for_mechanism(mechanism, self.context["request"].user)
        return ReviewLinkSerializer(reviews, many=True, context=self.context).data

    def get_data_notes(self, mechanism) -> str | None:
        if self.context["request"].user.has_perm("mechanisms.view_data_notes", mechanism):
            return mechanism.notes
        return None


def _membership_order(membership):
    """Stable for every caller: by State code, then start date (a State may have left and come back)."""
    return (membership.state.iso3, membership.start_date.isoformat() if membership.start_date else "")


class MechanismList(ApiListView):
    """Every mechanism, with the directory's filters (`q`, `kind`, `region`, `theme`, `state`, `gcm`, `sort`)."""

    serializer_class = MechanismSerializer
    filterset_class = MechanismFilter
    page_cache_kinds = (MECHANISMS,)

    def get_queryset(self):
        return selectors.mechanism_list()


class MechanismDetail(ApiDetailView):
    """One mechanism: profile, members and observers (current and former, dated), chair, GCM engagement and
    the reviews the caller may read."""

    serializer_class = MechanismDetailSerializer
    page_cache_kinds = (MECHANISMS, REVIEWS)

    def get_object(self):
        return get_object_or_404(selectors.mechanism_detail(self.kwargs["slug"]))


class MembershipOfStateSerializer(serializers.ModelSerializer):
    mechanism = MechanismLinkSerializer()

    class Meta:
        model = Membership
        fields = ["mechanism", "role", "start_date", "end_date", "note"]


class ChairTermOfStateSerializer(serializers.ModelSerializer):
    mechanism = MechanismLinkSerializer()

    class Meta:
        model = ChairTerm
        fields = ["mechanism", "start_date", "end_date"]


class StateSerializer(serializers.ModelSerializer):
    region = RegionSerializer()
    subregion = RegionSerializer()
    intermediate_region = RegionSerializer(allow_null=True)
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = State
        fields = [
            "iso3",
            "iso2",
            "m49_code",
            "name",
            "un_status",
            "region",
            "subregion",
            "intermediate_region",
            "gcm_vote_2018",
            "url",
            "api_url",
        ]

    def get_url(self, state) -> str:
        return self.context["request"].build_absolute_uri(state.get_absolute_url())

    def get_api_url(self, state) -> str:
        return absolute(self.context["request"], "api:state-detail", iso3=state.iso3)


class StateDetailSerializer(StateSerializer):
    memberships = serializers.SerializerMethodField()
    former_memberships = serializers.SerializerMethodField()
    chair_history = ChairTermOfStateSerializer(many=True)
    reviews = serializers.SerializerMethodField()

    class Meta(StateSerializer.Meta):
        fields = [
            *StateSerializer.Meta.fields,
            "gcm_stance_note",
            "memberships",
            "former_memberships",
            "chair_history",
            "reviews",
        ]

    def _memberships(self, state, *, current):
        rows = sorted(
            (m for m in state.all_memberships if (m.end_date is None) == current),
            key=lambda m: (m.mechanism.acronym, m.start_date.isoformat() if m.start_date else ""),
        )
        return MembershipOfStateSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(MembershipOfStateSerializer(many=True))
    def get_memberships(self, state):
        return self._memberships(state, current=True)

    @extend_schema_field(MembershipOfStateSerializer(many=True))
    def get_former_memberships(self, state):
        return self._memberships(state, current=False)

    @extend_schema_field(ReviewLinkSerializer(many=True))
    def get_reviews(self, state):
        reviews = review_selectors.reviews_for_state(state, self.context["request"].user)
        return ReviewLinkSerializer(reviews, many=True, context=self.context).data


class StateFilter(django_filters.FilterSet):
    region = django_filters.NumberFilter(method="filter_region", label=_("Region"), min_value=1)
    mechanism = SearchTermFilter(method="filter_mechanism", label=_("Mechanism"))

    class Meta:
        model = State
        fields = ["region", "mechanism"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.states_in_region(int(value)).values("pk"))

    def filter_mechanism(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.current().filter(mechanism__slug=value).values("state_id"))


class StateList(ApiListView):
    """Every State and territory, by ISO code; `region` (an M49 region id, with the areas under it) and
    `mechanism` (a mechanism's slug: its current Members and Observers) narrow the list."""

    serializer_class = StateSerializer
    filterset_class = StateFilter
    page_cache_kinds = (MECHANISMS,)

    def get_queryset(self):
        return State.objects.select_related("region", "subregion", "intermediate_region").order_by("iso3")


class StateDetail(ApiDetailView):
    """One State: its memberships (current and former, dated), chair terms and the reviews the caller may read."""

    serializer_class = StateDetailSerializer
    page_cache_kinds = (MECHANISMS, REVIEWS)

    def get_object(self):
        return get_object_or_404(selectors.state_detail(self.kwargs["iso3"].upper()))


urlpatterns = [
    path("mechanisms/", MechanismList.as_view(), name="mechanism-list"),
    path("mechanisms/<slug:slug>/", MechanismDetail.as_view(), name="mechanism-detail"),
    path("states/", StateList.as_view(), name="state-list"),
    path("states/<str:iso3>/", StateDetail.as_view(), name="state-detail"),
]
