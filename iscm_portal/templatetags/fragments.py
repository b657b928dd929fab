"""A part of a template kept in the page cache until its content changes (iscm_portal/page_cache.py).

    {% load fragments %}
    {% fragment "review-steps" kinds="review-activity" review.pk step objective.number %}
      ...
    {% endfragment %}

The name, then the content kinds it shows (comma-separated), then every value it depends on; the language of
the page is always one of them. Everyone whose page gives the same values gets the same HTML: a part that is
one user's own names the user among its values (`user.roles_key`, or `user.roles_and_mechanisms_key` where the
mechanisms the user works for matter). Forms inside get the page's CSRF token: the part is stored with a
placeholder that each request's own token replaces.
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

        request = context.get("request")

        def render():
            if request is None:
                return self.nodelist.render(context)
            # Forms inside are drawn with the placeholder token; each request gets its own put in on the way out.
            with context.push(csrf_token=page_cache.CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        return page_cache.fragment(self.name, kinds=self.kinds, vary=vary, render=render, request=request)


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
