from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mechanisms.enums import RegionLevel
from mechanisms.models import Mechanism, Region
from reviews.models import ReviewCycle

from .models import Package


class PackageForm(forms.ModelForm):
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.filter(level__in=[RegionLevel.CONTINENT, RegionLevel.SUBREGION]).order_by("name"),
        required=False,
        label=_("Only mechanisms covering these regions"),
        help_text=_("Leave regions and mechanisms empty to include every approved review of the cycle."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    mechanisms = forms.ModelMultipleChoiceField(
        queryset=Mechanism.objects.order_by("acronym"),
        required=False,
        label=_("Only these mechanisms"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Package
        fields = ["cycle", "title", "foreword", "regions", "mechanisms"]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ReviewCycle.objects.order_by("-review_year")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create package")))


class CompileForm(forms.Form):
    """Carries the token that makes a double-posted compile request one version, not two."""

    request_token = forms.UUIDField(widget=forms.HiddenInput)
