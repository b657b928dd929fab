from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import permission_required
from iscm_portal import page_cache
from iscm_portal.page_cache import MECHANISMS, REVIEWS, public_page
from reviews import selectors as review_selectors

from . import exports, selectors, services
from .collation import collated
from .enums import MembershipRole
from .forms import MechanismProfileForm, MembershipAddForm, MembershipEndForm
from .models import Mechanism

EXPORT_FORMATS = ("csv", "json")


@public_page(MECHANISMS, REVIEWS)
def directory(request):
    context = {
        "directory": selectors.directory(request.GET),
        # Read only when the map's fragment is not in the page cache (see the template).
        "map_states": SimpleLazyObject(lambda: selectors.directory_map(request.GET)),
        "query": request.GET.urlencode(),
    }
    template = "mechanisms/mechanism/list.html"
    # The filters with their counts (200-odd States) are the page's dearest part, and alike for everyone.
    context["filters"] = page_cache.fragment(
        "directory-filters",
        kinds=(page_cache.MECHANISMS, page_cache.REVIEWS),
        vary=(request.LANGUAGE_CODE, context["query"]),
        render=lambda: render_to_string(f"{template}#filters", context, request=request),
    )
    if request.htmx and not request.htmx.boosted:
        template += "#directory"
    return render(request, template, context)


def directory_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    search_errors = selectors.mechanism_filter(request.GET).search_errors()
    if search_errors:
        return HttpResponseBadRequest("\n".join(search_errors), content_type="text/plain; charset=utf-8")
    records = exports.directory_records(selectors.mechanism_export_rows(request.GET), request.build_absolute_uri)
    return exports.render(records, exports.DIRECTORY_COLUMNS, fmt, "iscm-directory")


@public_page(MECHANISMS)
def overview(request):
    return render(request, "mechanisms/overview.html", {"overview": selectors.overview(request.GET.get("region"))})


@public_page(MECHANISMS, REVIEWS)
def mechanism_detail(request, slug):
    mechanism = get_object_or_404(selectors.mechanism_detail(slug))
    # Grouped by region on the page: regions, then States in each, in the reader's order.
    memberships = collated(mechanism.all_memberships, lambda m: m.state.region.localized_name, lambda m: m.state.name)
    current = [m for m in memberships if m.end_date is None]
    members = [m for m in current if m.role == MembershipRole.MEMBER]
    observers = [m for m in current if m.role == MembershipRole.OBSERVER]
    context = {
        "mechanism": mechanism,
        "members": members,
        "observers": observers,
        "map_states": selectors.mechanism_map(members, observers),
        "former": [m for m in memberships if m.end_date is not None],
        "chair": next((term for term in mechanism.chair_history if term.end_date is None), None),
        # The reviews app's reading rule decides which reviews, and so which objectives, this user sees.
        "reviews": review_selectors.reviews_for_mechanism(mechanism, request.user),
        "objectives": review_selectors.objectives_reported_on(mechanism, request.user),
        "sharing_members": selectors.mechanisms_sharing_members(mechanism),
        "sharing_themes": selectors.mechanisms_sharing_themes(mechanism),
    }
    return render(request, "mechanisms/mechanism/detail.html", context)


def mechanism_members_export(request, slug, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    mechanism = get_object_or_404(Mechanism, slug=slug)
    records = exports.membership_records(selectors.mechanism_membership_rows(mechanism, request.GET))
    return exports.render(records, exports.MEMBERSHIP_COLUMNS, fmt, f"{mechanism.slug}-membership")


def _mechanism_for_edit(request, slug):
    return get_object_or_404(selectors.mechanism_detail(slug))


def _mechanism(request, slug):
    return get_object_or_404(Mechanism, slug=slug)


@require_http_methods(["GET", "POST"])
@permission_required("mechanisms.change_mechanism", fn=_mechanism_for_edit)
def mechanism_edit(request, slug):
    mechanism = request.permission_object
    core = request.user.has_perm("mechanisms.change_mechanism_core", mechanism)
    form = MechanismProfileForm(request.POST or None, instance=mechanism, core=core)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.mechanism_profile_update(
            mechanism=mechanism,
            values={
                name: data[name]
                for name in form.fields
                if name not in ("themes", "regions", "partners", "chair", "chair_since")
            },
            themes=data["themes"],
            regions=data.get("regions") if core else None,
            partners=data.get("partners") if core else None,
            chair_state=data["chair"],
            chair_since=data["chair_since"],
            chair_changed=form.chair_touched,
        )
        messages.success(request, _("The profile of %(mechanism)s was saved.") % {"mechanism": mechanism.acronym})
        return redirect(mechanism)
    return render(request, "mechanisms/mechanism/edit.html", {"mechanism": mechanism, "form": form, "core": core})


@require_http_methods(["GET", "POST"])
@permission_required("mechanisms.change_membership", fn=_mechanism)
def mechanism_memberships(request, slug):
    mechanism = request.permission_object
    add_form = MembershipAddForm(prefix="add")
    failed_end = None
    if request.method == "POST" and request.POST.get("action") == "add":
        add_form = MembershipAddForm(request.POST, prefix="add")
        if add_form.is_valid():
            try:
                created = services.memberships_add(
                    mechanism=mechanism,
                    states=add_form.cleaned_data["states"],
                    role=add_form.cleaned_data["role"],
                    start_date=add_form.cleaned_data["start_date"],
                )
            except services.DirectoryChangeError as exc:
                add_form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Recorded: %(states)s.") % {"states": ", ".join(m.state.name for m in created)},
                )
                return redirect("mechanisms:mechanism_memberships", slug=mechanism.slug)
    elif request.method == "POST" and request.POST.get("action") == "end":
        membership = get_object_or_404(
            mechanism.memberships.current().select_related("state"), pk=request.POST.get("membership")
        )
        end_form = MembershipEndForm(request.POST, prefix=f"end-{membership.pk}")
        if end_form.is_valid():
            try:
                services.membership_end(
                    membership=membership,
                    end_date=end_form.cleaned_data["end_date"],
                    note=end_form.cleaned_data["note"],
                )
            except services.DirectoryChangeError as exc:
                end_form.add_error("end_date", str(exc))
            else:
                messages.success(
                    request,
                    _("%(state)s left %(mechanism)s.")
                    % {"state": membership.state.name, "mechanism": mechanism.acronym},
                )
                return redirect("mechanisms:mechanism_memberships", slug=mechanism.slug)
        failed_end = (membership.pk, end_form)
    rows = []
    current = mechanism.memberships.current().select_related("state")
    for membership in collated(current, lambda m: m.role, lambda m: m.state.name):  # Members first, then Observers
        if failed_end and failed_end[0] == membership.pk:
            form = failed_end[1]
        else:
            form = MembershipEndForm(prefix=f"end-{membership.pk}")
        rows.append((membership, form))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "mechanisms/mechanism/memberships.html",
        {"mechanism": mechanism, "add_form": add_form, "rows": rows},
        status=status,
    )


@permission_required("mechanisms.view_mechanism_history", fn=_mechanism)
def mechanism_history(request, slug):
    mechanism = request.permission_object
    return render(
        request,
        "mechanisms/mechanism/history.html",
        {"mechanism": mechanism, "entries": selectors.mechanism_history(mechanism)},
    )


@public_page(MECHANISMS, REVIEWS)
def state_detail(request, iso3):
    state = get_object_or_404(selectors.state_detail(iso3.upper()))
    current = [m for m in state.all_memberships if m.end_date is None]
    context = {
        "state": state,
        "current": current,
        "map_states": selectors.state_map(state, current),
        "former": [m for m in state.all_memberships if m.end_date is not None],
        "reviews": review_selectors.reviews_for_state(state, request.user),
        "is_own_state": request.user.is_authenticated and request.user.focal_point_state_id == state.pk,
    }
    return render(request, "mechanisms/state/detail.html", context)
