"""The portal's URLs plus endpoints that exist only for tests: one writing endpoint with no rule of its own, to
test the framework's handling of request bodies (parse errors, media types, size) before any app has a writing
endpoint, and an endpoint and a page that fail, to test the 500 answers."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from iscm_portal.api.views import ApiView
from iscm_portal.urls import handler400, handler404, handler500  # noqa: F401
from iscm_portal.urls import urlpatterns as portal_patterns

INTERNAL_DETAIL = "secret internals: /srv/portal/settings.py line 42"


class Echo(ApiView):
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({"received": request.data})


class Crash(ApiView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError(INTERNAL_DETAIL)


def crash_page(request):
    raise RuntimeError(INTERNAL_DETAIL)


urlpatterns = [
    path("api/test-echo/", Echo.as_view()),
    path("api/test-crash/", Crash.as_view()),
    path("test-crash/", crash_page),
    *portal_patterns,
]
