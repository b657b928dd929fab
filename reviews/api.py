"""Review cycles and regional reviews in the API, with the reading rule of the review pages.

Every list and detail starts from `selectors.visible_reviews` (the rule of `reviews.view_review`): anonymous
callers read approved reviews only; a draft never leaves its secretariat (and site administrators). A review
the caller may not read is not found. Links to the review's PDF and attachment files are given only when the
caller may follow them (`packages.download_review_pdf`, `reviews.view_review`), else null.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iscm_portal.api.views import ApiDetailView, ApiListView
from iscm_portal.page_cache import REVIEWS
from iscm_portal.search_terms import SearchTermFilter
from mechanisms.enums import MechanismKind
from mechanisms.selectors import mechanisms_in_region

from . import selectors
from .completeness import objective_report_has_content
from .enums import OBJECTIVE_TEXT_FIELDS, ReviewLanguage, ReviewStatus
from .models import Attachment, ObjectiveReport, Review, ReviewCycle, ReviewMeeting


def _absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


class CycleSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = ReviewCycle
        fields = ["slug", "name", "review_year", "imrf_year", "opens_on", "due_on", "api_url"]

    def get_api_url(self, cycle) -> str:
        return _absolute(self.context["request"], "api:cycle-detail", slug=cycle.slug)


class CycleLinkSerializer(CycleSerializer):
    class Meta(CycleSerializer.Meta):
        fields = ["slug", "name", "review_year", "api_url"]


class ReviewMechanismSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    acronym = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, mechanism) -> str:
        return _absolute(self.context["request"], "api:mechanism-detail", slug=mechanism.slug)


class ReviewLinkSerializer(serializers.ModelSerializer):
    """A review as other resources mention it (a mechanism's or a State's reviews)."""

    cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "cycle", "status", "language", "api_url"]

    def get_api_url(self, review) -> str:
        return _absolute(self.context["request"], "api:review-detail", pk=review.pk)


class ReviewSerializer(serializers.ModelSerializer):
    mechanism = ReviewMechanismSerializer()
    cycle = CycleLinkSerializer()
    version = serializers.IntegerField(
        allow_null=True, help_text=_("Number of the review's latest saved version (null before the first save).")
    )
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(
        help_text=_("The review as a PDF, for the mechanism's secretariat and IOM; null for other callers.")
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "mechanism",
            "cycle",
            "status",
            "language",
            "version",
            "submitted_at",
            "approved_at",
            "updated_at",
            "url",
            "api_url",
            "pdf_url",
        ]

    def get_url(self, review) -> str:
        return self.context["request"].build_absolute_uri(review.get_absolute_url())

    def get_api_url(self, review) -> str:
        return _absolute(self.context["request"], "api:review-detail", pk=review.pk)

    def get_pdf_url(self, review) -> str | None:
        request = self.context["request"]
        if request.user.has_perm("packages.download_review_pdf", review):
            return _absolute(request, "packages:review_pdf", review_id=review.pk)
        return None


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewMeeting
        fields = ["title", "held_on", "place"]


class ParticipatingStateSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField(help_text=_("Download address of the file."))

    class Meta:
        model = Attachment
        fields = ["id", "name", "description", "content_type", "size", "sha256", "url"]

    def get_url(self, attachment) -> str:
        return _absolute(
            self.context["request"], "reviews:attachment_download", pk=attachment.review_id, attachment_pk=attachment.pk
        )


class ObjectivePartSerializer(serializers.ModelSerializer):
    """What a review says about one GCM objective. Texts are as written: blank-line paragraphs, `- ` lists,
    `*emphasis*`, `**strong**` and `[links](https://…)`."""

    number = serializers.IntegerField(source="objective.number")
    title = serializers.CharField(source="objective.title")
    guiding_principles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = ObjectiveReport
        fields = [
            "number",
            "title",
            "is_regional_priority",
            *OBJECTIVE_TEXT_FIELDS,
            "guiding_principles",
            "revision",
            "updated_at",
            "api_url",
        ]

    def get_api_url(self, report) -> str:
        return _absolute(
            self.context["request"], "api:review-objective", pk=report.review_id, number=report.objective.number
        )


class ReviewDetailSerializer(ReviewSerializer):
    participating_states = ParticipatingStateSerializer(many=True)
    meetings = MeetingSerializer(many=True)
    objectives = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True)

    class Meta(ReviewSerializer.Meta):
        fields = [
            *ReviewSerializer.Meta.fields,
            "method",
            "mandate",
            "participating_states",
            "stakeholders_consulted",
            "partnerships",
            "key_messages",
            "meetings",
            "objectives",
            "attachments",
        ]

    @extend_schema_field(ObjectivePartSerializer(many=True))
    def get_objectives(self, review):
        reports = [report for report in review.objective_reports.all() if objective_report_has_content(report)]
        return ObjectivePartSerializer(reports, many=True, context=self.context).data


class CycleList(ApiListView):
    """The review cycles, newest first."""

    serializer_class = CycleSerializer
    page_cache_kinds = (REVIEWS,)

    def get_queryset(self):
        return ReviewCycle.objects.order_by("-review_year", "slug")


class CycleDetail(ApiDetailView):
    serializer_class = CycleSerializer
    page_cache_kinds = (REVIEWS,)

    def get_object(self):
        return get_object_or_404(ReviewCycle, slug=self.kwargs["slug"])


class ReviewFilter(django_filters.FilterSet):
    """The filters of the review lists (the IOM dashboard's `status`, `kind`, `region`; the library's `cycle`,
    `mechanism`, `language`, `objective`), applied to the reviews the caller may read."""

    cycle = SearchTermFilter(field_name="cycle__slug", label=_("Cycle"))
    mechanism = SearchTermFilter(field_name="mechanism__slug", label=_("Mechanism"))
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Status"))
    language = django_filters.ChoiceFilter(choices=ReviewLanguage.choices, label=_("Language"))
    kind = django_filters.ChoiceFilter(field_name="mechanism__kind", choices=MechanismKind.choices, label=_("Kind"))
    region = django_filters.NumberFilter(method="filter_region", label=_("Region"), min_value=1, max_value=2**31 - 1)
    objective = django_filters.NumberFilter(
        method="filter_objective", label=_("GCM objective"), min_value=1, max_value=23
    )

    class Meta:
        model = Review
        fields = ["cycle", "mechanism", "status", "language", "kind", "region", "objective"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(mechanism__in=mechanisms_in_region(int(value)).values("pk"))

    def filter_objective(self, queryset, name, value):
        return queryset.filter(pk__in=ObjectiveReport.objects.filter(objective__number=value).values("review_id"))


class ReviewList(ApiListView):
    """The regional reviews the caller may read (anonymous callers: the approved ones), newest cycle first."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    page_cache_kinds = (REVIEWS,)

    def get_queryset(self):
        return selectors.reviews_listed_for(self.request.user)


class ReviewDetail(ApiDetailView):
    """One review the caller may read: overview, the objectives it reports on, attachments."""

    serializer_class = ReviewDetailSerializer
    page_cache_kinds = (REVIEWS,)

    def get_object(self):
        return get_object_or_404(selectors.review_read_for(self.request.user), pk=self.kwargs["pk"])


class ReviewObjective(ApiDetailView):
    """What one review the caller may read says about one GCM objective."""

    serializer_class = ObjectivePartSerializer
    page_cache_kinds = (REVIEWS,)

    def get_object(self):
        review = get_object_or_404(selectors.reviews_listed_for(self.request.user), pk=self.kwargs["pk"])
        return get_object_or_404(
            ObjectiveReport.objects.select_related("objective").prefetch_related("guiding_principles"),
            review=review,
            objective__number=self.kwargs["number"],
        )


urlpatterns = [
    path("cycles/", CycleList.as_view(), name="cycle-list"),
    path("cycles/<slug:slug>/", CycleDetail.as_view(), name="cycle-detail"),
    path("reviews/", ReviewList.as_view(), name="review-list"),
    path("reviews/<int:pk>/", ReviewDetail.as_view(), name="review-detail"),
    path("reviews/<int:pk>/objectives/<int:number>/", ReviewObjective.as_view(), name="review-objective"),
]
