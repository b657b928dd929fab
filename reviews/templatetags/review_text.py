"""Display helpers for review text: the `rich_text` filter (see reviews/text.py), the `review_lang` attributes
of the element holding a review's text, and links to problems."""

from django import template
from django.urls import reverse

from reviews.text import language_attributes, render_review_text, review_text_plain

register = template.Library()


@register.filter(name="rich_text")
def rich_text(value):
    return render_review_text(value)


@register.filter(name="plain_text")
def plain_text(value):
    """For excerpts: the text as shown, without its formatting marks."""
    return review_text_plain(value)


@register.simple_tag
def review_lang(review_or_language):
    """The attributes saying which language a review's text is in: `<div{% review_lang review %}>` gives
    `<div lang="fr">`. Takes a review (or anything with `.language`) or a language code; every element that
    shows text a secretariat typed (the review page, previews, compare view, excerpts, library entries and
    snippets) uses it, and nothing else in the page does, so interface text keeps the page's language."""
    language = getattr(review_or_language, "language", review_or_language)
    return language_attributes(language)


@register.simple_tag
def problem_url(review, anchor: str) -> str:
    """Where a completeness problem is fixed: the step's URL with the field's id as fragment."""
    if anchor.startswith("overview-"):
        field = anchor.removeprefix("overview-")
        fragment = {"meetings": "meetings", "copied": "copied-part"}.get(field, f"id_{field}")
        return reverse("reviews:review_edit_overview", kwargs={"pk": review.pk}) + f"#{fragment}"
    if anchor.startswith("objective-"):
        _prefix, number, field = anchor.split("-", 2)
        fragment = "copied-part" if field == "copied" else f"id_{field}"
        return (
            reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": int(number)}) + f"#{fragment}"
        )
    if anchor == "attachments":
        return reverse("reviews:review_attachments", kwargs={"pk": review.pk})
    return reverse("reviews:review_edit_objective", kwargs={"pk": review.pk, "number": 1})
