from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.permissions import permission_required
from gcm.models import Objective
from iscm_portal.page_cache import LIBRARY, MECHANISMS, PLEDGES, REVIEWS, public_page

from . import selectors
from .enums import ResultType
from .forms import LibrarySearchForm

PAGE_SIZE = 20


def _partial(request) -> bool:
    """htmx asked for the results only; a history restore wants the whole page back."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _form(request) -> LibrarySearchForm:
    form = LibrarySearchForm(request.GET or None, options=selectors.facet_options())
    form.is_valid()
    return form


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@public_page(LIBRARY, MECHANISMS, PLEDGES, REVIEWS)
@permission_required("library.view_library")
def practice_list(request):
    """Browse every visible entry of the library, narrowed by the facets."""
    form = _form(request)
    filters = form.filters()
    page = _page(request, selectors.practice_results(request.user, filters))
    selectors.decorate_practices(page.object_list, filters)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "show_status": selectors.can_see_unapproved(request.user),
    }
    template = "library/practice/list.html"
    return render(request, f"{template}#results" if _partial(request) else template, context)


@public_page(LIBRARY, MECHANISMS, PLEDGES, REVIEWS)
@permission_required("library.view_library")
def search(request):
    """Full-text search over practices, reviews and pledges, one tab per kind of result."""
    form = _form(request)
    filters = form.filters()
    result_type = form.result_type
    user = request.user
    querysets = {
        ResultType.PRACTICES: selectors.practice_results(user, filters),
        ResultType.REVIEWS: selectors.review_results(user, filters),
        ResultType.PLEDGES: selectors.pledge_results(user, filters),
    }
    if querysets[result_type] is None:
        result_type = ResultType.PRACTICES
    page = _page(request, querysets[result_type])
    {
        ResultType.PRACTICES: selectors.decorate_practices,
        ResultType.REVIEWS: selectors.decorate_reviews,
        ResultType.PLEDGES: selectors.decorate_pledges,
    }[result_type](page.object_list, filters)
    tabs = []
    for value, label in ResultType.choices:
        queryset = querysets[value]
        if queryset is None:
            continue
        count = page.paginator.count if value == result_type else queryset.count()
        tabs.append({"value": value, "label": label, "count": count, "active": value == result_type})
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "tabs": tabs,
        "result_type": result_type,
        "show_status": selectors.can_see_unapproved(user),
        "postgres_search": selectors.uses_postgres_search(),
    }
    template = "library/search/results.html"
    return render(request, f"{template}#results" if _partial(request) else template, context)


def _visible_practice(request, pk):
    return get_object_or_404(selectors.practice_detail(pk))


@permission_required("library.view_practice", fn=_visible_practice)
def practice_detail(request, pk):
    practice = request.permission_object
    context = {
        "practice": practice,
        "elsewhere": selectors.practices_on_same_objective_elsewhere(request.user, practice),
        "show_status": selectors.can_see_unapproved(request.user),
    }
    return render(request, "library/practice/detail.html", context)


@permission_required("library.view_library")
def objective_list(request):
    return render(
        request, "library/objective/list.html", {"objectives": selectors.objectives_with_counts(request.user)}
    )


@permission_required("library.view_library")
def objective_compare(request, number):
    objective = get_object_or_404(Objective, number=number)
    comparison = selectors.objective_comparison(request.user, objective)
    context = {
        "comparison": comparison,
        "objective": objective,
        "show_status": selectors.can_see_unapproved(request.user),
    }
    return render(request, "library/objective/compare.html", context)
