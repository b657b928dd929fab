"""The one length cap of every free-text search and filter box (directory, pledges, library).

A search term becomes a LIKE pattern or a full-text query; SQLite refuses patterns over 50,000 bytes and
nobody types 200 characters into a search box, so longer input is refused with a message instead of
reaching the database.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

SEARCH_TERM_MAX_LENGTH = 200


class SearchTermField(forms.CharField):
    default_error_messages = {
        "max_length": _("Search for at most %(limit_value)d characters (this search has %(show_value)d)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_TERM_MAX_LENGTH)
        super().__init__(**kwargs)


class SearchTermFilter(django_filters.CharFilter):
    """A free-text filter capped at SEARCH_TERM_MAX_LENGTH; an over-long value makes the filter set invalid."""

    field_class = SearchTermField
