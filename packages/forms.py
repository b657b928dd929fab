from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mechanisms.enums import RegionLevel
from mechanisms.models import Mechanism, Region
from reviews.forms import FORMATTING_HELP, rich_textarea
from reviews.models import ReviewCycle

from .models import Package
from .synthesis import MAX_SYNTHESIS_LENGTH


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
        fields = ["cycle", "title", "language", "foreword", "regions", "mechanisms"]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ReviewCycle.objects.order_by("-review_year")
        # The report is written in the language the package is created in unless IOM chooses another.
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        self.fields["language"].required = False  # a form posted without it writes in the interface's language
        self.fields["language"].help_text = _(
            "The cover, headings, figures and dates are written in this language; each review's text stays in the "
            "language it was written in. You can change it before compiling."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create package")))


class PackageLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Report language"), choices=settings.LANGUAGES)


class CompileForm(forms.Form):
    """Carries the token that makes a double-posted compile request one version, not two."""

    request_token = forms.UUIDField(widget=forms.HiddenInput)


class SynthesisTextForm(forms.Form):
    """One part of IOM's synthesis, in the review editor's simple formatting; carries the revision it was loaded at."""

    text = forms.CharField(required=False, max_length=MAX_SYNTHESIS_LENGTH, widget=rich_textarea(18))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, label: str, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = FORMATTING_HELP
        # Written in the report's language: spell checkers and screen readers are told so.
        self.fields["text"].widget.attrs["lang"] = language
