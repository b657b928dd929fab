"""The practice library in the API: the library page's search, with its ranking, facets and languages.

The three result kinds of the search page's tabs are three endpoints, each with the page's parameters (`q`,
`objective`, `region`, `mechanism`, `kind`, `cycle`, `language`, `page`): `library/practices/` (good practices,
challenges and recommendations; without `q`, the library's browsing order), `library/reviews/` and
`library/pledges/`. Each answer carries `counts`, the number of results of every kind (the page's tab counts).
Validation, filtering, ranking, highlighting and visibility are the page's own (`LibrarySearchForm`,
`library.selectors`): an entry is listed only to those who may read the review it comes from.
"""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers

from iscm_portal.api.pagination import PagePagination
from iscm_portal.api.views import ApiDetailView, ApiListView
from iscm_portal.page_cache import LIBRARY, MECHANISMS, PLEDGES, REVIEWS
from reviews.enums import ReviewLanguage

from . import selectors
from .enums import PracticeKind, ResultType
from .forms import LibrarySearchForm
from .models import Practice, ReviewDocument

KINDS = (LIBRARY, MECHANISMS, PLEDGES, REVIEWS)


def _absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


class HighlightedFields(serializers.Serializer):
    title_html = serializers.CharField(
        help_text=_("The title as safe HTML, the words searched for marked with <mark>.")
    )
    snippet_html = serializers.CharField(
        help_text=_("An extract of the text as safe HTML, the words searched for marked with <mark>.")
    )


class LibraryMechanismSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    acronym = serializers.CharField()


class PracticeResultSerializer(HighlightedFields, serializers.ModelSerializer):
    mechanism = LibraryMechanismSerializer()
    cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    objective = serializers.IntegerField(source="objective.number")
    review = serializers.IntegerField(source="review_id")
    status = serializers.CharField(source="review.status", help_text=_("The status of the review it comes from."))
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    review_api_url = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "title_html",
            "snippet_html",
            "language",
            "mechanism",
            "cycle",
            "objective",
            "review",
            "status",
            "url",
            "api_url",
            "review_api_url",
        ]

    def get_url(self, practice) -> str:
        return self.context["request"].build_absolute_uri(practice.get_absolute_url())

    def get_api_url(self, practice) -> str:
        return _absolute(self.context["request"], "api:library-practice-detail", pk=practice.pk)

    def get_review_api_url(self, practice) -> str:
        return _absolute(self.context["request"], "api:review-detail", pk=practice.review_id)


class ReviewResultSerializer(HighlightedFields, serializers.ModelSerializer):
    mechanism = LibraryMechanismSerializer()
    cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    review = serializers.IntegerField(source="review_id")
    status = serializers.CharField(source="review.status")
    url = serializers.SerializerMethodField()
    review_api_url = serializers.SerializerMethodField()

    class Meta:
        model = ReviewDocument
        fields = [
            "review",
            "title",
            "title_html",
            "snippet_html",
            "language",
            "mechanism",
            "cycle",
            "status",
            "url",
            "review_api_url",
        ]

    def get_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.review.get_absolute_url())

    def get_review_api_url(self, document) -> str:
        return _absolute(self.context["request"], "api:review-detail", pk=document.review_id)


class PledgeResultSerializer(HighlightedFields, serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, pledge) -> str:
        return self.context["request"].build_absolute_uri(pledge.get_absolute_url())


_PARAMETERS = [
    OpenApiParameter("q", str, description=_('Words, "exact phrases", -excluded words, or (websearch syntax).')),
    OpenApiParameter("objective", int, description=_("A GCM objective's number (1 to 23).")),
    OpenApiParameter("region", str, description=_("An M49 region's English name, e.g. Africa: its areas included.")),
    OpenApiParameter("mechanism", str, description=_("A mechanism's slug.")),
    OpenApiParameter("kind", str, enum=PracticeKind.values, description=_("Practices only: the kind of entry.")),
    OpenApiParameter("cycle", str, description=_("A review cycle's slug.")),
    OpenApiParameter("language", str, enum=ReviewLanguage.values, description=_("The review's language.")),
]


class CountedPagePagination(PagePagination):
    """A page of one kind of result, with `counts` of every kind."""

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["counts"] = {
            "type": "object",
            "properties": {kind: {"type": "integer"} for kind in ResultType.values},
            "required": list(ResultType.values),
        }
        described["required"] = [*described["required"], "counts"]
        return described


class LibrarySearch(ApiListView):
    """Base of the three result kinds: the page's form, filters and ranking; `counts` for every kind."""

    result_type: str = ""
    page_cache_kinds = KINDS
    pagination_class = CountedPagePagination
    # The page's form filters (`_filters`), not django-filter: no filter backend, no queryset to describe.
    filter_backends = ()

    def _filters(self):
        form = LibrarySearchForm(self.request.query_params, options=selectors.facet_options())
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            )
        return form.filters()

    def _querysets(self, filters) -> dict:
        user = self.request.user
        return {
            ResultType.PRACTICES: selectors.practice_results(user, filters),
            ResultType.REVIEWS: selectors.review_results(user, filters),
            ResultType.PLEDGES: selectors.pledge_results(user, filters),
        }

    def list(self, request, *args, **kwargs):
        filters = self._filters()
        querysets = self._querysets(filters)
        page = self.paginate_queryset(querysets[self.result_type])
        {
            ResultType.PRACTICES: selectors.decorate_practices,
            ResultType.REVIEWS: selectors.decorate_reviews,
            ResultType.PLEDGES: selectors.decorate_pledges,
        }[self.result_type](page, filters)
        counts = {
            kind: self.paginator.page.paginator.count if kind == self.result_type else queryset.count()
            for kind, queryset in querysets.items()
        }
        data = self.get_serializer(page, many=True).data
        return self.paginator.get_paginated_response(data, counts=counts)


_search_schema = extend_schema_view(get=extend_schema(parameters=_PARAMETERS))


@_search_schema
class PracticeSearch(LibrarySearch):
    """Good practices, challenges and recommendations of the reviews the caller may read: ranked by relevance
    with `q`, else newest cycle first, then mechanism, objective, kind and position in the report."""

    result_type = ResultType.PRACTICES
    serializer_class = PracticeResultSerializer


@_search_schema
class ReviewSearch(LibrarySearch):
    """Whole reviews the caller may read (key messages, overview, progress per objective)."""

    result_type = ResultType.REVIEWS
    serializer_class = ReviewResultSerializer


@_search_schema
class PledgeSearch(LibrarySearch):
    """Pledges the caller may read, searched in English (pledges have no language of their own)."""

    result_type = ResultType.PLEDGES
    serializer_class = PledgeResultSerializer


class PracticeDetail(ApiDetailView):
    """One library entry, if the caller may read the review it comes from."""

    serializer_class = PracticeResultSerializer
    page_cache_kinds = KINDS

    def get_object(self):
        practice = get_object_or_404(selectors.practice_detail(self.kwargs["pk"]))
        if not self.request.user.has_perm("library.view_practice", practice):
            raise exceptions.NotFound()
        selectors.decorate_practices([practice], selectors.SearchFilters())
        return practice


urlpatterns = [
    path("library/practices/", PracticeSearch.as_view(), name="library-practice-list"),
    path("library/practices/<int:pk>/", PracticeDetail.as_view(), name="library-practice-detail"),
    path("library/reviews/", ReviewSearch.as_view(), name="library-review-list"),
    path("library/pledges/", PledgeSearch.as_view(), name="library-pledge-list"),
]
