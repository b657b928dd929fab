"""Forms of the review steps. They validate; services write (see services.py)."""

from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gcm import selectors as gcm_selectors
from gcm.models import GuidingPrinciple
from iscm_portal.date_input import IsoDateInput
from mechanisms.collation import collate_choices
from mechanisms.enums import MembershipRole
from mechanisms.models import State

from .enums import OBJECTIVE_TEXT_FIELDS, StakeholderType
from .models import ObjectiveReport, Review, ReviewCycle
from .text import RIGHT_TO_LEFT
from .validators import ALLOWED_EXTENSIONS, attachment_file_check

FORMATTING_HELP = _(
    "Simple formatting: a blank line starts a new paragraph, lines starting with “- ” make a list, "
    "*emphasis*, **strong**, [link text](https://example.org)."
)


def rich_textarea(rows: int = 5):
    return forms.Textarea(attrs={"rows": rows, "class": "rich-text"})


class ParticipatingStatesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, state):
        return _("%(state)s (%(role)s · GCM 2018: %(stance)s)") % {
            "state": state.name,
            "role": MembershipRole(state.membership_role).label,
            "stance": state.get_gcm_vote_2018_display(),
        }


class _StepForm(forms.ModelForm):
    """A step form: carries the revision it was loaded at, rendered by crispy without its own <form> tag."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The text boxes hold the review's text: marked with its language for spell checking and screen readers.
        language = getattr(self.instance, "language", None) or getattr(
            getattr(self.instance, "review", None), "language", None
        )
        for field in self.fields.values():
            if language and isinstance(field.widget, forms.Textarea):
                field.widget.attrs["lang"] = language
                if language in RIGHT_TO_LEFT:
                    field.widget.attrs["dir"] = "rtl"


class OverviewForm(_StepForm):
    participating_states = ParticipatingStatesField(
        queryset=State.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Member States that took part"),
        help_text=_("The mechanism's current Members and Observers, with their 2018 vote on the GCM."),
    )
    stakeholders_consulted = forms.MultipleChoiceField(
        choices=StakeholderType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Stakeholders consulted"),
    )

    class Meta:
        model = Review
        fields = [
            "language",
            "method",
            "mandate",
            "participating_states",
            "stakeholders_consulted",
            "partnerships",
            "key_messages",
        ]
        widgets = {
            "method": rich_textarea(6),
            "mandate": rich_textarea(4),
            "partnerships": rich_textarea(4),
            "key_messages": rich_textarea(6),
        }
        help_texts = {
            "language": _("The language the review is written in; readers and the IMRF package will say so."),
            "method": FORMATTING_HELP,
            "key_messages": format_lazy("{} {}", _("What the region wants the IMRF to hear."), FORMATTING_HELP),
        }

    def __init__(self, *args, mechanism, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participating_states"].queryset = (
            State.objects.filter(memberships__mechanism=mechanism, memberships__end_date__isnull=True)
            .annotate(membership_role=F("memberships__role"))
            .order_by("name")
        )
        collate_choices(self.fields["participating_states"])
        self.helper.layout = Layout(
            Field("language", wrapper_class="col-sm-6"),
            "method",
            "mandate",
            Field("participating_states", wrapper_class="states-grid"),
            Field("stakeholders_consulted", wrapper_class="stakeholders-grid"),
            "partnerships",
            "key_messages",
            "revision",
        )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Meeting"), max_length=255, required=False)
    held_on = forms.DateField(label=_("Date"), required=False, widget=IsoDateInput())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("title") and not data.get("held_on"):
            self.add_error("held_on", _("Give the date of this meeting."))
        if data.get("held_on") and not data.get("title"):
            self.add_error("title", _("Name this meeting."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("title") or data.get("held_on") or data.get("place"))


MeetingFormSet = forms.formset_factory(MeetingForm, extra=2, max_num=30, absolute_max=40)


def meetings_from_formset(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if not form.is_blank and form.cleaned_data.get("title")]


class _PrinciplesIterator(forms.models.ModelChoiceIterator):
    """The choices shown, from the reference data's cache (gcm/selectors.py) rather than a query, read once per form
    and only if the form is drawn: an autosave that only validates never reads them."""

    def __iter__(self):
        for principle in self.field.principles_shown:
            yield self.choice(principle)

    def __len__(self):
        return len(self.field.principles_shown)


class GuidingPrinciplesField(forms.ModelMultipleChoiceField):
    """The guiding principles as checkboxes, named in the page's language; a posted choice is still checked against
    the queryset, in the database."""

    iterator = _PrinciplesIterator

    def __init__(self, **kwargs):
        super().__init__(queryset=GuidingPrinciple.objects.all(), **kwargs)

    @cached_property
    def principles_shown(self) -> list[GuidingPrinciple]:
        return gcm_selectors.guiding_principles()

    def label_from_instance(self, principle):
        return principle.localized_name  # the official name in the page's language


class ObjectiveReportForm(_StepForm):
    guiding_principles = GuidingPrinciplesField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Guiding principles this work touches"),
    )

    class Meta:
        model = ObjectiveReport
        # The principles are the declared field above, not the model's: a form built on a saved report reads
        # their ids from `objective_report_for_edit` (initial) instead of a query of its own.
        fields = ["is_regional_priority", *OBJECTIVE_TEXT_FIELDS]
        labels = {"is_regional_priority": _("This objective is a regional priority")}
        widgets = {
            "progress": rich_textarea(6),
            "good_practices": rich_textarea(5),
            "challenges": rich_textarea(5),
            "recommendations": rich_textarea(5),
            "data_evidence": rich_textarea(4),
            "data_sources": rich_textarea(3),
        }
        help_texts = {
            "progress": format_lazy("{} {}", _("Required for every objective you report on."), FORMATTING_HELP),
            "data_sources": _("Name the sources of the data, with links where public."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "is_regional_priority",
            *OBJECTIVE_TEXT_FIELDS,
            Field("guiding_principles", wrapper_class="principles-grid"),
            "revision",
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Office, OpenDocument or CSV."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=255,
        help_text=_("What the file holds, e.g. “Report of the 2024 consultation”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.fields["file"].help_text = _("PDF, Office, OpenDocument or CSV, up to %(limit)s.") % {
            "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        attachment_file_check(upload)
        return upload


class ReviewCycleForm(forms.ModelForm):
    class Meta:
        model = ReviewCycle
        fields = ["name", "slug", "review_year", "imrf_year", "opens_on", "due_on"]
        widgets = {
            "opens_on": IsoDateInput(),
            "due_on": IsoDateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        opens_on, due_on = data.get("opens_on"), data.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", ValidationError(_("The due date must be on or after the opening date.")))
        review_year, imrf_year = data.get("review_year"), data.get("imrf_year")
        if review_year and imrf_year and imrf_year <= review_year:
            self.add_error("imrf_year", _("The IMRF edition comes after the review round."))
        return data


class WordUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word document (.docx)"),
        allow_empty_file=True,  # the upload service says what to do with an empty file
        help_text=_("The file “Download as Word” gave you, edited in Word, LibreOffice or Google Docs."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
