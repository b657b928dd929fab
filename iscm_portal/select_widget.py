"""A select whose options are written in Python: Django's markup, without a template rendered for each option.

Django's `forms.Select` renders `select_option.html`, and inside it `attrs.html`, once per option: for the
pledge filters (200-odd States, the mechanisms, the objectives...) that was most of the pages' server time.
`QuickSelect` writes the same markup (held to Django's own rendering by tests/iscm_portal/test_select_widget.py)
in one pass; a select with option groups, or a renderer or templates of its own, is left to Django.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    """Django's `attrs.html`: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter makes a plain string, escaped even where `value` was safe."""
    return conditional_escape("%s" % value)  # noqa: UP031 - the filter's own formatting


class QuickSelect(forms.Select):
    """`forms.Select`, its options written in one pass (see the module's docstring)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        if (
            # BoundField passes the form's renderer: Django's own, unless a form or the settings choose another.
            (renderer is not None and type(renderer) is not DjangoTemplates)
            or (self.template_name, self.option_template_name) != _TEMPLATES
            or any(group_name for group_name, _choices, _index in widget["optgroups"])
        ):
            return self._render(self.template_name, context, renderer)
        options = "".join(
            f'\n  <option value="{_formatted(option["value"])}"{_attributes(option["attrs"])}>'
            f"{conditional_escape(str(option['label']))}</option>\n"
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>{options}\n</select>'
        )


_TEMPLATES = (forms.Select.template_name, forms.Select.option_template_name)
