"""Fragment caching for signed-in pages under the versions of the public page cache (iscm_portal/page_cache.py).

    {% load cache page_cache %}
    {% content_version "mechanisms" "reviews" as version %}
    {% cache 86400 directory-filters version LANGUAGE_CODE query %}…{% endcache %}

A fragment keyed by the version of the content it shows expires when that content changes. With the page
cache off (the tests' default) or not answering, the version is a fresh value each time, so nothing is reused.
"""

import uuid

from django import template
from django.conf import settings

from iscm_portal import page_cache

register = template.Library()


@register.simple_tag
def content_version(*kinds):
    current = page_cache.versions(kinds) if settings.PAGE_CACHE_ENABLED else None
    return current or uuid.uuid4().hex
