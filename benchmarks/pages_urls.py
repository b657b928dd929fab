"""The portal's URLs plus `bench/bare/<page>/`: a view that returns a page's HTML as captured, doing no work.

It runs through the same middleware as every page, so the portal's throughput divided by the bare view's is
the share of the server's time left over by what the page itself costs (queries, rendering, the cache).
"""

import os
from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from iscm_portal.urls import urlpatterns as portal_urlpatterns


@lru_cache
def _captured(page: str) -> bytes:
    return (Path(os.environ["BENCH_PAGES_DIR"]) / f"{page}.html").read_bytes()


def bare(request, page):
    return HttpResponse(_captured(page))


urlpatterns = [path("bench/bare/<slug:page>/", bare), *portal_urlpatterns]
