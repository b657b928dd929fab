"""`{% objective_fields form %}`: the fields of ObjectiveReportForm, as crispy-forms' bootstrap5 pack renders its
layout (reviews/forms.py), written in Python.

The objective editor is the busiest signed-in page: crispy renders each field through a dozen templates, and
even one template written out spent about 5 ms per page resolving its 270 variables. Every value is escaped
here as the template engine escapes it (format_html); help texts are ours and marked safe, as crispy does.
tests/reviews/test_forms.py holds this markup to crispy's, with and without errors, left-to-right and
right-to-left.
"""

from django import template
from django.template.defaultfilters import unordered_list
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _invalid(field) -> SafeString:
    return mark_safe(" is-invalid") if field.errors else mark_safe("")


def _state(field) -> SafeString:
    """aria-invalid and aria-describedby, as each input carries them."""
    described = field.aria_describedby
    return format_html(
        "{}{}",
        mark_safe(' aria-invalid="true"') if field.errors else "",
        format_html(' aria-describedby="{}"', described) if described else "",
    )


def _errors(field, tag: str = "span") -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            "<" + tag + ' id="error_{}_{}"><strong>{}</strong></' + tag + ">",
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
        ),
    )


def _checkbox(field) -> SafeString:
    return format_html(
        '<div class="mb-3"><div id="div_{id}" class="form-check"><input type="checkbox" name="{name}" '
        'class="checkboxinput form-check-input{invalid}"{state} id="{id}"{checked}>'
        '<label for="{id}" class="form-check-label">{label}</label>{errors}</div></div>',
        id=field.auto_id,
        name=field.html_name,
        invalid=_invalid(field),
        state=_state(field),
        checked=mark_safe(" checked") if field.value() else "",
        label=field.label,
        errors=_errors(field),
    )


def _textarea(field) -> SafeString:
    attrs = field.field.widget.attrs
    value = field.value()
    return format_html(
        '<div id="div_{id}" class="mb-3"><label for="{id}" class="form-label">{label}</label>'
        '<textarea name="{name}"{attrs} class="{css} textarea form-control{invalid}"{state} id="{id}">\n{value}'
        "</textarea>{errors}{help}</div>",
        id=field.auto_id,
        label=field.label,
        name=field.html_name,
        attrs=format_html_join("", ' {}="{}"', ((name, v) for name, v in attrs.items() if name != "class")),
        css=attrs.get("class", ""),
        invalid=_invalid(field),
        state=_state(field),
        value="" if value is None else value,
        errors=_errors(field),
        help=_help(field),
    )


def _help(field) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    # The form's own help texts, some with markup: marked safe, as crispy does.
    help_text = mark_safe(field.help_text)  # noqa: S308
    return format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, help_text)


def _principles(field) -> SafeString:
    options = [option.data for option in field.subwidgets]
    invalid, state = _invalid(field), mark_safe(' aria-invalid="true"') if field.errors else ""
    items = []
    for number, option in enumerate(options, 1):
        items.append(
            format_html(
                '<div class="form-check"><input type="checkbox" class="form-check-input{}"{} name="{}" value="{}" '
                'id="{}"{}><label for="{}" class="form-check-label">{}</label>{}</div>',
                invalid,
                state,
                field.html_name,
                option["value"],
                option["attrs"]["id"],
                mark_safe(" checked") if option["selected"] else "",
                option["attrs"]["id"],
                option["label"],
                _errors(field, tag="p") if number == len(options) else "",
            )
        )
    described = field.aria_describedby
    return format_html(
        '<div id="div_{}" class="mb-3 principles-grid"><fieldset{}><legend class="form-label fs-6">{}</legend>'
        "<div>{}</div></fieldset></div>",
        field.auto_id,
        format_html(' aria-describedby="{}"', described) if described else "",
        field.label,
        format_html_join("", "{}", ((item,) for item in items)),
    )


def _hidden(field) -> SafeString:
    value = field.value()
    return format_html(
        '<input type="hidden" name="{}"{} id="{}">',
        field.html_name,
        format_html(' value="{}"', value) if value is not None and value != "" else "",
        field.auto_id,
    )


@register.simple_tag
def objective_fields(form) -> SafeString:
    non_field = form.non_field_errors()
    parts = [
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            unordered_list(non_field, autoescape=True),
        )
        if non_field
        else "",
        _checkbox(form["is_regional_priority"]),
        format_html_join("", "{}", ((_textarea(field),) for field in form if field.widget_type == "textarea")),
        _principles(form["guiding_principles"]),
        _hidden(form["revision"]),
    ]
    return format_html_join("\n", "{}", ((part,) for part in parts))
