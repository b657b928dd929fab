"""The Word round trip: download a review as a .docx, upload it back, preview what it changes, apply it.

The writes and the reading of the file are in reviews/services.py and reviews/word.py; a pending upload is a
`WordImport` (its file kept through Django's storage) reached by an unguessable token, only by who uploaded it.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import permission_required

from . import services
from .exceptions import ReviewError
from .forms import WordUploadForm
from .models import Review, WordImport
from .word import WORD_CONTENT_TYPE, WordFileRefused
from .word_preview import word_import_preview


def _load_review(request, pk, **kwargs) -> Review:
    return get_object_or_404(Review.objects.select_related("mechanism", "cycle"), pk=pk)


def _load_pending(request, pk, token) -> Review:
    review = _load_review(request, pk)
    request.word_import = get_object_or_404(
        WordImport, review=review, token=token, uploaded_by_id=getattr(request.user, "pk", None)
    )
    return review


@require_GET
@permission_required("reviews.download_review_word", fn=_load_review)
def review_word_download(request, pk):
    data, name = services.review_word_export(review=request.permission_object, by=request.user)
    response = HttpResponse(data, content_type=WORD_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("reviews.import_review_word", fn=_load_review)
def review_word_upload(request, pk):
    review = request.permission_object
    form = WordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            word_import = services.word_import_upload(review=review, upload=form.cleaned_data["file"], by=request.user)
        except WordFileRefused as error:
            form.add_error("file", str(error))
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect(review)
        else:
            return redirect("reviews:review_word_preview", pk=review.pk, token=word_import.token)
    status = 400 if form.errors else 200
    return render(request, "reviews/word/upload.html", {"review": review, "form": form}, status=status)


@permission_required("reviews.import_review_word", fn=_load_pending)
def review_word_preview(request, pk, token):
    review, word_import = request.permission_object, request.word_import
    if word_import.applied_at is not None:
        messages.info(request, _("This Word document was applied already; its version is in the history."))
        return redirect("reviews:review_workflow", pk=review.pk)
    status = 200
    can_change_text = request.user.has_perm("reviews.change_review", review)
    if request.method == "POST":
        kept_comments = {int(value) for value in request.POST.getlist("keep_comment") if value.isdigit()}
        try:
            applied = services.word_import_apply(
                word_import=word_import,
                # Who may not change the text (IOM, while the review is with it) brings in comments only.
                taken=set(request.POST.getlist("take")) if can_change_text else set(),
                kept_comments=kept_comments,
                seen_online_hash=request.POST.get("online_hash", ""),
                by=request.user,
            )
        except (services.WordImportStale, services.WordImportEmpty) as error:
            messages.error(request, str(error))
            status = 409 if isinstance(error, services.WordImportStale) else 400
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect(review)
        else:
            if applied.version is not None:
                messages.success(
                    request,
                    _("Imported from Word “%(name)s” as version %(number)s.")
                    % {"name": word_import.original_name, "number": applied.version.number},
                )
            else:
                messages.success(request, _("The comments from the Word document were added."))
            return redirect("reviews:review_workflow", pk=review.pk)
    preview = word_import_preview(word_import=word_import, review=review)
    context = {
        "review": review,
        "preview": preview,
        "can_change_text": can_change_text,
    }
    return render(request, "reviews/word/preview.html", context, status=status)


def _load_applied(request, pk, token) -> Review:
    review = _load_review(request, pk)
    request.word_import = get_object_or_404(WordImport, review=review, token=token, applied_at__isnull=False)
    return review


@permission_required("reviews.view_review_workflow", fn=_load_applied)
def review_word_file(request, pk, token):
    """The Word document a version was imported from, as it was uploaded."""
    word_import = request.word_import
    try:
        handle = word_import.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=word_import.original_name, content_type=WORD_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
