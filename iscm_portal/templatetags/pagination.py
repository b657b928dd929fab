"""Page links for paginated lists: `{% load pagination %}{% page_links page as links %}`."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def page_links(page: Page) -> list:
    """Page numbers around the current one and at both ends; `Paginator.ELLIPSIS` stands for the pages left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
