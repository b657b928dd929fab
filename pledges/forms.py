from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_iom_or_admin
from gcm.models import GuidingPrinciple, Objective
from iscm_portal.date_input import IsoDateInput
from iscm_portal.spreadsheet_cells import MAX_CELL_LENGTH
from mechanisms.collation import collate_choices
from mechanisms.enums import RegionLevel
from mechanisms.models import Mechanism, Region, State

from .enums import PledgerType, PledgeStatus
from .models import Pledge, PledgeUpdate
from .selectors import pledges_visible_to
from .validators import validate_progress_date


class WebAddressListField(forms.CharField):
    """A list of web addresses edited as one address per line; a stored list shows as its lines again."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        check = URLValidator(schemes=["http", "https"])
        for line in value:
            try:
                check(line)
            except ValidationError:
                raise ValidationError(_("“%(value)s” is not a web address."), params={"value": line}) from None

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class PledgeForm(forms.ModelForm):
    """Record or edit a pledge. Focal points and secretariats only see their own State or mechanisms as pledger.

    Only who may publish (the `pledges.publish_pledge` rule) sees the "published" box; the matched pledge is
    chosen among the pledges the user may read, and an unknown or hidden number gets the same answer.
    """

    sources = WebAddressListField(
        label=_("Sources"), required=False, help_text=_("Links to sources, one web address per line.")
    )
    text = forms.CharField(
        label=_("Text of the pledge"),
        max_length=MAX_CELL_LENGTH,  # what a spreadsheet cell holds, so the pledge survives export and import
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    matches = forms.ModelChoiceField(
        label=_("Matches pledge number"),
        queryset=Pledge.objects.none(),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("If this pledge answers another pledge's call for support, that pledge's number."),
        error_messages={"invalid_choice": _("There is no pledge with this number that you can see.")},
    )

    class Meta:
        model = Pledge
        fields = [
            "pledger_type",
            "pledger_state",
            "pledger_mechanism",
            "pledger_name",
            "co_pledger_states",
            "co_pledgers",
            "matches",
            "title",
            "text",
            "objectives",
            "guiding_principles",
            "imrf_edition",
            "announced_on",
            "scope",
            "regions",
            "states",
            "status",
            "sources",
            "is_published",
        ]
        widgets = {
            "objectives": forms.CheckboxSelectMultiple,
            "guiding_principles": forms.CheckboxSelectMultiple,
            "announced_on": IsoDateInput(),
            "co_pledger_states": forms.SelectMultiple(attrs={"size": 6}),
            "states": forms.SelectMultiple(attrs={"size": 6}),
            "regions": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        fields = self.fields
        fields["objectives"].queryset = Objective.objects.order_by("number")
        fields["guiding_principles"].queryset = GuidingPrinciple.objects.order_by("letter")
        fields["regions"].queryset = Region.objects.exclude(level=RegionLevel.WORLD).order_by("name")
        fields["states"].queryset = State.objects.order_by("name")
        fields["co_pledger_states"].queryset = State.objects.order_by("name")
        collate_choices(fields["states"], fields["co_pledger_states"], fields["pledger_state"], fields["regions"])
        if not self.instance.pk:
            fields["announced_on"].initial = timezone.localdate()
        matchable = pledges_visible_to(user)
        if self.instance.matches_id:
            # A match IOM set to a pledge this user cannot read stays as it is when the user saves.
            matchable = matchable | Pledge.objects.filter(pk=self.instance.matches_id)
        fields["matches"].queryset = matchable
        if not user.has_perm("pledges.publish_pledge", self.instance):
            del fields["is_published"]
        if not is_iom_or_admin(user):
            allowed_types = []
            if user.focal_point_state_id:
                allowed_types.append(PledgerType.STATE)
                fields["pledger_state"].queryset = State.objects.filter(pk=user.focal_point_state_id)
                fields["pledger_state"].initial = user.focal_point_state_id
            else:
                fields["pledger_state"].queryset = State.objects.none()
                fields["pledger_state"].widget = forms.HiddenInput()
            if user.secretariat_mechanism_ids:
                allowed_types.append(PledgerType.ISCM)
                fields["pledger_mechanism"].queryset = Mechanism.objects.filter(pk__in=user.secretariat_mechanism_ids)
            else:
                fields["pledger_mechanism"].queryset = Mechanism.objects.none()
                fields["pledger_mechanism"].widget = forms.HiddenInput()
            fields["pledger_type"].choices = [(t.value, t.label) for t in allowed_types]
            fields["pledger_type"].initial = allowed_types[0] if allowed_types else None
            fields["pledger_name"].widget = forms.HiddenInput()
        else:
            fields["pledger_state"].queryset = State.objects.order_by("name")
            fields["pledger_mechanism"].queryset = Mechanism.objects.order_by("acronym")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save pledge")))

    def clean_text(self):
        # Browsers send CR LF; XLSX exports keep only LF, so storing LF lets a pledge round-trip unchanged.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        kind = data.get("pledger_type")
        if kind == PledgerType.STATE and not data.get("pledger_state") and "pledger_state" not in self.errors:
            self.add_error("pledger_state", _("Choose the pledging State."))
        elif kind == PledgerType.ISCM and not data.get("pledger_mechanism") and "pledger_mechanism" not in self.errors:
            self.add_error("pledger_mechanism", _("Choose the pledging mechanism."))
        elif kind and kind not in (PledgerType.STATE, PledgerType.ISCM) and not data.get("pledger_name", "").strip():
            self.add_error("pledger_name", _("Name the pledging entity or organisation."))
        matches = data.get("matches")
        if matches and self.instance.pk and matches.pk == self.instance.pk:
            self.add_error("matches", _("A pledge cannot match itself."))
        return data

    def service_arguments(self) -> tuple[dict, dict]:
        """Split cleaned data into plain fields and many-to-many relations for the services."""
        m2m = ("objectives", "guiding_principles", "regions", "states", "co_pledger_states")
        data = self.cleaned_data
        fields = {name: value for name, value in data.items() if name not in m2m}
        relations = {name: list(data[name]) for name in m2m}
        return fields, relations


class PledgeUpdateForm(forms.ModelForm):
    class Meta:
        model = PledgeUpdate
        fields = ["date", "status", "text"]
        widgets = {"date": IsoDateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["status"].initial = (
            PledgeStatus.IN_PROGRESS if pledge.status == PledgeStatus.ANNOUNCED else pledge.status
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_date(self):
        date = self.cleaned_data["date"]
        validate_progress_date(date)
        return date


class PledgeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("A .csv (UTF-8) or .xlsx file with one pledge per row; see the column list below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise ValidationError(_("The file is larger than the upload limit."))
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
