"""Views of regional review submission: thin, each parses input, calls one service and renders.

Permissions (reviews/rules.py) are checked per object with `permission_required`: anonymous users who may
not see a page are sent to log in, logged-in users without the right get 403, missing objects are 404.
"""

from functools import cached_property, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import permission_required
from iscm_portal import page_cache
from iscm_portal.page_cache import MECHANISMS, PACKAGES, REVIEWS, public_page
from mechanisms.models import Mechanism

from . import selectors, services
from .completeness import copied_from_label, objective_report_has_content, review_completeness
from .enums import OBJECTIVE_TEXT_FIELDS, StakeholderType
from .exceptions import ReviewError, ReviewNotEditable, TransitionRequirementsNotMet
from .forms import (
    AttachmentForm,
    MeetingFormSet,
    ObjectiveReportForm,
    OverviewForm,
    ReviewCycleForm,
    meetings_from_formset,
)
from .models import ObjectiveReport, Review, ReviewCycle
from .views_workflow import transition_ask_first
from .workflow import available_actions
from .workflow_selectors import changes_requested_summary, secretariat_dashboard_rows

# Text posted by someone whose session had expired, kept in the session by path until they are back.
PENDING_POSTS_KEY = "reviews:pending-posts"
PENDING_POSTS_MAX = 3
PENDING_POST_MAX_CHARS = 1_000_000
STEP_PARTS = "reviews/review/_step_parts.html"


def keep_text_when_logged_out(view_func):
    """A save or autosave arriving after the session expired keeps the posted text for after login."""

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            posted = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
            if sum(len(value) for values in posted.values() for value in values) <= PENDING_POST_MAX_CHARS:
                pending = request.session.get(PENDING_POSTS_KEY, {})
                pending.pop(request.path, None)
                pending[request.path] = posted
                # Only the latest few pages are kept: enough for one person, no room for abuse.
                request.session[PENDING_POSTS_KEY] = dict(list(pending.items())[-PENDING_POSTS_MAX:])
            if request.htmx:
                return render(request, f"{STEP_PARTS}#autosave_status", {"state": "expired"})
            messages.warning(
                request,
                _("Your session has expired. Log in again: the text you typed is kept and put back in the form."),
            )
            return redirect_to_login(request.path)
        return view_func(request, *args, **kwargs)

    return wrapped


def _pending_post(request) -> QueryDict | None:
    pending = request.session.get(PENDING_POSTS_KEY) or {}
    if request.path not in pending:
        return None
    data = pending.pop(request.path)
    request.session[PENDING_POSTS_KEY] = pending
    restored = QueryDict(mutable=True)
    for key, values in data.items():
        restored.setlist(key, values)
    messages.info(request, _("The text you typed before your session expired is back in the form. Check it and save."))
    return restored


def _load_review(request, pk, **kwargs) -> Review:
    return get_object_or_404(selectors.review_for_edit(), pk=pk)


def _load_review_for_objective(request, pk, **kwargs) -> Review:
    return get_object_or_404(selectors.review_for_objective_edit(), pk=pk)


def _frozen(request, review):
    message = _("This review is “%(status)s”: you can read it but not change it now.") % {
        "status": review.get_status_display()
    }
    if request.htmx:
        return _autosave_response(request, review, state="error", message=message)
    messages.info(request, message)
    return redirect(review)


OVERVIEW_TEXT = ("method", "mandate", "partnerships", "key_messages")


def _conflict_fields(theirs, names) -> list[tuple[str, str]]:
    """The other person's saved text, field by field, to show beside the refused form."""
    if theirs is None:
        return []
    return [(theirs._meta.get_field(name).verbose_name, getattr(theirs, name)) for name in names]


def _with_revision(data: QueryDict, revision: int) -> QueryDict:
    data = data.copy()
    data["revision"] = str(revision)
    return data


class _StepFacts:
    """The steps' filled markers, the completeness panel and the cycle copied from, worked out when first drawn: a
    page whose steps and panel come from the cache (fragments) needs none of them, nor the review's parts loaded."""

    def __init__(self, review, objectives):
        self.review, self.objectives = review, objectives

    @cached_property
    def steps(self) -> list[dict]:
        selectors.review_parts_load(self.review)
        reports = {report.objective.number: report for report in self.review.objective_reports.all()}
        steps = []
        for objective in self.objectives:
            report = reports.get(objective.number)
            filled = bool(report and objective_report_has_content(report))
            steps.append(
                {
                    "objective": objective,
                    "filled": filled,
                    "complete": filled and bool(report.progress.strip()),
                    "priority": filled and report.is_regional_priority,
                    "copied": bool(report and report.copy_unchecked),
                }
            )
        return steps

    def started(self) -> int:
        return sum(step["filled"] for step in self.steps)

    @cached_property
    def copied_from(self) -> str:
        return copied_from_label(self.review)

    @cached_property
    def completeness(self):
        return review_completeness(selectors.review_parts_load(self.review))


def _step_context(review, objectives, **extra) -> dict:
    facts = _StepFacts(review, objectives)
    return {
        "review": review,
        # Callables: the template engine calls them when (and only if) a fragment drawn live reads them.
        "objective_steps": lambda: facts.steps,
        "objectives_started": facts.started,
        "copied_from": lambda: facts.copied_from,
        "completeness": lambda: facts.completeness,
        **extra,
    }


def _autosave_response(request, review, *, state, revision=None, message=""):
    context = {"state": state, "revision": revision, "message": message, "review": review}
    if state == "saved":
        fresh = get_object_or_404(selectors.review_for_edit(), pk=review.pk)
        context["oob_completeness"] = review_completeness(fresh)
    return render(request, f"{STEP_PARTS}#autosave_status", context)


@login_required
def my_reviews(request):
    """The secretariat's dashboard: what waits on it in the open cycles, then its reviews per cycle.

    Other users see the reviews they may read. The dashboard is the user's own: it comes from the cache, under
    the user's id and roles, until a review or a mechanism changes or the day does.
    """
    user, today = request.user, timezone.localdate()
    dashboard = page_cache.fragment(
        "secretariat-dashboard",
        kinds=(page_cache.MECHANISMS, page_cache.REVIEWS, page_cache.REVIEW_ACTIVITY),
        vary=(user.roles_and_mechanisms_key, request.LANGUAGE_CODE, str(today)),
        render=lambda: render_to_string(
            "reviews/dashboard/mine.html#dashboard", _my_reviews_context(user, today), request=request
        ),
        request=request,
    )
    return render(request, "reviews/dashboard/mine.html", {"dashboard_html": dashboard})


def _my_reviews_context(user, today) -> dict:
    rows = secretariat_dashboard_rows(user=user, today=today) if user.secretariat_mechanism_ids else []
    return {
        "rows": rows,
        "waiting": [row for row in rows if row.waiting_on_secretariat],
        "dashboard": selectors.secretariat_dashboard(user),
        "readable": selectors.visible_reviews(user)
        .exclude(mechanism_id__in=user.secretariat_mechanism_ids)
        .select_related("mechanism", "cycle")
        .order_by("-cycle__review_year", "mechanism__acronym")[:100],
        # Stored with a placeholder; each request's own token replaces it (iscm_portal/page_cache.py).
        "csrf_token": page_cache.CSRF_PLACEHOLDER,
    }


def _load_start(request, cycle, mechanism):
    request.start_cycle = get_object_or_404(ReviewCycle, slug=cycle)
    return get_object_or_404(Mechanism, slug=mechanism)


@require_POST
@permission_required("reviews.add_review", fn=_load_start)
def review_start(request, cycle, mechanism):
    mechanism, cycle = request.permission_object, request.start_cycle
    try:
        if request.POST.get("from_previous"):
            review = services.review_start_from_previous(mechanism=mechanism, cycle=cycle, by=request.user)
            messages.success(
                request,
                _(
                    "Your new review starts from the text of your review of %(cycle)s. Each copied part is marked "
                    "until you edit it or press “Checked, keep it”."
                )
                % {"cycle": copied_from_label(review)},
            )
        else:
            review = services.review_create(mechanism=mechanism, cycle=cycle, by=request.user)
            messages.success(request, _("Your review is started. Everything you write is saved as a draft."))
    except services.ReviewAlreadyExists as error:
        messages.info(request, str(error))
        review = Review.objects.get(mechanism=mechanism, cycle=cycle)
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect("reviews:my_reviews")
    return redirect("reviews:review_edit_overview", pk=review.pk)


def _load_detail(request, pk):
    return get_object_or_404(selectors.review_for_detail(), pk=pk)


@public_page(MECHANISMS, PACKAGES, REVIEWS)
@permission_required("reviews.view_review", fn=_load_detail)
def review_detail(request, pk):
    review = request.permission_object
    reports = [report for report in review.objective_reports.all() if objective_report_has_content(report)]
    follows_workflow = request.user.has_perm("reviews.view_review_workflow", review)
    context = {
        "review": review,
        "reports": reports,
        "can_edit": request.user.has_perm("reviews.change_review", review),
        "follows_workflow": follows_workflow,
        "actions": available_actions(review=review, user=request.user) if follows_workflow else [],
        "changes_requested": changes_requested_summary(review) if follows_workflow else None,
        "reported_numbers": {report.objective.number for report in reports},
        "stakeholder_labels": [
            StakeholderType(value).label for value in review.stakeholders_consulted if value in StakeholderType.values
        ],
    }
    return render(request, "reviews/review/detail.html", context)


@keep_text_when_logged_out
@permission_required("reviews.view_review", fn=_load_review)
def review_edit_overview(request, pk):
    review = request.permission_object
    if not request.user.has_perm("reviews.change_review", review):
        return _frozen(request, review)
    conflict = None
    data = request.POST if request.method == "POST" else _pending_post(request)
    if data is not None:
        form = OverviewForm(data, instance=review, mechanism=review.mechanism)
        meetings = MeetingFormSet(data, prefix="meetings")
        if request.method == "POST" and form.is_valid() and meetings.is_valid():
            try:
                saved = services.review_overview_update(
                    review=review,
                    data=form.cleaned_data,
                    meetings=meetings_from_formset(meetings),
                    loaded_revision=form.cleaned_data["revision"],
                    by=request.user,
                )
            except services.EditConflict as error:
                if request.htmx:
                    return _autosave_response(request, review, state="conflict")
                theirs = Review.objects.get(pk=review.pk)
                conflict = {"message": str(error), "theirs": theirs, "fields": _conflict_fields(theirs, OVERVIEW_TEXT)}
                form = OverviewForm(
                    _with_revision(data, error.current_revision), instance=review, mechanism=review.mechanism
                )
            except ReviewNotEditable as error:
                if request.htmx:
                    return _autosave_response(request, review, state="error", message=str(error))
                messages.error(request, str(error))
                return redirect(review)
            else:
                if request.htmx:
                    return _autosave_response(request, saved, state="saved", revision=saved.revision)
                messages.success(request, _("Overview saved."))
                if request.POST.get("then") == "next":
                    return redirect("reviews:review_edit_objective", pk=review.pk, number=1)
                return redirect("reviews:review_edit_overview", pk=review.pk)
        elif request.method == "POST" and request.htmx:
            return _autosave_response(request, review, state="invalid")
    else:
        form = OverviewForm(instance=review, initial={"revision": review.revision}, mechanism=review.mechanism)
        meetings = MeetingFormSet(
            prefix="meetings",
            initial=[{"title": m.title, "held_on": m.held_on, "place": m.place} for m in review.meetings.all()],
        )
    context = _step_context(
        review,
        selectors.objectives_all(),
        step="overview",
        form=form,
        meetings=meetings,
        conflict=conflict,
    )
    return TemplateResponse(request, "reviews/review/edit_overview.html", context, status=409 if conflict else 200)


@keep_text_when_logged_out
@permission_required("reviews.view_review", fn=_load_review_for_objective)
def review_edit_objective(request, pk, number):
    review = request.permission_object
    if not request.user.has_perm("reviews.change_review", review):
        return _frozen(request, review)
    objectives = selectors.objectives_all()
    objective = next((o for o in objectives if o.number == number), None)
    if objective is None:
        raise Http404
    report = selectors.objective_report_for_edit(review, objective)
    instance = report or ObjectiveReport(review=review, objective=objective)
    conflict = None
    data = request.POST if request.method == "POST" else _pending_post(request)
    if data is not None:
        form = ObjectiveReportForm(data, instance=instance)
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.objective_report_save(
                    review=review,
                    objective=objective,
                    data=form.cleaned_data,
                    loaded_revision=form.cleaned_data["revision"],
                    by=request.user,
                )
            except services.EditConflict as error:
                if request.htmx:
                    return _autosave_response(request, review, state="conflict")
                theirs = ObjectiveReport.objects.filter(review=review, objective=objective).first()
                conflict = {
                    "message": str(error),
                    "theirs": theirs,
                    "fields": _conflict_fields(theirs, OBJECTIVE_TEXT_FIELDS),
                }
                form = ObjectiveReportForm(_with_revision(data, error.current_revision), instance=instance)
            except ReviewNotEditable as error:
                if request.htmx:
                    return _autosave_response(request, review, state="error", message=str(error))
                messages.error(request, str(error))
                return redirect(review)
            else:
                revision = saved.revision if saved else 0
                if request.htmx:
                    return _autosave_response(request, review, state="saved", revision=revision)
                messages.success(request, _("Objective %(number)s saved.") % {"number": number})
                if request.POST.get("then") == "next":
                    if number < len(objectives):
                        return redirect("reviews:review_edit_objective", pk=review.pk, number=number + 1)
                    return redirect("reviews:review_attachments", pk=review.pk)
                return redirect("reviews:review_edit_objective", pk=review.pk, number=number)
        elif request.method == "POST" and request.htmx:
            return _autosave_response(request, review, state="invalid")
    else:
        initial = {"revision": report.revision if report else 0}
        if report:
            initial["guiding_principles"] = report.principle_ids
        form = ObjectiveReportForm(instance=instance, initial=initial)
    context = _step_context(
        review,
        objectives,
        step=f"objective-{number}",
        objective=objective,
        previous_number=number - 1 if number > 1 else None,
        next_number=number + 1 if number < len(objectives) else None,
        form=form,
        conflict=conflict,
        copied_unchecked=bool(report and report.copy_unchecked),
        copied_part=f"objective:{number}",
        comment_parts=[f"objective:{number}"],  # the comment column shows this part's only
    )
    return TemplateResponse(request, "reviews/review/edit_objective.html", context, status=409 if conflict else 200)


@require_POST
@permission_required("reviews.change_review", fn=_load_review)
def copied_part_confirm(request, pk, part):
    """ "Checked, keep it": a part copied from the previous cycle stays as it is and counts as checked."""
    review = request.permission_object
    try:
        services.review_copied_part_confirm(review=review, part=part, by=request.user)
    except ReviewError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Kept as it is: this part counts as checked."))
    kind, _sep, number = part.partition(":")
    if kind == "objective" and number.isdigit() and 1 <= int(number) <= 23:
        return redirect("reviews:review_edit_objective", pk=review.pk, number=int(number))
    return redirect("reviews:review_edit_overview", pk=review.pk)


@permission_required("reviews.view_review", fn=_load_review)
def review_attachments(request, pk):
    review = request.permission_object
    if not request.user.has_perm("reviews.change_review", review):
        return _frozen(request, review)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = services.attachment_add(
                    review=review,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
            except ReviewError as error:
                messages.error(request, str(error))
                return redirect(review)
            messages.success(request, _("“%(name)s” attached.") % {"name": attachment.original_name})
            return redirect("reviews:review_attachments", pk=review.pk)
    else:
        form = AttachmentForm()
    context = _step_context(review, selectors.objectives_all(), step="attachments", form=form)
    return render(request, "reviews/review/attachments.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("reviews.manage_attachments", fn=_load_review)
def attachment_delete(request, pk, attachment_pk):
    review = request.permission_object
    attachment = get_object_or_404(review.attachments.all(), pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect(review)
    messages.success(request, _("“%(name)s” removed.") % {"name": attachment.original_name})
    return redirect("reviews:review_attachments", pk=review.pk)


def _load_review_plain(request, pk, **kwargs):
    return get_object_or_404(Review.objects.select_related("mechanism"), pk=pk)


@permission_required("reviews.view_review", fn=_load_review_plain)
def attachment_download(request, pk, attachment_pk):
    review = request.permission_object
    attachment = get_object_or_404(review.attachments.all(), pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@permission_required("reviews.view_review", fn=_load_review)
def review_check(request, pk):
    """The final check: every problem that blocks submission, linked to its field; POST submits."""
    review = request.permission_object
    if not request.user.has_perm("reviews.change_review", review):
        return _frozen(request, review)
    status = 200
    if request.method == "POST":
        if request.POST.get("confirmed") != "yes" and not review_completeness(review).problems:
            # Submitting is hard to undo: ask once, saying what will happen.
            return transition_ask_first(request, review, "submit")
        try:
            services.review_submit(review=review, by=request.user)
        except TransitionRequirementsNotMet:
            messages.error(request, _("The review cannot be submitted yet: fix the problems listed below."))
            status = 400
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect(review)
        else:
            messages.success(
                request,
                _("Your review is submitted to IOM. Its content is frozen until IOM acts on it."),
            )
            return redirect(review)
    context = _step_context(review, selectors.objectives_all(), step="check")
    return render(request, "reviews/review/check.html", context, status=status)


@permission_required("reviews.manage_cycles")
def cycle_list(request):
    return render(request, "reviews/cycle/list.html", {"cycles": selectors.cycle_list()})


def _cycle_form_view(request, cycle=None):
    form = ReviewCycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        saved = services.review_cycle_save(form=form)
        messages.success(request, _("Cycle “%(name)s” saved.") % {"name": saved.name})
        return redirect("reviews:cycle_list")
    return render(
        request, "reviews/cycle/form.html", {"form": form, "cycle": cycle}, status=400 if form.errors else 200
    )


@permission_required("reviews.manage_cycles")
def cycle_create(request):
    return _cycle_form_view(request)


@permission_required("reviews.manage_cycles")
def cycle_edit(request, slug):
    return _cycle_form_view(request, get_object_or_404(ReviewCycle, slug=slug))
