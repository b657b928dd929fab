from django import template
from django.urls import NoReverseMatch, reverse

from ..selectors import related_mechanisms

register = template.Library()


@register.simple_tag
def review_url(review, mechanism) -> str:
    """The review's own page; the mechanism's page where the review pages do not exist."""
    try:
        return reverse("reviews:review_detail", kwargs={"pk": review.pk})
    except NoReverseMatch:
        return reverse("mechanisms:mechanism_detail", kwargs={"slug": mechanism.slug})


@register.inclusion_tag("library/includes/related_work.html", takes_context=True)
def related_work(context, mechanism, limit=5):
    """Mechanisms in other regions working on the same objectives or themes: `{% related_work mechanism %}`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"mechanism": mechanism, "related": related_mechanisms(mechanism, limit, user=user)}
