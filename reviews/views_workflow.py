"""Views of the review workflow: the workflow page, its actions and comments, comparison, dashboards."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import permission_required
from gcm.models import Objective
from iscm_portal import page_cache
from mechanisms.enums import MechanismKind

from .comments import (
    CommentInvalid,
    CommentNotAllowed,
    comment_add,
    comment_reply,
    comment_resolve,
    comments_by_part,
    open_threads_described,
    part_label,
    part_validate,
)
from .compare import default_pair, version_diff
from .exceptions import ReviewError, TransitionNeedsConfirmation, TransitionRequirementsNotMet
from .models import Comment, Review, ReviewCycle, ReviewVersion
from .workflow import (
    REASON_MAX_CHARS,
    TRANSITIONS,
    available_actions,
    review_transition,
    transition_blockers,
    transition_to_confirm,
)
from .workflow_selectors import (
    DASHBOARD_SORTS,
    NOT_STARTED,
    dashboard_filter_regions,
    focal_point_reviews,
    iom_dashboard_rows,
    status_choices,
    workflow_page_data,
)


def _review(request, pk, **_kwargs):
    return get_object_or_404(Review.objects.select_related("mechanism", "cycle"), pk=pk)


def _comment_review(request, comment_pk):
    comment = get_object_or_404(Comment.objects.select_related("review__mechanism", "review__cycle"), pk=comment_pk)
    request.comment = comment
    return comment.review


def _back(request, review: Review, anchor: str = ""):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target + (f"#{anchor}" if anchor and "#" not in target else ""))
    return redirect(reverse("reviews:review_workflow", kwargs={"pk": review.pk}) + (f"#{anchor}" if anchor else ""))


def _part_anchor(part: str) -> str:
    return "comments-" + part.replace(":", "-")


def _workflow_context(request, review: Review, **extra) -> dict:
    data = workflow_page_data(review)
    grouped = comments_by_part(review)
    attachment_names = {attachment.pk: attachment.original_name for attachment in data["attachments"]}
    reported = {report.objective.number for report in data["reports"]}
    # Objectives that have comments but no report still get their own place on the page.
    commented_only = sorted(
        int(part.split(":")[1]) for part in grouped if part.startswith("objective:") and int(part[10:]) not in reported
    )
    return {
        "review": review,
        "actions": available_actions(review=review, user=request.user),
        "comments_by_part": grouped,
        "open_comment_count": sum(1 for threads in grouped.values() for c in threads if c.resolved_at is None),
        "attachment_names": attachment_names,
        "commented_only_objectives": commented_only,
        "part_options": [("review", _("Whole review")), ("overview", _("Overview"))]
        + [(f"objective:{n}", part_label(f"objective:{n}")) for n in range(1, 24)]
        + [(f"attachment:{pk}", part_label(f"attachment:{pk}", attachment_names)) for pk in attachment_names],
        **data,
        **extra,
    }


@permission_required("reviews.view_review_workflow", fn=_review)
def review_workflow(request, pk):
    """Status, actions, comments by part, history and versions of one review."""
    review = request.permission_object
    return render(request, "reviews/workflow/detail.html", _workflow_context(request, review))


def transition_ask_first(request, review: Review, action: str, *, note: str = "", error: str = "", status=None):
    """The page that asks once before a step that is hard to undo: what will happen, what it leaves open, and
    the go-ahead (with the optional cover note of a request for changes). Works without JavaScript."""
    transition = TRANSITIONS[action]
    to_confirm = transition_to_confirm(review=review, action=action)
    context = {
        "review": review,
        "action": action,
        "transition": transition,
        "to_confirm": to_confirm,
        "open_comments": open_threads_described(review) if transition.cover_note else [],
        "note": note,
        "note_max": REASON_MAX_CHARS,
        "error": error,
        "next": request.POST.get("next", ""),
    }
    if not url_has_allowed_host_and_scheme(context["next"], {request.get_host()}, request.is_secure()):
        context["next"] = ""
    if status is None:
        status = 409 if to_confirm else 200
    return render(request, "reviews/workflow/confirm.html", context, status=status)


@require_POST
@permission_required("reviews.view_review_workflow", fn=_review)
def review_transition_view(request, pk, action):
    review = request.permission_object
    transition = TRANSITIONS.get(action)
    note = request.POST.get("reason", "")
    confirmed = request.POST.get("confirmed") == "yes"
    if (
        transition is not None
        and transition.ask_first
        and not confirmed
        and review.status in transition.sources
        and transition.allowed(request.user, review)
    ):
        blockers = transition_blockers(review=review, action=action)
        if not blockers:
            return transition_ask_first(request, review, action, note=note)
        messages.error(
            request, " ".join([_("“%(action)s” is not possible yet.") % {"action": transition.label}, *blockers])
        )
        return _back(request, review)
    try:
        review_transition(review=review, action=action, by=request.user, reason=note, confirmed=confirmed)
    except TransitionNeedsConfirmation:
        # Something changed since the page asked (a comment was opened): ask again, showing it.
        return transition_ask_first(request, review, action, note=note)
    except TransitionRequirementsNotMet as error:
        if transition.cover_note and not error.problems:
            # The note itself is wrong (too long): ask again with the note kept.
            return transition_ask_first(request, review, action, note=note, error=str(error), status=400)
        messages.error(request, " ".join([str(error), *map(str, error.problems)]))
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: “%(action)s”.") % {"action": TRANSITIONS[action].label})
    return _back(request, review)


def _comment_error(request, review, error, *, part, body, reply_to=None):
    """Show the page again with what the user typed and what is wrong."""
    messages.error(request, str(error))
    try:
        part = part_validate(review=review, part=part)
    except CommentInvalid:
        part = "review"  # keep the text in the whole-review form when the part itself was wrong
    draft = {"part": part, "body": body, "reply_to": reply_to}
    return render(request, "reviews/workflow/detail.html", _workflow_context(request, review, draft=draft), status=400)


@require_POST
@permission_required("reviews.view_review_workflow", fn=_review)
def comment_add_view(request, pk):
    review = request.permission_object
    part, body = request.POST.get("part", "review"), request.POST.get("body", "")
    try:
        comment = comment_add(review=review, part=part, body=body, by=request.user)
    except CommentInvalid as error:
        return _comment_error(request, review, error, part=part, body=body)
    except CommentNotAllowed as error:
        messages.error(request, str(error))
        return _back(request, review)
    messages.success(request, _("Comment added."))
    return _back(request, review, _part_anchor(comment.part))


@require_POST
@permission_required("reviews.view_review_workflow", fn=_comment_review)
def comment_reply_view(request, comment_pk):
    parent, review = request.comment, request.permission_object
    body = request.POST.get("body", "")
    try:
        comment_reply(parent=parent, body=body, by=request.user)
    except CommentInvalid as error:
        return _comment_error(request, review, error, part=parent.part, body=body, reply_to=parent.pk)
    except CommentNotAllowed as error:
        messages.error(request, str(error))
        return _back(request, review)
    messages.success(request, _("Reply added."))
    return _back(request, review, _part_anchor(parent.part))


@require_POST
@permission_required("reviews.view_review_workflow", fn=_comment_review)
def comment_resolve_view(request, comment_pk):
    comment, review = request.comment, request.permission_object
    try:
        comment_resolve(comment=comment, by=request.user)
    except ReviewError as error:
        messages.error(request, str(error))
        return _back(request, review)
    messages.success(request, _("Comment marked resolved."))
    return _back(request, review, _part_anchor(comment.part))


def _version(by_number: dict[int, ReviewVersion], value: str) -> ReviewVersion:
    try:
        return by_number[int(value)]
    except (ValueError, KeyError):
        raise Http404("No such version") from None


@permission_required("reviews.view_review_workflow", fn=_review)
def review_compare(request, pk):
    """Two versions side by side; by default the last submitted one before the latest, and the latest."""
    review = request.permission_object
    versions = list(ReviewVersion.objects.filter(review=review).select_related("created_by").order_by("number"))
    by_number = {version.number: version for version in versions}
    old, new = default_pair(versions)
    if request.GET.get("a"):
        old = _version(by_number, request.GET["a"])
    if request.GET.get("b"):
        new = _version(by_number, request.GET["b"])
    sections = []
    if old and new:
        titles = dict(Objective.objects.values_list("number", "short_label"))
        sections = version_diff(old.content, new.content, titles)
    context = {"review": review, "versions": versions, "old": old, "new": new, "sections": sections}
    return render(request, "reviews/workflow/compare.html", context)


@permission_required("accounts.view_iom_dashboard")
def iom_dashboard(request):
    """Per cycle, every mechanism with its review status, due date, lateness, activity and open comments.

    The board is alike for everyone who may see it, so it comes from the cache until a review, a mechanism or
    the day changes.
    """
    today = timezone.localdate()
    cycles = list(ReviewCycle.objects.order_by("-review_year"))
    cycle = next((c for c in cycles if c.slug == request.GET.get("cycle")), cycles[0] if cycles else None)
    board = page_cache.fragment(
        "iom-dashboard",
        kinds=(page_cache.MECHANISMS, page_cache.REVIEWS, page_cache.REVIEW_ACTIVITY),
        vary=(request.LANGUAGE_CODE, today.isoformat(), request.GET.urlencode()),
        render=lambda: render_to_string(
            "reviews/dashboard/iom.html#board", _iom_board_context(request.GET, today, cycles, cycle), request=request
        ),
    )
    return render(request, "reviews/dashboard/iom.html", {"cycle": cycle, "board": board})


def _iom_board_context(query, today, cycles, cycle) -> dict:
    status, kind = query.get("status", ""), query.get("kind", "")
    region = query.get("region", "")
    region = int(region) if region.isdigit() else None
    sort = query.get("sort", "work")
    descending = sort.startswith("-")
    if sort.lstrip("-") not in DASHBOARD_SORTS:
        sort, descending = "work", False
    rows, counts = [], {}
    if cycle:
        rows = iom_dashboard_rows(cycle=cycle, today=today, kind=kind, region=region)
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        if status:
            rows = [row for row in rows if row.status == status]
        rows.sort(key=DASHBOARD_SORTS[sort.lstrip("-")], reverse=descending)
    overdue = [row for row in rows if row.days_overdue]
    return {
        "cycles": cycles,
        "cycle": cycle,
        "rows": rows,
        "waiting_on_iom": sum(1 for row in rows if row.waiting_on_iom),
        "overdue_count": len(overdue),
        "overdue_days": overdue[0].days_overdue if overdue else 0,
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in status_choices()],
        "total": sum(counts.values()),
        "statuses": status_choices(),
        "kinds": MechanismKind.choices,
        "regions": dashboard_filter_regions(),
        "current": {"status": status, "kind": kind, "region": region, "sort": sort},
        "not_started": NOT_STARTED,
    }


@permission_required("reviews.view_focal_point_dashboard")
def focal_point_dashboard(request):
    """The submitted and approved reviews of the mechanisms the user's State belongs to."""
    reviews = list(focal_point_reviews(user=request.user))
    return render(request, "reviews/dashboard/focal_point.html", {"reviews": reviews})
