"""The portal's URLs with one address the API answers visitors from the page cache (`/api/v1/states/`) given to
a view that is no public page: the page cache must follow the URLconf in force, not what it found under another
(tests/api/test_framework.py)."""

from django.http import HttpResponse
from django.urls import path

from iscm_portal.urls import urlpatterns as portal_patterns


def not_a_public_page(request):
    return HttpResponse(b"not from the cache")


urlpatterns = [path("api/v1/states/", not_a_public_page), *portal_patterns]
