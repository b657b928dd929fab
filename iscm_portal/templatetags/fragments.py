"""A part of a template kept in the page cache until its content changes (iscm_portal/page_cache.py).

    {% load fragments %}
    {% fragment "review-steps" kinds="review-activity" review.pk step objective.number %}
      ...
    {% endfragment %}

The name, then the content kinds it shows (comma-separated), then every value it depends on; the language of
the page is always one of them. Everyone whose page gives the same values gets the same HTML: a part that is
one user's own names the user among its values. A part holding a CSRF token is rendered afresh every time.
"""

from django import template
from django.utils import translation

from iscm_portal import page_cache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name: str, kinds: tuple[str, ...], vary: list, nodelist):
        self.name, self.kinds, self.vary, self.nodelist = name, kinds, vary, nodelist

    def render(self, context):
        vary = [translation.get_language(), *(str(value.resolve(context)) for value in self.vary)]
        return page_cache.fragment(self.name, kinds=self.kinds, vary=vary, render=lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3 or not bits[2].startswith('kinds="'):
        raise template.TemplateSyntaxError('Usage: {% fragment "name" kinds="kind,kind" value value ... %}')
    name, kinds = bits[1].strip("\"'"), tuple(bits[2].removeprefix('kinds="').rstrip('"').split(","))
    unknown = set(kinds) - set(page_cache.KINDS)
    if unknown:
        raise template.TemplateSyntaxError(f"Unknown content kinds in {{% fragment %}}: {sorted(unknown)}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(name, kinds, [parser.compile_filter(bit) for bit in bits[3:]], nodelist)
