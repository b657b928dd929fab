"""Page-number pagination with the pages' parameter names: `?page=2`, and `?page_size=` up to MAX_PAGE_SIZE.

Ordering is the endpoint's, always total (each ends on a unique key), so a page holds the same rows however
often it is asked for while the data does not change. A page that is not a positive number is an invalid
request (400, with the field named); a page past the last is not found (404), like REST framework's default.
"""

from collections import OrderedDict

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 100


def _positive_int(value: str, name: str, *, maximum: int | None = None) -> int:
    # ASCII digits only: int() would also read "٣" or " 3_0 ".
    number = int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else 0
    if number < 1:
        raise exceptions.ValidationError({name: [_("Give a whole number of 1 or more.")]})
    if maximum is not None and number > maximum:
        raise exceptions.ValidationError({name: [_("Give at most %(maximum)d.") % {"maximum": maximum}]})
    return number


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None or value == "":
            return self.page_size
        return _positive_int(value, self.page_size_query_param, maximum=self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        value = request.query_params.get(self.page_query_param)
        number = 1 if value is None or value == "" else _positive_int(value, self.page_query_param)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise exceptions.NotFound(
                _("There is no page %(number)d: the last page is %(last)d.")
                % {"number": number, "last": paginator.num_pages}
            ) from None
        return list(self.page)

    def get_paginated_response(self, data, **extra):
        """The page's `results` with `count`, `next` and `previous`, and any `extra` keys of the endpoint."""
        return Response(
            OrderedDict(
                [
                    ("count", self.page.paginator.count),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    *extra.items(),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "next", "previous", "results"]
        return described
