"""The portal's URLs plus one writing endpoint with no rule of its own, to test the framework's handling of
request bodies (parse errors, media types) before any app has a writing endpoint."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from iscm_portal.api.views import ApiView
from iscm_portal.urls import handler404, handler500  # noqa: F401
from iscm_portal.urls import urlpatterns as portal_patterns


class Echo(ApiView):
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({"received": request.data})


urlpatterns = [path("api/test-echo/", Echo.as_view()), *portal_patterns]
