import uuid
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import permission_required
from reviews.models import Review

from . import selectors, services
from .exceptions import PackageError
from .forms import CompileForm, PackageForm, PackageLanguageForm
from .pdf import render_review_pdf

DETAIL_TEMPLATE = "packages/package/detail.html"


@permission_required("packages.view_package")
def package_list(request):
    return render(request, "packages/package/list.html", {"packages": selectors.package_list()})


@permission_required("packages.add_package")
def package_create(request):
    form = PackageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        package = services.package_create(
            cycle=form.cleaned_data["cycle"],
            title=form.cleaned_data["title"],
            foreword=form.cleaned_data["foreword"],
            regions=form.cleaned_data["regions"],
            mechanisms=form.cleaned_data["mechanisms"],
            language=form.cleaned_data["language"],
            by=request.user,
        )
        messages.success(request, _("Package created. Compile it to get the PDF report and the data package."))
        return redirect(package)
    return render(request, "packages/package/create.html", {"form": form})


@permission_required("packages.view_package")
def package_detail(request, pk):
    package = get_object_or_404(selectors.package_detail(pk).select_related("synthesis_final_by"))
    versions = list(package.versions.all())
    reviews = list(selectors.package_reviews(package).select_related("mechanism"))
    context = {
        "package": package,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "reviews": reviews,
        "has_reviews": bool(reviews),
        "compile_form": _compile_form(),
        "language_form": PackageLanguageForm(initial={"language": package.language}),
        "synthesis": selectors.synthesis_overview(package),
    }
    return render(request, DETAIL_TEMPLATE, context)


def _compile_form() -> CompileForm:
    return CompileForm(initial={"request_token": uuid.uuid4()})


@require_POST
@permission_required("packages.compile_package")
def version_compile(request, pk):
    package = get_object_or_404(selectors.package_detail(pk))
    form = CompileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The compile request was incomplete; please try again."))
        return redirect(package)
    try:
        version, created = services.version_request(
            package=package, by=request.user, request_token=form.cleaned_data["request_token"]
        )
    except PackageError as error:
        messages.error(request, str(error))
        return redirect(package)
    if created:
        messages.info(request, _("Version %(number)s is queued for compiling.") % {"number": version.number})
    return redirect(package)


@require_POST
@permission_required("packages.compile_package")
def package_language(request, pk):
    """Choose the language of the next compile's report."""
    package = get_object_or_404(selectors.package_detail(pk))
    form = PackageLanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose English, French or Spanish for the report."))
        return redirect(package)
    try:
        services.package_set_language(package=package, language=form.cleaned_data["language"], by=request.user)
    except PackageError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The next version will be written in %(language)s.") % {"language": package.get_language_display()},
        )
    return redirect(package)


@require_POST
@permission_required("packages.compile_package")
def version_retry(request, pk, number):
    version = get_object_or_404(selectors.package_version(pk, number))
    try:
        services.version_retry(version=version, by=request.user)
    except PackageError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Version %(number)s is queued again.") % {"number": version.number})
    return redirect(version.package)


@permission_required("packages.view_package")
def version_progress(request, pk, number):
    """The live state of one version: an HTML fragment for htmx polling, or JSON with ?format=json."""
    version = get_object_or_404(selectors.package_version(pk, number))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "number": version.number,
                "status": version.status,
                "progress": version.progress,
                "step": version.current_step,
                "parts_done": version.parts_done,
                "parts_total": version.parts_total,
                "error": version.error,
                "pages": version.pdf_pages,
                "requested_at": version.requested_at.isoformat(),
                "recoveries": version.recoveries,
            }
        )
    context = {"package": version.package, "latest": version}
    html = render_to_string(f"{DETAIL_TEMPLATE}#progress", context, request)
    if not version.is_active:
        # Finished: polling stops here, so bring the versions table and the compile button up to date too.
        context |= {
            "versions": list(selectors.package_versions(pk)),
            "has_reviews": selectors.package_reviews(version.package).exists(),
            "compile_form": _compile_form(),
            "oob": True,
        }
        html += render_to_string(f"{DETAIL_TEMPLATE}#versions", context, request)
        html += render_to_string(f"{DETAIL_TEMPLATE}#compile", context, request)
    return HttpResponse(html)


def _serve(version, field, content_type):
    file = getattr(version, field)
    if not file.name:
        raise Http404(_("This version has no file yet."))
    try:
        handle = file.open("rb")
    except (FileNotFoundError, SuspiciousFileOperation) as error:
        raise Http404(_("The file is missing.")) from error
    filename = PurePosixPath(file.name).name
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@permission_required("packages.download_package")
def version_pdf(request, pk, number):
    return _serve(get_object_or_404(selectors.package_version(pk, number)), "pdf", "application/pdf")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@permission_required("packages.download_package")
def version_docx(request, pk, number):
    return _serve(get_object_or_404(selectors.package_version(pk, number)), "docx", DOCX)


@permission_required("packages.download_package")
def version_zip(request, pk, number):
    return _serve(get_object_or_404(selectors.package_version(pk, number)), "zip", "application/zip")


def _review(request, review_id):
    return get_object_or_404(Review.objects.select_related("mechanism", "cycle"), pk=review_id)


@permission_required("packages.download_review_pdf", fn=_review)
def review_pdf(request, review_id):
    """One review as a PDF, rendered on the spot with the report's templates (one review is small)."""
    review = get_object_or_404(selectors.review_for_pdf(review_id))
    pdf = render_review_pdf(selectors.review_pdf_snapshot(review))
    filename = f"{slugify(review.mechanism.acronym)}-{review.cycle.slug}-review.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
