"""`{% load collation %}{% for state in states|collated %}`: a list in the reader's order (mechanisms.collation)."""

from django import template

from mechanisms.collation import collated as collated_items

register = template.Library()


def _attribute(item, path: str) -> str:
    for name in path.split("."):
        item = getattr(item, name)
    return str(item)


@register.filter
def collated(items, path: str = "name"):
    """`items` sorted by the dotted attribute `path` (default "name") as a reader of the page's language expects."""
    return collated_items(items, lambda item: _attribute(item, path))
