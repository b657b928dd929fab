"""Addresses no page can answer are refused before any view sees them.

A NUL character cannot be stored in PostgreSQL's text, so a view that looks up a path's value (a State's
code, an API object's key) or passes a query parameter on to a query would fail with a server error instead
of answering. No address of the portal holds one: a NUL in the path is a page that does not exist (404, a
problem document under /api/, handler404 decides), in the query string a malformed request (400).
"""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.translation import gettext as _


class NulCharacterGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404(_("The address contains a NUL character."))
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            raise BadRequest(_("The address contains a NUL character."))
        return self.get_response(request)
