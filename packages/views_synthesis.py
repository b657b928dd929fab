"""Views of IOM's synthesis of a package: the editor of each part (autosaved with htmx, like the review
editor), marking it final, its history and its comments. Thin: each parses input and calls one service."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import permission_required
from gcm.models import Objective
from reviews.comments import threads_by_part
from reviews.enums import OBJECTIVE_TEXT_FIELDS
from reviews.exceptions import ReviewError
from reviews.models import ObjectiveReport
from reviews.views import keep_text_when_logged_out

from . import selectors, synthesis
from .exceptions import PackageError, SynthesisConflict, SynthesisError
from .forms import SynthesisTextForm
from .models import Package, SynthesisComment

AUTOSAVE_STATUS = "reviews/review/_step_parts.html#autosave_status"


def _package(request, pk, **_kwargs) -> Package:
    return get_object_or_404(
        Package.objects.select_related("cycle", "synthesis_final_by").prefetch_related("regions", "mechanisms"), pk=pk
    )


def _part_url(package: Package, number: int | None) -> str:
    if number is None:
        return reverse("packages:synthesis", kwargs={"pk": package.pk})
    return reverse("packages:synthesis_objective", kwargs={"pk": package.pk, "number": number})


def _objective(number: int) -> Objective:
    objective = Objective.objects.filter(number=number).first()
    if objective is None:
        raise Http404(_("The Global Compact has objectives 1 to 23."))
    return objective


def _label(number: int | None) -> str:
    if number is None:
        return _("Executive summary")
    return _("IOM synthesis of objective %(number)s") % {"number": number}


def _steps(package: Package, texts: dict) -> list[dict]:
    """The 23 objectives with how many of the package's reviews report on each and whether IOM wrote on it."""
    reported = dict(
        ObjectiveReport.objects.filter(review__in=selectors.package_reviews(package))
        .values_list("objective__number")
        .annotate(count=Count("pk"))
    )
    return [
        {
            "objective": objective,
            "reports": reported.get(objective.number, 0),
            "written": bool(texts.get(objective.number) and texts[objective.number].text.strip()),
        }
        for objective in Objective.objects.order_by("number")
    ]


def _mechanism_texts(package: Package, number: int | None) -> list[dict]:
    """Each review of the package with its report on the objective and that report's non-empty sections."""
    entries = []
    for review in selectors.synthesis_reviews(package, objective_number=number):
        report = next(iter(review.objective_reports_for), None)
        sections = [
            (capfirst(ObjectiveReport._meta.get_field(name).verbose_name), getattr(report, name))
            for name in OBJECTIVE_TEXT_FIELDS
            if report is not None and getattr(report, name).strip()
        ]
        entries.append({"review": review, "report": report, "sections": sections})
    return entries


def _editor(request, package: Package, number: int | None, *, form=None, conflict=None, draft=None, status=200):
    texts = selectors.synthesis_texts(package)
    current = texts.get(number)
    if form is None:
        form = SynthesisTextForm(
            initial={"text": current.text if current else "", "revision": current.revision if current else 0},
            label=_label(number),
            language=package.language,
        )
    steps = _steps(package, texts)
    context = {
        "package": package,
        "number": number,
        "objective": next((step["objective"] for step in steps if step["objective"].number == number), None),
        "part": synthesis.SUMMARY if number is None else synthesis.objective_part(number),
        "steps": steps,
        "summary_written": bool(texts.get(None) and texts[None].text.strip()),
        "current": current,
        "form": form,
        "conflict": conflict,
        "mechanisms": _mechanism_texts(package, number),
        "synthesis_comments_by_part": threads_by_part(selectors.synthesis_comments(package)),
        "draft": draft or {},
        "is_final": package.synthesis_final_at is not None,
        "previous_number": (number - 1 if number and number > 1 else None),
        "next_number": 1 if number is None else (number + 1 if number < len(steps) else None),
    }
    return render(request, "packages/synthesis/edit.html", context, status=status)


def _autosave(request, *, state, revision=None, message=""):
    return render(request, AUTOSAVE_STATUS, {"state": state, "revision": revision, "message": message})


def _save(request, package: Package, number: int | None):
    objective = _objective(number) if number is not None else None
    form = SynthesisTextForm(request.POST, label=_label(number), language=package.language)
    if not form.is_valid():
        if request.htmx:
            return _autosave(request, state="invalid")
        return _editor(request, package, number, form=form, status=400)
    try:
        saved = synthesis.synthesis_text_save(
            package=package,
            objective=objective,
            text=form.cleaned_data["text"],
            loaded_revision=form.cleaned_data["revision"],
            by=request.user,
        )
    except SynthesisConflict as error:
        if request.htmx:
            return _autosave(request, state="conflict")
        theirs = selectors.synthesis_texts(package).get(number)
        data = request.POST.copy()
        data["revision"] = str(error.current_revision)
        conflict = {
            "message": str(error),
            "theirs": theirs,
            "fields": [(_label(number), theirs.text if theirs else "")],
        }
        form = SynthesisTextForm(data, label=_label(number), language=package.language)
        return _editor(request, package, number, form=form, conflict=conflict, status=409)
    except SynthesisError as error:
        if request.htmx:
            return _autosave(request, state="error", message=str(error))
        messages.error(request, str(error))
        return redirect(_part_url(package, number))
    if request.htmx:
        return _autosave(request, state="saved", revision=saved.revision)
    messages.success(request, _("%(part)s saved.") % {"part": _label(number)})
    if request.POST.get("then") == "next":
        following = 1 if number is None else number + 1
        if following <= synthesis.OBJECTIVE_COUNT:
            return redirect(_part_url(package, following))
        return redirect(package)
    return redirect(_part_url(package, number))


@keep_text_when_logged_out
@permission_required("packages.change_synthesis", fn=_package)
def synthesis_summary(request, pk):
    """The executive summary, beside the key messages of every mechanism the package takes in."""
    package = request.permission_object
    if request.method == "POST":
        return _save(request, package, None)
    return _editor(request, package, None)


@keep_text_when_logged_out
@permission_required("packages.change_synthesis", fn=_package)
def synthesis_objective(request, pk, number):
    """IOM's synthesis of one objective, beside what each mechanism's review says on it."""
    package = request.permission_object
    _objective(number)
    if request.method == "POST":
        return _save(request, package, number)
    return _editor(request, package, number)


@require_POST
@permission_required("packages.change_synthesis", fn=_package)
def synthesis_final(request, pk):
    """Mark the synthesis final (`final=1`) or a draft again (`final=0`)."""
    package = request.permission_object
    try:
        if request.POST.get("final") == "1":
            synthesis.synthesis_mark_final(package=package, by=request.user)
            messages.success(
                request, _("The synthesis is marked final. The next compile prints it without the draft notice.")
            )
        else:
            synthesis.synthesis_mark_draft(package=package, by=request.user)
            messages.info(
                request,
                _("The synthesis is a draft again: you can change it, and reports compiled now say it is a draft."),
            )
    except SynthesisError as error:
        messages.error(request, str(error))
    return redirect(package)


@permission_required("packages.change_synthesis", fn=_package)
def synthesis_history(request, pk):
    """Every saved version of the synthesis: who saved it, when, and which parts it changed."""
    package = request.permission_object
    versions = list(selectors.synthesis_versions(package))
    rows = []
    for version, older in zip(versions, [*versions[1:], None], strict=True):
        before = older.content if older else {"summary": "", "objectives": {}}
        changed = []
        if version.content.get("summary", "") != before.get("summary", ""):
            changed.append(_("Executive summary"))
        numbers = set(version.content.get("objectives", {})) | set(before.get("objectives", {}))
        for key in sorted(numbers, key=int):
            if version.content.get("objectives", {}).get(key, "") != before.get("objectives", {}).get(key, ""):
                changed.append(_("Objective %(number)s") % {"number": key})
        rows.append({"version": version, "changed": changed})
    return render(request, "packages/synthesis/history.html", {"package": package, "rows": rows})


@permission_required("packages.change_synthesis", fn=_package)
def synthesis_version(request, pk, number):
    """The whole synthesis as one version saved it."""
    package = request.permission_object
    version = get_object_or_404(selectors.synthesis_versions(package), number=number)
    objectives = {objective.number: objective for objective in Objective.objects.order_by("number")}
    parts = [
        {"objective": objectives.get(int(key)), "number": int(key), "text": text}
        for key, text in version.content.get("objectives", {}).items()
    ]
    context = {"package": package, "version": version, "summary": version.content.get("summary", ""), "parts": parts}
    return render(request, "packages/synthesis/version.html", context)


def _back(request, package: Package, part: str):
    anchor = "comments-" + part.replace(":", "-")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target + (f"#{anchor}" if "#" not in target else ""))
    number = None if part == synthesis.SUMMARY else int(part.split(":")[1])
    return redirect(_part_url(package, number) + f"#{anchor}")


def _comment_error(request, package: Package, error, *, part: str, body: str, reply_to=None):
    """The editor of the part again, with what was typed kept in its comment form and what is wrong."""
    messages.error(request, str(error))
    try:
        number = synthesis.part_objective(part)
    except SynthesisError:
        number = None
    part = synthesis.SUMMARY if number is None else synthesis.objective_part(number)
    return _editor(request, package, number, draft={"part": part, "body": body, "reply_to": reply_to}, status=400)


@require_POST
@permission_required("packages.comment_synthesis", fn=_package)
def synthesis_comment_add(request, pk):
    package = request.permission_object
    part, body = request.POST.get("part", ""), request.POST.get("body", "")
    try:
        comment = synthesis.synthesis_comment_add(package=package, part=part, body=body, by=request.user)
    except (PackageError, ReviewError) as error:
        return _comment_error(request, package, error, part=part, body=body)
    messages.success(request, _("Comment added."))
    return _back(request, package, comment.part)


def _comment_package(request, comment_pk):
    comment = get_object_or_404(SynthesisComment.objects.select_related("package"), pk=comment_pk)
    request.synthesis_comment = comment
    return _package(request, comment.package_id)


@require_POST
@permission_required("packages.comment_synthesis", fn=_comment_package)
def synthesis_comment_reply(request, comment_pk):
    package, parent = request.permission_object, request.synthesis_comment
    body = request.POST.get("body", "")
    try:
        synthesis.synthesis_comment_reply(parent=parent, body=body, by=request.user)
    except (PackageError, ReviewError) as error:
        return _comment_error(request, package, error, part=parent.part, body=body, reply_to=parent.pk)
    messages.success(request, _("Reply sent."))
    return _back(request, package, parent.part)


@require_POST
@permission_required("packages.comment_synthesis", fn=_comment_package)
def synthesis_comment_resolve(request, comment_pk):
    package, comment = request.permission_object, request.synthesis_comment
    try:
        synthesis.synthesis_comment_resolve(comment=comment, by=request.user)
    except PackageError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Comment marked resolved."))
    return _back(request, package, comment.part)
