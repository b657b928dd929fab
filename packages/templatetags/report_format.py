"""Dates of the PDF report in the report's language: `{{ "2026-12-01"|in_words }}` gives the language's
DATE_FORMAT ("1 December 2026", "1 décembre 2026", "1 de diciembre de 2026"; iscm_portal/formats); the
snapshot keeps dates as ISO text, which Django's `date` filter cannot read."""

from datetime import date, datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def in_words(value) -> str:
    """An ISO date (or date-time) in the active language's DATE_FORMAT; anything else unchanged."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, date):
        return value
    return date_format(value)
