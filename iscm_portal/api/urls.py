"""The /api/ address space: /api/v1/ (every app's endpoints), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI).

Each app in API_APPS keeps its endpoints in `<app>/api.py` with a `urlpatterns` list; they are gathered here
under /api/v1/, so an app adds endpoints without touching this module.
"""

import importlib

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

API_APPS = ("mechanisms", "reviews", "library", "pledges")


def _app_patterns(app: str) -> list:
    try:
        module = importlib.import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        return []
    return list(module.urlpatterns)


v1_patterns = [pattern for app in API_APPS for pattern in _app_patterns(app)]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1_patterns)),
    # The schema describes every endpoint, whatever the caller may read: the same document for everyone.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
