import io
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import permission_required
from iscm_portal.page_cache import MECHANISMS, PLEDGES, public_page
from mechanisms.models import State

from . import selectors, services, spreadsheets
from .enums import ActivityFlag
from .filters import PledgeFilter
from .forms import PledgeForm, PledgeImportForm, PledgeUpdateForm
from .models import Pledge

PAGE_SIZE = 25
IMPORT_SESSION_KEY = "pledge-import"


def _filterset(request) -> PledgeFilter:
    queryset = selectors.with_activity(selectors.pledges_visible_to(request.user))
    return PledgeFilter(request.GET or None, queryset=queryset)


def _filtered_pledges(filterset: PledgeFilter):
    """The filtered pledges; an invalid filter (unknown objective, State...) matches nothing and says why."""
    if not filterset.is_bound:
        return filterset.queryset
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _filter_errors_text(filterset: PledgeFilter) -> str:
    """The filter form's errors as plain text, for an export that cannot show the form."""
    form = filterset.form
    return "\n".join(
        f"{form[name].label}: {message}" for name, messages_ in form.errors.items() for message in messages_
    )


def _visible_pledge(request, pk):
    return get_object_or_404(selectors.with_activity(Pledge.objects.filter(pk=pk)))


@public_page(MECHANISMS, PLEDGES)
@permission_required("pledges.view_pledge_list")
def pledge_list(request):
    filterset = _filterset(request)
    pledges = selectors.pledge_list(_filtered_pledges(filterset))
    page = Paginator(pledges, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filterset": filterset, "page": page, "flags": ActivityFlag}
    template = "pledges/pledge/list.html#results" if request.htmx else "pledges/pledge/list.html"
    return render(request, template, context)


def _own_region_id(user) -> int | None:
    """A focal point's region, marked on the dashboard so "my region" is one click away."""
    if not user.is_authenticated or not user.focal_point_state_id:
        return None
    return State.objects.filter(pk=user.focal_point_state_id).values_list("region_id", flat=True).first()


@public_page(MECHANISMS, PLEDGES)
@permission_required("pledges.view_pledge_list")
def pledge_dashboard(request):
    filterset = _filterset(request)
    dashboard = selectors.pledge_dashboard(_filtered_pledges(filterset))
    chart_data = {
        "objective": {
            "title": _("Pledges by GCM objective"),
            "labels": [f"{row['number']}. {row['short_label']}" for row in dashboard.by_objective],
            "counts": [row["count"] for row in dashboard.by_objective],
        },
        "pledger_type": {
            "title": _("Pledges by pledger type"),
            "labels": [row["label"] for row in dashboard.by_pledger_type],
            "counts": [row["count"] for row in dashboard.by_pledger_type],
        },
        "region": {
            "title": _("Pledges by region"),
            "labels": [row["label"] for row in dashboard.by_region],
            "counts": [row["count"] for row in dashboard.by_region],
        },
        "status": {
            "title": _("Pledges by status"),
            "labels": [row["label"] for row in dashboard.by_status],
            "counts": [row["count"] for row in dashboard.by_status],
        },
    }
    context = {
        "filterset": filterset,
        "dashboard": dashboard,
        "chart_data": chart_data,
        "regions": dashboard.regions,
        "selected_region": request.GET.get("region", ""),
        "own_region_id": _own_region_id(request.user),
    }
    template = "pledges/pledge/dashboard.html#panels" if request.htmx else "pledges/pledge/dashboard.html"
    return render(request, template, context)


def _pledge_for_page(request, pk):
    return get_object_or_404(selectors.pledge_detail(selectors.with_activity(Pledge.objects.filter(pk=pk))))


def _detail_context(request, pledge, update_form=None) -> dict:
    user = request.user
    can_update = user.has_perm("pledges.add_pledgeupdate", pledge)
    if update_form is None and can_update:
        update_form = PledgeUpdateForm(pledge=pledge)
    matches = pledge.matches
    return {
        "pledge": pledge,
        # The matched pledge's title only for a reader its own rule admits (it may be unpublished).
        "matched_pledge": matches if matches and user.has_perm("pledges.view_pledge", matches) else None,
        "can_update": can_update,
        "can_change": user.has_perm("pledges.change_pledge", pledge),
        "can_publish": user.has_perm("pledges.publish_pledge", pledge),
        "update_form": update_form,
    }


@permission_required("pledges.view_pledge", fn=_pledge_for_page)
def pledge_detail(request, pk):
    return render(request, "pledges/pledge/detail.html", _detail_context(request, request.permission_object))


@permission_required("pledges.add_pledge")
def pledge_create(request):
    form = PledgeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, relations = form.service_arguments()
        try:
            pledge = services.pledge_create(by=request.user, fields=fields, relations=relations)
        except services.PledgeError as error:
            form.add_error(None, str(error))
        else:
            if pledge.is_published:
                messages.success(request, _("The pledge was recorded and published."))
            else:
                messages.success(request, _("The pledge was recorded; IOM publishes it after checking it."))
            return redirect(pledge)
    context = {"form": form, "pledge": None, "can_publish": request.user.has_perm("pledges.publish_pledge")}
    return render(request, "pledges/pledge/form.html", context)


@permission_required("pledges.change_pledge", fn=_visible_pledge)
def pledge_edit(request, pk):
    pledge = request.permission_object
    form = PledgeForm(request.POST or None, instance=pledge, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, relations = form.service_arguments()
        try:
            services.pledge_update(pledge=pledge, by=request.user, fields=fields, relations=relations)
        except services.PledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The pledge was saved."))
            return redirect(pledge)
    context = {"form": form, "pledge": pledge, "can_publish": request.user.has_perm("pledges.publish_pledge", pledge)}
    return render(request, "pledges/pledge/form.html", context)


@require_POST
@permission_required("pledges.add_pledgeupdate", fn=_visible_pledge)
def pledge_progress_add(request, pk):
    pledge = request.permission_object
    form = PledgeUpdateForm(request.POST, pledge=pledge)
    if form.is_valid():
        services.pledge_progress_add(pledge=pledge, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your progress update was posted."))
        return redirect(pledge)
    context = _detail_context(request, _pledge_for_page(request, pk), update_form=form)
    return render(request, "pledges/pledge/detail.html", context, status=400)


@require_POST
@permission_required("pledges.publish_pledge", fn=_visible_pledge)
def pledge_publish(request, pk):
    pledge = services.pledge_publish(
        pledge=request.permission_object, by=request.user, published=request.POST.get("published") == "yes"
    )
    if pledge.is_published:
        messages.success(request, _("The pledge is published: everyone can read it."))
    else:
        messages.success(request, _("The pledge is withdrawn: only its owners and IOM can read it."))
    return redirect(pledge)


@permission_required("pledges.view_pledge_list")
def pledge_export(request, fmt):
    filterset = _filterset(request)
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(_filter_errors_text(filterset), content_type="text/plain; charset=utf-8")
    pledges, relations = selectors.pledge_export_rows(_filtered_pledges(filterset))
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="pledges-{stamp}.csv"'
        response.write("\ufeff")
        spreadsheets.write_csv(pledges, relations, response, settings.SITE_URL)
        return response
    if fmt == "xlsx":
        stream = io.BytesIO()
        spreadsheets.write_xlsx(pledges, relations, stream, settings.SITE_URL)
        response = HttpResponse(
            stream.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="pledges-{stamp}.xlsx"'
        return response
    raise Http404


@permission_required("pledges.import_pledges")
def pledge_import(request):
    """Upload a file and preview it; nothing is written until the valid preview is confirmed."""
    form = PledgeImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": spreadsheets.COLUMNS, "required": spreadsheets.REQUIRED_COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = spreadsheets.parse_rows(spreadsheets.read_table(upload))
        except spreadsheets.SpreadsheetError as error:
            form.add_error("file", str(error))
            return render(request, "pledges/import/upload.html", context)
        context.update(
            filename=upload.name, parsed=parsed, row_count=len(parsed.rows) + len({e.row for e in parsed.errors})
        )
        if not parsed.errors:
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {"token": token, "filename": upload.name, "rows": parsed.rows}
            existing = set(
                Pledge.objects.filter(import_key__in=[row["import_key"] for row in parsed.rows]).values_list(
                    "import_key", flat=True
                )
            )
            context.update(
                token=token, existing=existing, updates=sum(row["import_key"] in existing for row in parsed.rows)
            )
        return render(request, "pledges/import/preview.html", context, status=200 if not parsed.errors else 400)
    return render(request, "pledges/import/upload.html", context)


@require_POST
@permission_required("pledges.import_pledges")
def pledge_import_confirm(request):
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or not secrets.compare_digest(stored["token"], request.POST.get("token", "")):
        messages.error(request, _("This import preview has expired; upload the file again."))
        return redirect("pledges:import")
    del request.session[IMPORT_SESSION_KEY]
    try:
        result = services.pledges_import(rows=stored["rows"], by=request.user)
    except IntegrityError:
        messages.error(request, _("The database refused the import, so nothing was imported; check the file."))
        return redirect("pledges:import")
    messages.success(
        request,
        _("Imported %(file)s: %(created)d new pledges, %(updated)d updated.")
        % {"file": stored["filename"], "created": result.created, "updated": result.updated},
    )
    return redirect("pledges:list")
