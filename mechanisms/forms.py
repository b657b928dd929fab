"""Crispy forms for keeping the directory up to date."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from iscm_portal.date_input import IsoDateInput

from .collation import collate_choices
from .enums import MembershipRole
from .models import Mechanism, Region, State

MANDATE_CHOICES = [("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]

PROFILE_FIELDS = [
    "description",
    "secretariat",
    "website",
    "contact_points",
    "themes",
    "gcm_review_mandate",
    "gcm_mandate_since",
    "gcm_focal_point",
    "gcm_working_group",
]
CORE_FIELDS = ["acronym", "name", "kind", "status", "founded", "associated_organisation", "regions", "partners"]


class MechanismProfileForm(forms.ModelForm):
    """What a mechanism's own secretariat keeps up to date; IOM gets the core facts as well (`core=True`)."""

    chair = forms.ModelChoiceField(
        queryset=State.objects.order_by("name"), required=False, label=_("Current chair"), empty_label=_("No chair")
    )
    chair_since = forms.DateField(
        required=False, label=_("Chair since"), widget=IsoDateInput(), help_text=_("Needed when the chair changes.")
    )

    class Meta:
        model = Mechanism
        fields = CORE_FIELDS + PROFILE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "contact_points": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "regions": forms.SelectMultiple(attrs={"size": 8}),
            "gcm_review_mandate": forms.Select(choices=MANDATE_CHOICES),
            "gcm_mandate_since": IsoDateInput(),
        }

    def __init__(self, *args, core: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_chair = next(
            (term for term in getattr(self.instance, "chair_history", []) if term.end_date is None), None
        )
        if not self.is_bound and self.current_chair is not None:
            self.initial.setdefault("chair", self.current_chair.state_id)
            self.initial.setdefault("chair_since", self.current_chair.start_date)
        self.fields["gcm_review_mandate"] = forms.TypedChoiceField(
            choices=MANDATE_CHOICES,
            coerce=lambda value: {"true": True, "false": False}.get(value),
            empty_value=None,
            required=False,
            label=_("Mandated by Member States to take part in GCM review"),
        )
        mandate = self.instance.gcm_review_mandate
        self.initial["gcm_review_mandate"] = {True: "true", False: "false"}.get(mandate, "unknown")
        self.fields["themes"].queryset = self.fields["themes"].queryset.order_by("name")
        collate_choices(self.fields["chair"])
        if core:
            self.fields["regions"].queryset = Region.objects.order_by("level", "name")
        else:
            for name in CORE_FIELDS:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        sections = []
        if core:
            sections.append(Fieldset(_("Directory facts"), *CORE_FIELDS))
        sections += [
            Fieldset(_("Profile"), "description", "secretariat", "website", "contact_points", "themes"),
            Fieldset(_("Chair"), "chair", "chair_since"),
            Fieldset(
                _("GCM engagement"),
                "gcm_review_mandate",
                "gcm_mandate_since",
                "gcm_focal_point",
                "gcm_working_group",
            ),
        ]
        self.helper.layout = Layout(*sections)

    @property
    def chair_changed(self) -> bool:
        current_id = self.current_chair.state_id if self.current_chair else None
        chosen = self.cleaned_data.get("chair")
        return (chosen.pk if chosen else None) != current_id

    @property
    def chair_touched(self) -> bool:
        """The chair changed, or the date the current chair took over was corrected."""
        since = self.cleaned_data.get("chair_since")
        return self.chair_changed or (
            self.current_chair is not None and since is not None and since != self.current_chair.start_date
        )

    def clean(self):
        cleaned = super().clean()
        if "chair" in cleaned and self.chair_changed:
            since = cleaned.get("chair_since")
            if since is None:
                self.add_error("chair_since", _("Give the date from which the new chair holds office."))
            elif self.current_chair is not None and since < self.current_chair.start_date:
                self.add_error(
                    "chair_since",
                    _("The new chair cannot start before the current chair's term began (%(date)s).")
                    % {"date": date_format(self.current_chair.start_date)},
                )
        if cleaned.get("gcm_mandate_since") and cleaned.get("gcm_review_mandate") is not True:
            self.add_error("gcm_mandate_since", _("A mandate date only makes sense when the mandate is 'Yes'."))
        return cleaned


class MembershipAddForm(forms.Form):
    """Add one or several States at once; if one code is wrong nothing is added."""

    states = forms.CharField(
        label=_("States (ISO alpha-3 codes)"),
        help_text=_("Separate codes by spaces or commas, e.g. GHA SEN CIV."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
    start_date = forms.DateField(label=_("Since"), required=False, widget=IsoDateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("states", css_class="col-md-6"),
                Column("role", css_class="col-md-3"),
                Column("start_date", css_class="col-md-3"),
            )
        )

    def clean_states(self):
        codes = [code.upper() for code in re.split(r"[\s,;]+", self.cleaned_data["states"]) if code]
        if not codes:
            raise forms.ValidationError(_("Enter at least one ISO alpha-3 code."))
        malformed = [code for code in codes if not re.fullmatch(r"[A-Z]{3}", code)]
        if malformed:
            raise forms.ValidationError(_("Not three-letter codes: %(codes)s.") % {"codes": ", ".join(malformed)})
        found = {state.iso3: state for state in State.objects.filter(iso3__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown ISO codes: %(codes)s. Nothing was added.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(found[code] for code in codes))


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("Left on"), widget=IsoDateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
