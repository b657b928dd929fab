"""The pledge filters shared by the list, the dashboard and the exports; every filter lives in the URL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from gcm.models import Objective
from iscm_portal.search_terms import SearchTermFilter
from iscm_portal.select_widget import QuickSelect
from mechanisms.collation import collate_choices
from mechanisms.enums import RegionLevel
from mechanisms.models import Mechanism, Region, State

from . import selectors
from .enums import ActivityFlag, ImrfEdition, PledgerType, PledgeStatus


class PledgeFilter(django_filters.FilterSet):
    q = SearchTermFilter(label=_("Search"), method="filter_text")
    objective = django_filters.ModelChoiceFilter(
        label=_("GCM objective"),
        widget=QuickSelect,
        empty_label=_("Any objective"),
        queryset=Objective.objects.order_by("number"),
        to_field_name="number",
        method="filter_objective",
    )
    pledger_type = django_filters.ChoiceFilter(
        label=_("Pledger type"), widget=QuickSelect, empty_label=_("Any pledger"), choices=PledgerType.choices
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        widget=QuickSelect,
        empty_label=_("Any region"),
        queryset=Region.objects.filter(level=RegionLevel.CONTINENT).order_by("name"),
        method="filter_region",
    )
    state = django_filters.ModelChoiceFilter(
        label=_("State"),
        widget=QuickSelect,
        empty_label=_("Any State"),
        queryset=State.objects.order_by("name"),
        to_field_name="iso3",
        method="filter_state",
    )
    mechanism = django_filters.ModelChoiceFilter(
        label=_("Mechanism and its Members"),
        widget=QuickSelect,
        empty_label=_("Any mechanism"),
        queryset=Mechanism.objects.order_by("acronym"),
        to_field_name="slug",
        method="filter_mechanism",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), widget=QuickSelect, empty_label=_("Any status"), choices=PledgeStatus.choices
    )
    imrf_edition = django_filters.ChoiceFilter(
        label=_("IMRF edition"), widget=QuickSelect, empty_label=_("Any edition"), choices=ImrfEdition.choices
    )
    flag = django_filters.ChoiceFilter(
        label=_("Follow-up"),
        widget=QuickSelect,
        empty_label=_("Any follow-up"),
        choices=[(flag.value, flag.label) for flag in ActivityFlag],
        field_name="activity_flag",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        collate_choices(self.filters["state"].field, self.filters["region"].field)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(text__icontains=value)
            | Q(pledger_name__icontains=value)
            | Q(co_pledgers__icontains=value)
            | Q(pledger_state__name__icontains=value)
            | Q(pledger_mechanism__acronym__icontains=value)
        )

    @extend_schema_field({"type": "integer", "description": _("A GCM objective's number (1 to 23).")})
    def filter_objective(self, queryset, name, value):
        return queryset.filter(pk__in=value.pledges.values("pk"))

    @extend_schema_field(
        {
            "type": "integer",
            "description": _(
                "A continent's id (an M49 region): pledges made by, or applying to, its States and areas."
            ),
        }
    )
    def filter_region(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.pledge_ids_in_region(value))

    @extend_schema_field(
        {"type": "string", "description": _("A State's ISO alpha-3 code: the pledges it made, alone or jointly.")}
    )
    def filter_state(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.pledge_ids_of_state(value))

    @extend_schema_field(
        {
            "type": "string",
            "description": _("A mechanism's slug: its own pledges and those of its current Member States."),
        }
    )
    def filter_mechanism(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.pledge_ids_of_mechanism_members(value))

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
        return form
