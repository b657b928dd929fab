"""Base classes of the API's endpoints: JSON reads of one app's selectors, paginated, cached for visitors."""

from rest_framework import generics

from iscm_portal.page_cache import public_page

from .parsers import BoundedRequest


class ApiView(generics.GenericAPIView):
    """An endpoint of /api/v1/. `page_cache_kinds` names the content (iscm_portal/page_cache.py) its answer
    shows: anonymous callers are then answered from the page cache until that content changes, like the pages.
    Leave it empty for an endpoint whose answer is personal."""

    page_cache_kinds: tuple[str, ...] = ()

    def initialize_request(self, request, *args, **kwargs):
        """REST framework's request, reading a chunked body within the parsers' size limit (parsers.py)."""
        return BoundedRequest(
            request,
            parsers=self.get_parsers(),
            authenticators=self.get_authenticators(),
            negotiator=self.get_content_negotiator(),
            parser_context=self.get_parser_context(request),
        )

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        if cls.page_cache_kinds:
            view = public_page(*cls.page_cache_kinds)(view)
        return view


class ApiListView(ApiView, generics.ListAPIView):
    """A paginated list; `get_queryset` returns the app selector's rows this user may read, in a total order."""


class ApiDetailView(ApiView, generics.RetrieveAPIView):
    """One object, looked up among the rows this user may read: an object they may not read is not found (404),
    so an address does not tell whether something hidden exists."""
