from django import forms
from django.utils.translation import gettext_lazy as _

from iscm_portal.search_terms import SearchTermField
from reviews.enums import ReviewLanguage

from .enums import PracticeKind, ResultType
from .selectors import FacetOptions, SearchFilters


class LibrarySearchForm(forms.Form):
    """The query and facet filters, validated against the facet choices already loaded for the page."""

    q = SearchTermField(label=_("Search"), required=False)
    objective = forms.TypedChoiceField(label=_("GCM objective"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    mechanism = forms.ChoiceField(label=_("Mechanism"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *PracticeKind.choices])
    cycle = forms.ChoiceField(label=_("Cycle"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *ReviewLanguage.choices]
    )
    type = forms.ChoiceField(label=_("Show"), required=False, choices=ResultType.choices)

    def __init__(self, *args, options: FacetOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["objective"].choices = [("", _("All objectives"))] + [
            (objective.number, str(objective)) for objective in options.objectives
        ]
        self.fields["region"].choices = [("", _("All regions"))] + [
            (region.name, region.name) for region in options.regions.facet_regions
        ]
        self.fields["mechanism"].choices = [("", _("All mechanisms"))] + [
            (mechanism.slug, mechanism.acronym) for mechanism in options.mechanisms
        ]
        self.fields["cycle"].choices = [("", _("All cycles"))] + [(cycle.slug, cycle.name) for cycle in options.cycles]

    def filters(self) -> SearchFilters:
        """The valid part of the input as filters; an invalid field is ignored (and reported by the form)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        options = self.options
        objective = next((o for o in options.objectives if o.number == data.get("objective")), None)
        region = next((r for r in options.regions.facet_regions if r.name == data.get("region")), None)
        mechanism = next((m for m in options.mechanisms if m.slug == data.get("mechanism")), None)
        cycle = next((c for c in options.cycles if c.slug == data.get("cycle")), None)
        return SearchFilters(
            q=(data.get("q") or "").strip(),
            objective=objective,
            region=region,
            mechanism=mechanism,
            kind=data.get("kind") or "",
            cycle=cycle,
            language=data.get("language") or "",
        )

    @property
    def result_type(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("type") or ResultType.PRACTICES

    @property
    def facet_fields(self):
        return [self[name] for name in ("objective", "region", "mechanism", "kind", "cycle", "language")]
