import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import translation
from django.utils.safestring import mark_safe

from iscm_portal.select_widget import QuickSelect
from pledges import selectors
from pledges.filters import PledgeFilter

CHOICES = [
    ("", "Any"),
    ("a&b", 'Quotes " and <tags>'),
    ("plain", "Plain"),
    (3, 3),
    ("safe", mark_safe("<b>safe</b>")),  # noqa: S308 - a label marked safe is shown as it is, as Django does
    ("é", "Accentué"),
]


def rendered_both_ways(choices, value, attrs=None, **widget_attrs):
    quick = QuickSelect(attrs=widget_attrs, choices=choices).render("field", value, attrs=attrs)
    django = forms.Select(attrs=widget_attrs, choices=choices).render("field", value, attrs=attrs)
    return quick, django


@pytest.mark.parametrize("value", ["", "a&b", "plain", 3, "3", "missing", None])
def test_quick_select_writes_djangos_markup_for_every_value(value):
    quick, django = rendered_both_ways(CHOICES, value, attrs={"id": "id_field"}, **{"class": "form-select"})
    assert quick == django


def test_quick_select_writes_djangos_markup_for_true_false_and_escaped_attributes():
    quick, django = rendered_both_ways(
        CHOICES, "plain", attrs={"required": True, "disabled": False, "data-x": 'a"<b>'}, **{"class": "c"}
    )
    assert 'data-x="a&quot;&lt;b&gt;"' in quick
    assert quick == django


def test_quick_select_leaves_option_groups_to_django():
    grouped = [("Group & co", [("a", "A"), ("b", "B")]), ("c", "C")]
    quick, django = rendered_both_ways(grouped, "b")
    assert "<optgroup" in quick
    assert quick == django


def pledge_filter_form(data: str) -> str:
    queryset = selectors.with_activity(selectors.pledges_visible_to(AnonymousUser()))
    return "".join(str(field) for field in PledgeFilter(QueryDict(data) or None, queryset=queryset).form)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("data", ["", "state=IDN&objective=23&status=fulfilled&flag=due", "state=XXX&region=oops"])
def test_pledge_filters_render_as_with_djangos_select(reference_data, monkeypatch, language, data):
    translation.activate(language)
    quick = pledge_filter_form(data)
    monkeypatch.setattr(QuickSelect, "render", forms.Select.render)
    assert pledge_filter_form(data) == quick
    assert quick.count("<select") == 8
