"""GCM titles in the reader's language, marked with the language they are in.

`{% load gcm_text %}{{ objective|objective_title }}` and `{{ principle|principle_name }}` give the official
French or Spanish title for the active language; where the source has none the English one, wrapped in
`<span lang="en">` so screen readers pronounce it as English (WCAG 3.1.2, language of parts).
`{{ text|in_language:code }}` marks the same way a title that was looked up already (as the PDF report does).
"""

from django import template

from iscm_portal.reference_languages import marked as _marked

register = template.Library()


@register.filter
def objective_title(objective) -> str:
    return _marked(objective.localized_title, objective.localized_title_language)


@register.filter
def principle_name(principle) -> str:
    return _marked(principle.localized_name, principle.localized_name_language)


@register.filter
def in_language(text: str, language: str) -> str:
    return _marked(text, language)
