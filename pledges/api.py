"""Pledges in the API: the list and each pledge with the pages' filters and reading rule, the dashboard's
figures, a progress update posted by a pledge's owner, and IOM's import.

What a caller reads is what the pledge pages show them (`selectors.pledges_visible_to`): published pledges,
plus the unpublished ones the caller manages (its State's, its mechanism's; all of them for IOM). A pledge the
caller may not read is not found, and a matched pledge the caller may not read is left out (null).

The writes are the web forms' (`pledges.add_pledgeupdate`, `pledges.import_pledges`) through the same services:
a progress update is checked as the pledge page's form checks it, and an import validates every row as the
spreadsheet import does (`spreadsheets.parse_rows`) and writes all of them or none.
"""

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from iscm_portal.api.views import ApiDetailView, ApiListView, ApiView
from iscm_portal.page_cache import MECHANISMS, PLEDGES
from mechanisms.models import Mechanism, Region, State

from . import selectors, services, spreadsheets
from .enums import ActivityFlag, ImrfEdition, PledgerType, PledgeScope, PledgeStatus
from .filters import PledgeFilter
from .forms import PledgeImportForm
from .models import Pledge, PledgeUpdate
from .validators import validate_progress_date


def _absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


class StateRefSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = State
        fields = ["iso3", "name", "api_url"]

    def get_api_url(self, state) -> str:
        return _absolute(self.context["request"], "api:state-detail", iso3=state.iso3)


class MechanismRefSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Mechanism
        fields = ["slug", "acronym", "name", "api_url"]

    def get_api_url(self, mechanism) -> str:
        return _absolute(self.context["request"], "api:mechanism-detail", slug=mechanism.slug)


class ObjectiveRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    short_label = serializers.CharField()


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "level"]


class PledgeSerializer(serializers.ModelSerializer):
    pledger = serializers.CharField(source="pledger_display", help_text=gettext_lazy("The pledger's name."))
    pledger_state = StateRefSerializer(allow_null=True)
    pledger_mechanism = MechanismRefSerializer(allow_null=True)
    objectives = ObjectiveRefSerializer(many=True)
    last_activity_on = serializers.DateField(
        help_text=gettext_lazy("Date of the last progress update, else of the announcement.")
    )
    follow_up = serializers.ChoiceField(
        source="activity_flag",
        choices=ActivityFlag.choices,
        help_text=gettext_lazy("How fresh the last sign of life is (the pages' follow-up flag)."),
    )
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id",
            "reference",
            "title",
            "pledger_type",
            "pledger",
            "pledger_state",
            "pledger_mechanism",
            "objectives",
            "imrf_edition",
            "announced_on",
            "scope",
            "status",
            "is_published",
            "last_activity_on",
            "follow_up",
            "url",
            "api_url",
        ]

    def get_url(self, pledge) -> str:
        return self.context["request"].build_absolute_uri(pledge.get_absolute_url())

    def get_api_url(self, pledge) -> str:
        return _absolute(self.context["request"], "api:pledge-detail", pk=pledge.pk)


class PledgeRefSerializer(serializers.ModelSerializer):
    pledger = serializers.CharField(source="pledger_display")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = ["id", "title", "pledger", "api_url"]

    def get_api_url(self, pledge) -> str:
        return _absolute(self.context["request"], "api:pledge-detail", pk=pledge.pk)


class PledgeUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(help_text=gettext_lazy("Who posted it, as the pledge page names them."))

    class Meta:
        model = PledgeUpdate
        fields = ["id", "date", "status", "text", "author", "created_at"]

    def get_author(self, update) -> str | None:
        if update.author is None:
            return None
        return update.author.get_full_name() or update.author.username


class PledgeDetailSerializer(PledgeSerializer):
    co_pledger_states = StateRefSerializer(many=True)
    guiding_principles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    regions = RegionRefSerializer(many=True, help_text=gettext_lazy("Where it applies (scope “regional”)."))
    states = StateRefSerializer(many=True, help_text=gettext_lazy("Where it applies (scope “national”)."))
    sources = serializers.ListField(child=serializers.URLField())
    matches = serializers.SerializerMethodField(
        help_text=gettext_lazy("The pledge whose call for support this one answers, if the caller may read it.")
    )
    matched_by = PledgeRefSerializer(
        source="published_matching_pledges",
        many=True,
        help_text=gettext_lazy("Published pledges answering this one's call for support."),
    )
    updates = PledgeUpdateSerializer(many=True, help_text=gettext_lazy("Progress updates, the latest first."))

    class Meta(PledgeSerializer.Meta):
        fields = [
            *PledgeSerializer.Meta.fields,
            "text",
            "co_pledger_states",
            "co_pledgers",
            "guiding_principles",
            "regions",
            "states",
            "sources",
            "matches",
            "matched_by",
            "updates",
        ]

    @extend_schema_field(PledgeRefSerializer(allow_null=True))
    def get_matches(self, pledge):
        matches = pledge.matches
        if matches is None or not self.context["request"].user.has_perm("pledges.view_pledge", matches):
            return None
        return PledgeRefSerializer(matches, context=self.context).data


class _FilteredPledges:
    """The pages' filters (`q`, `objective`, `pledger_type`, `region`, `state`, `mechanism`, `status`,
    `imrf_edition`, `flag`) on the pledges this caller may read; an invalid value is a 400 naming the filter."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = PledgeFilter

    def visible_pledges(self):
        return selectors.with_activity(selectors.pledges_visible_to(self.request.user))


class PledgeList(_FilteredPledges, ApiListView):
    """Pledges, the latest announced first, with the pledge list's filters (same names as on the page)."""

    serializer_class = PledgeSerializer
    page_cache_kinds = (MECHANISMS, PLEDGES)

    def get_queryset(self):
        return selectors.pledge_list(self.visible_pledges())


class PledgeDetail(ApiDetailView):
    """One pledge: its text, pledgers, objectives, where it applies, matching pledges and progress updates."""

    serializer_class = PledgeDetailSerializer
    page_cache_kinds = (MECHANISMS, PLEDGES)

    def get_object(self):
        visible = selectors.with_activity(selectors.pledges_visible_to(self.request.user))
        return get_object_or_404(selectors.pledge_detail(visible.filter(pk=self.kwargs["pk"])))


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ObjectiveCountSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    short_label = serializers.CharField()
    count = serializers.IntegerField()


class FlagCountsSerializer(serializers.Serializer):
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()
    inactive = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_objective = ObjectiveCountSerializer(many=True)
    fewest_objectives = ObjectiveCountSerializer(many=True)
    by_pledger_type = CountSerializer(many=True)
    by_region = CountSerializer(many=True)
    by_status = CountSerializer(many=True)
    flags = FlagCountsSerializer(help_text=gettext_lazy("Open pledges whose update is due, overdue, or inactive."))


@extend_schema(filters=True)
class PledgeDashboard(_FilteredPledges, ApiView):
    """The pledge dashboard's figures for the filtered pledges: counts per objective, pledger type, region
    (continents, then global pledges) and status, and the follow-up flags."""

    serializer_class = DashboardSerializer
    pagination_class = None
    page_cache_kinds = (MECHANISMS, PLEDGES)

    def get_queryset(self):
        return self.visible_pledges()

    def get(self, request):
        pledges = self.filter_queryset(self.get_queryset())
        dashboard = selectors.pledge_dashboard(pledges)
        return Response(DashboardSerializer(dashboard).data)


class ProgressUpdateInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        validators=[validate_progress_date], help_text=gettext_lazy("The day of the progress; not in the future.")
    )
    status = serializers.ChoiceField(
        choices=PledgeStatus.choices, help_text=gettext_lazy("The pledge's status after this update.")
    )
    text = serializers.CharField(help_text=gettext_lazy("What progress was made."))


class PledgeProgressAdd(ApiView):
    """Post a progress update on a pledge the caller answers for (its State's or its mechanism's; IOM: any):
    the pledge takes the status it reports, as with the pledge page's form."""

    rules = {"POST": "pledges.add_pledgeupdate"}
    rules_on_object = True
    serializer_class = ProgressUpdateInputSerializer

    def get_object(self):
        visible = selectors.pledges_visible_to(self.request.user)
        pledge = get_object_or_404(visible, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, pledge)
        return pledge

    @extend_schema(request=ProgressUpdateInputSerializer, responses={201: PledgeUpdateSerializer})
    def post(self, request, pk):
        pledge = self.get_object()
        data = ProgressUpdateInputSerializer(data=_body_fields(request))
        data.is_valid(raise_exception=True)
        try:
            update = services.pledge_progress_add(pledge=pledge, by=request.user, **data.validated_data)
        except services.PledgeError as error:
            raise exceptions.PermissionDenied(str(error)) from None
        headers = {"Location": _absolute(request, "api:pledge-detail", pk=pledge.pk)}
        return Response(PledgeUpdateSerializer(update).data, status=status.HTTP_201_CREATED, headers=headers)


def _body_fields(request) -> dict:
    """The request's fields: a JSON object or a form (a JSON list or number has no fields to read)."""
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return data


class ImportRowSerializer(serializers.Serializer):
    """One pledge to import: the spreadsheet import's columns, lists as JSON lists."""

    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The pledge's reference: a row with a known reference updates that pledge."),
    )
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    pledger_type = serializers.CharField(
        help_text=gettext_lazy("One of: %(types)s.") % {"types": ", ".join(PledgerType.values)}
    )
    pledger = serializers.CharField(
        allow_blank=True,
        help_text=gettext_lazy("ISO alpha-3 code of a State, slug or acronym of a mechanism, else the pledger's name."),
    )
    co_pledger_states = serializers.ListField(child=serializers.CharField(), required=False)
    co_pledgers = serializers.CharField(required=False, allow_blank=True)
    objectives = serializers.ListField(
        child=serializers.IntegerField(), help_text=gettext_lazy("GCM objective numbers.")
    )
    guiding_principles = serializers.ListField(child=serializers.CharField(), required=False)
    imrf_edition = serializers.IntegerField(
        help_text=gettext_lazy("One of: %(editions)s.") % {"editions": ", ".join(str(v) for v in ImrfEdition.values)}
    )
    announced_on = serializers.CharField(help_text=gettext_lazy("YYYY-MM-DD."))
    scope = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("One of: %(scopes)s.") % {"scopes": ", ".join(PledgeScope.values)},
    )
    regions = serializers.ListField(child=serializers.CharField(), required=False)
    states = serializers.ListField(child=serializers.CharField(), required=False)
    status = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("One of: %(statuses)s.") % {"statuses": ", ".join(PledgeStatus.values)},
    )
    sources = serializers.ListField(child=serializers.CharField(), required=False)
    published = serializers.BooleanField(required=False, default=True)


class ImportInputSerializer(serializers.Serializer):
    rows = serializers.ListField(child=ImportRowSerializer(), max_length=spreadsheets.MAX_ROWS)
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("Validate and count only; write nothing.")
    )


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file, as on the import page."))
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    dry_run = serializers.BooleanField()


def _row_cells(row: dict) -> dict[str, str]:
    """A JSON row as the spreadsheet cells `parse_rows` reads (lists joined as a cell lists them)."""
    cells = {}
    for column, value in row.items():
        if isinstance(value, list):
            cells[column] = ";".join(str(item) for item in value)
        elif isinstance(value, bool):
            cells[column] = "yes" if value else "no"
        else:
            cells[column] = str(value).strip()
    return cells


def _flat_row_errors(errors) -> dict[str, list[str]]:
    """A row list's serializer errors keyed `rows[<index>].<field>`, as the problem document lists fields."""
    if not isinstance(errors, dict) or not isinstance(errors.get("rows"), (dict, list)):
        return errors
    rows = errors["rows"]
    items = rows.items() if isinstance(rows, dict) else enumerate(rows)
    flat = {key: value for key, value in errors.items() if key != "rows"}
    for index, row_errors in items:
        if isinstance(row_errors, dict):
            for field, messages in row_errors.items():
                flat[f"rows[{index}].{field}"] = messages
        elif row_errors:
            flat["rows"] = row_errors
    return flat


class PledgeImport(ApiView):
    """IOM imports pledges: a JSON list of rows, or the spreadsheet file (multipart `file`), validated as the
    import page validates it. All rows are written or none: any invalid row is a 400 listing every problem
    (`rows[<index>].<column>` for JSON rows, `row <number>.<column>` for a file's rows as the spreadsheet
    numbers them). A row whose reference is known updates that pledge, so importing twice creates nothing
    twice."""

    rules = {"POST": "pledges.import_pledges"}
    serializer_class = ImportInputSerializer

    @extend_schema(
        request={"application/json": ImportInputSerializer, "multipart/form-data": ImportFileSerializer},
        responses={200: ImportResultSerializer, 400: OpenApiResponse(description="Invalid rows; nothing written.")},
    )
    def post(self, request):
        body = _body_fields(request)
        if request.content_type.startswith("multipart/"):
            rows, dry_run, key = self._file_rows(request, body)
        else:
            rows, dry_run, key = self._json_rows(body)
        parsed = spreadsheets.parse_rows(rows)
        if parsed.errors:
            errors: dict[str, list[str]] = {}
            for error in parsed.errors:
                errors.setdefault(key(error.row, error.column), []).append(error.message)
            raise exceptions.ValidationError(errors)
        if dry_run:
            existing = set(
                Pledge.objects.filter(import_key__in=[row["import_key"] for row in parsed.rows]).values_list(
                    "import_key", flat=True
                )
            )
            updated = sum(row["import_key"] in existing for row in parsed.rows)
            result = {"created": len(parsed.rows) - updated, "updated": updated, "dry_run": True}
            return Response(result)
        try:
            imported = services.pledges_import(rows=parsed.rows, by=request.user)
        except IntegrityError:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The database refused the import, so nothing was imported; check the rows.")]}
            ) from None
        except services.PledgeError as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response({"created": imported.created, "updated": imported.updated, "dry_run": False})

    def _json_rows(self, body):
        data = ImportInputSerializer(data=body)
        if not data.is_valid():
            raise exceptions.ValidationError(_flat_row_errors(data.errors))
        rows = [
            spreadsheets.TableRow(number=index, cells=_row_cells(row))
            for index, row in enumerate(data.validated_data["rows"])
        ]
        return rows, data.validated_data["dry_run"], lambda row, column: f"rows[{row}].{column}"

    def _file_rows(self, request, body):
        form = PledgeImportForm(data=request.POST, files=request.FILES)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        flags = ImportFileSerializer(data={"file": form.cleaned_data["file"], "dry_run": body.get("dry_run", False)})
        if not flags.is_valid():
            raise exceptions.ValidationError(flags.errors)
        try:
            rows = spreadsheets.read_table(form.cleaned_data["file"])
        except spreadsheets.SpreadsheetError as error:
            raise exceptions.ValidationError({"file": [str(error)]}) from None
        return rows, flags.validated_data["dry_run"], lambda row, column: f"row {row}.{column}"


urlpatterns = [
    path("pledges/", PledgeList.as_view(), name="pledge-list"),
    path("pledges/dashboard/", PledgeDashboard.as_view(), name="pledge-dashboard"),
    path("pledges/import/", PledgeImport.as_view(), name="pledge-import"),
    path("pledges/<int:pk>/", PledgeDetail.as_view(), name="pledge-detail"),
    path("pledges/<int:pk>/updates/", PledgeProgressAdd.as_view(), name="pledge-progress-add"),
]
