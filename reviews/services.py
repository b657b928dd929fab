"""Writes of the reviews app: one function per business action, each in a transaction, each keeping history."""

import hashlib
import uuid
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gcm.models import Objective
from iscm_portal import page_cache

from .comments import comment_add, part_validate
from .enums import EDITABLE_STATUSES, OBJECTIVE_TEXT_FIELDS, ReviewStatus
from .exceptions import ReviewError, ReviewNotEditable
from .models import Attachment, Comment, ObjectiveReport, Review, ReviewCycle, ReviewMeeting, ReviewVersion, WordImport
from .rules import can_add_word_comments, can_comment, can_import_word
from .selectors import objectives_all
from .signals import review_content_changed
from .validators import attachment_file_check
from .versions import review_version_for_word, review_version_record
from .word import WordFileRefused, review_word_document, word_document_read, word_file_check
from .word_preview import WordImportPreview, word_import_preview
from .workflow import review_transition

OVERVIEW_FIELDS = ("language", "method", "mandate", "stakeholders_consulted", "partnerships", "key_messages")


class EditConflict(ReviewError):
    """Someone saved the same part since this form was loaded; nothing was written."""

    def __init__(self, message: str, *, current_revision: int):
        super().__init__(message)
        self.current_revision = current_revision


class ReviewAlreadyExists(ReviewError):
    """The mechanism already has a review in this cycle."""


class NoPreviousReview(ReviewError):
    """There is no approved review of the previous cycle to start from."""


def _conflict_message() -> str:
    return _(
        "Someone else saved this part while you were editing it. Your text has not been saved, but it is kept "
        "in the form below; the version they saved is shown above it. Merge what you need and save again."
    )


def _ensure_editable(review: Review) -> None:
    if review.status not in EDITABLE_STATUSES:
        raise ReviewNotEditable(
            _("This review is “%(status)s”, so its content cannot be changed now.")
            % {"status": review.get_status_display()}
        )


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().only("status").get(pk=review.pk)


def _record_version(review: Review, by, imported_from: str = "") -> ReviewVersion:
    """Keep history in the save's transaction, from the database's state (read under the review's lock),
    and tell listeners (the practice library's index) once the change is committed."""
    version = review_version_record(review=review, by=by, imported_from=imported_from)
    review_id = review.pk
    transaction.on_commit(lambda: review_content_changed.send(sender=Review, review_id=review_id), robust=True)
    return version


def review_create(*, mechanism, cycle: ReviewCycle, by, language: str = "en") -> Review:
    """Start an empty draft for a mechanism in a cycle (one per mechanism and cycle)."""
    try:
        with transaction.atomic():
            review = Review.objects.create(mechanism=mechanism, cycle=cycle, language=language)
            _record_version(review, by)
    except IntegrityError as error:
        raise ReviewAlreadyExists(
            _("%(mechanism)s already has a review for %(cycle)s.") % {"mechanism": mechanism, "cycle": cycle}
        ) from error
    page_cache.content_changed(page_cache.REVIEWS)
    return review


def previous_approved_review(*, mechanism, cycle: ReviewCycle) -> Review | None:
    """The mechanism's approved review of the latest cycle before this one, if any."""
    return (
        Review.objects.filter(
            mechanism=mechanism, status=ReviewStatus.APPROVED, cycle__review_year__lt=cycle.review_year
        )
        .order_by("-cycle__review_year")
        .first()
    )


def review_start_from_previous(*, mechanism, cycle: ReviewCycle, by) -> Review:
    """A new draft carrying the text of the mechanism's approved review of the previous cycle.

    Copied: language, the overview texts, States that took part, stakeholders, and every objective report
    with its guiding principles, each marked as copied and not checked yet (not ready for submission until
    the secretariat edits it or confirms it). Not copied: meetings (they belong to the earlier round) and attachments
    (their files describe the earlier period). The earlier review is only read, never changed.
    """
    previous = previous_approved_review(mechanism=mechanism, cycle=cycle)
    if previous is None:
        raise NoPreviousReview(_("There is no approved review of an earlier cycle to start from."))
    try:
        with transaction.atomic():
            review = Review.objects.create(
                mechanism=mechanism,
                cycle=cycle,
                started_from=previous,
                overview_copy_unchecked=True,
                **{name: getattr(previous, name) for name in OVERVIEW_FIELDS},
            )
            review.participating_states.set(previous.participating_states.all())
            old_reports = list(previous.objective_reports.prefetch_related("guiding_principles"))
            new_reports = ObjectiveReport.objects.bulk_create(
                ObjectiveReport(
                    review=review,
                    objective_id=report.objective_id,
                    is_regional_priority=report.is_regional_priority,
                    copy_unchecked=True,
                    updated_by=by,
                    **{name: getattr(report, name) for name in OBJECTIVE_TEXT_FIELDS},
                )
                for report in old_reports
            )
            through = ObjectiveReport.guiding_principles.through
            through.objects.bulk_create(
                through(objectivereport_id=new.pk, guidingprinciple_id=principle.pk)
                for old, new in zip(old_reports, new_reports, strict=True)
                for principle in old.guiding_principles.all()
            )
            _record_version(review, by)
    except IntegrityError as error:
        raise ReviewAlreadyExists(
            _("%(mechanism)s already has a review for %(cycle)s.") % {"mechanism": mechanism, "cycle": cycle}
        ) from error
    page_cache.content_changed(page_cache.REVIEWS)
    return review


def review_overview_update(*, review: Review, data: dict, meetings: list[dict], loaded_revision: int, by) -> Review:
    """Save the overview and its meetings if nobody saved it since `loaded_revision`; else EditConflict."""
    _ensure_editable(review)
    fields = {name: data[name] for name in OVERVIEW_FIELDS if name in data}
    with transaction.atomic():
        rows = Review.objects.filter(pk=review.pk, status__in=EDITABLE_STATUSES, revision=loaded_revision)
        # Saving the overview is checking it: a copied overview stops counting as unchecked.
        updated = rows.update(revision=F("revision") + 1, overview_copy_unchecked=False, **fields)
        if not updated:
            current = Review.objects.get(pk=review.pk)
            _ensure_editable(current)
            raise EditConflict(_conflict_message(), current_revision=current.revision)
        if "participating_states" in data:
            review.participating_states.set(data["participating_states"])
        review.meetings.all().delete()
        ReviewMeeting.objects.bulk_create(
            ReviewMeeting(review=review, title=m["title"], held_on=m["held_on"], place=m.get("place", ""))
            for m in meetings
        )
        _record_version(review, by)
    review.refresh_from_db()
    return review


def objective_report_save(
    *, review: Review, objective: Objective, data: dict, loaded_revision: int, by
) -> ObjectiveReport | None:
    """Write what the review says about one objective; an emptied report is removed.

    `loaded_revision` is 0 for an objective that had no report when the form was loaded.
    """
    _ensure_editable(review)
    fields = {name: data.get(name, "") for name in OBJECTIVE_TEXT_FIELDS}
    fields["is_regional_priority"] = bool(data.get("is_regional_priority"))
    principles = list(data.get("guiding_principles") or [])
    is_empty = (
        not principles
        and not fields["is_regional_priority"]
        and not any(v.strip() for v in fields.values() if isinstance(v, str))
    )
    report = None
    try:
        with transaction.atomic():
            # Locks the review row, so a submission cannot slip in between this check and the write.
            _ensure_editable(_locked(review))
            rows = ObjectiveReport.objects.filter(review=review, objective=objective, revision=loaded_revision)
            if loaded_revision == 0:
                if not is_empty:
                    report = ObjectiveReport.objects.create(
                        review=review, objective=objective, updated_by=by, revision=1, **fields
                    )
            elif is_empty:
                if not rows.delete()[0]:
                    raise IntegrityError("stale")
            else:
                if not rows.update(revision=F("revision") + 1, updated_by=by, copy_unchecked=False, **fields):
                    raise IntegrityError("stale")
                report = ObjectiveReport.objects.get(review=review, objective=objective)
            if report is not None:
                report.guiding_principles.set(principles)
            _record_version(review, by)
    except IntegrityError as error:
        current = ObjectiveReport.objects.filter(review=review, objective=objective).first()
        raise EditConflict(_conflict_message(), current_revision=current.revision if current else 0) from error
    return report


def attachment_add(*, review: Review, upload, description: str, by) -> Attachment:
    """Check the file by its content, store it under a random name outside the web root, keep history."""
    _ensure_editable(review)
    checked = attachment_file_check(upload)
    upload.seek(0)
    data = upload.read()
    attachment = Attachment(
        review=review,
        original_name=upload.name[:255],
        description=description,
        content_type=checked.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    attachment.file.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            _ensure_editable(_locked(review))
            attachment.save()
            _record_version(review, by)
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, by) -> None:
    review = attachment.review
    _ensure_editable(review)
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        _ensure_editable(_locked(review))
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
        _record_version(review, by)


class NotCopied(ReviewError):
    """The part was not copied from the previous cycle, or was checked already."""


def review_copied_part_confirm(*, review: Review, part: str, by) -> None:
    """The secretariat keeps a part copied from the previous cycle as it is ("Checked, keep it").

    `part` is "overview" or "objective:<number>". The text does not change, so no version is recorded.
    """
    _ensure_editable(review)
    with transaction.atomic():
        _ensure_editable(_locked(review))
        if part == "overview":
            changed = Review.objects.filter(pk=review.pk, overview_copy_unchecked=True).update(
                overview_copy_unchecked=False
            )
        else:
            kind, _sep, number = part.partition(":")
            changed = (
                ObjectiveReport.objects.filter(
                    review=review, objective__number=int(number), copy_unchecked=True
                ).update(copy_unchecked=False, updated_by=by)
                if kind == "objective" and number.isdigit()
                else 0
            )
        if not changed:
            raise NotCopied(_("This part has nothing copied left to check."))
        # The editor's steps and completeness panel (cached fragments) mark the part as checked from now on.
        page_cache.content_changed(page_cache.REVIEW_ACTIVITY)


def review_submit(*, review: Review, by):
    """Hand the review to IOM; the workflow checks completeness and freezes the content."""
    return review_transition(review=review, action="submit", by=by)


def review_cycle_save(*, form) -> ReviewCycle:
    """Create or update a cycle from its validated form."""
    cycle = form.save()
    page_cache.content_changed(page_cache.REVIEWS)
    return cycle


class WordImportNotAllowed(ReviewError):
    """This user may not upload a Word document into this review in its status."""


class WordImportStale(ReviewError):
    """The review changed since the preview was shown, or the upload was applied already: nothing was written."""


class WordImportEmpty(ReviewError):
    """Nothing was chosen to apply."""


def review_word_export(*, review: Review, by) -> tuple[bytes, str]:
    """The review as a Word document (bytes, file name), made from its current version, which is kept as it is
    so that the upload can later be compared with exactly what the file was made from."""
    version = review_version_for_word(review=review, by=by)
    data = review_word_document(
        review=review,
        content=version.content,
        version_number=version.number,
        version_hash=version.content_hash,
        objectives=objectives_all(),
    )
    name = f"{slugify(review.mechanism.acronym) or 'review'}-{review.cycle.slug}-v{version.number}.docx"
    return data, name


def word_import_upload(*, review: Review, upload, by) -> WordImport:
    """Check and read an uploaded Word document, and keep it (file and what it says) until it is applied.

    Refused files raise WordFileRefused and leave nothing behind. The uploader's earlier pending uploads of this
    review are dropped: one pending upload per person and review.
    """
    if not can_import_word(by, review):
        raise WordImportNotAllowed(
            _(
                "Word documents can be uploaded by the review's secretariat while it may edit the review, and by IOM "
                "while the review is with IOM. This review is “%(status)s”."
            )
            % {"status": review.get_status_display()}
        )
    data = word_file_check(upload)
    read = word_document_read(data, review=review)
    base = ReviewVersion.objects.filter(review=review, number=read.version_number).only("content_hash").first()
    if base is None:
        raise WordFileRefused(
            _(
                "This Word document was made from a version this review does not have. Download the review as Word "
                "again and copy your text into it."
            )
        )
    word_import = WordImport(
        review=review,
        token=uuid.uuid4(),
        original_name=(upload.name or "review.docx")[-255:],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        base_version=read.version_number,
        base_hash=read.version_hash,
        parsed={
            "parts": read.parts,
            "comments": [asdict(comment) for comment in read.comments],
            "warnings": read.warnings,
        },
        uploaded_by=by,
    )
    word_import.file.save(f"{uuid.uuid4().hex}.docx", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            earlier = list(
                WordImport.objects.filter(review=review, uploaded_by=by, applied_version__isnull=True, applied_at=None)
            )
            for pending in earlier:
                storage, name = pending.file.storage, pending.file.name
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
                pending.delete()
            word_import.save()
    except Exception:
        word_import.file.delete(save=False)
        raise
    return word_import


def word_import_apply(
    *, word_import: WordImport, taken: set[str], kept_comments: set[int], seen_online_hash: str, by
) -> WordImportPreview:
    """Write the parts chosen in the preview and keep the comments chosen, as ONE version "imported from Word".

    Refused with nothing written when the review changed since the preview (`seen_online_hash`), when the upload
    was applied already, or when the user may no longer import into the review.
    """
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("mechanism", "cycle").get(pk=word_import.review_id)
        word_import = WordImport.objects.select_for_update().get(pk=word_import.pk)
        if not can_import_word(by, review):
            raise WordImportNotAllowed(
                _("This review is “%(status)s”: the Word document can no longer be applied.")
                % {"status": review.get_status_display()}
            )
        if word_import.applied_at is not None:
            raise WordImportStale(_("This Word document was applied already; see the review's history."))
        preview = word_import_preview(word_import=word_import, review=review)
        if preview.online_hash != seen_online_hash:
            raise WordImportStale(
                _(
                    "The review changed online since you saw this preview, so nothing was applied. "
                    "Look at the preview again: it now compares with the latest text."
                )
            )
        changes = [change for change in preview.changes if change.part.key in taken]
        comments = [comment for comment in preview.comments if comment.id in kept_comments]
        if not changes and not comments:
            raise WordImportEmpty(_("Nothing was chosen: tick the parts or comments to take, then apply."))
        version = None
        if changes:
            _ensure_editable(review)
            overview = {change.part.field: change.uploaded for change in changes if not change.part.objective}
            if overview:
                # Edited from Word: a part copied from the previous cycle counts as checked, as when edited online.
                Review.objects.filter(pk=review.pk).update(
                    revision=F("revision") + 1, overview_copy_unchecked=False, **overview
                )
            by_objective: dict[int, dict] = {}
            for change in changes:
                if change.part.objective:
                    by_objective.setdefault(change.part.objective, {})[change.part.field] = change.uploaded
            objectives = {o.number: o for o in Objective.objects.filter(number__in=by_objective)}
            for number, fields in by_objective.items():
                rows = ObjectiveReport.objects.filter(review=review, objective=objectives[number])
                if not rows.update(revision=F("revision") + 1, updated_by=by, copy_unchecked=False, **fields):
                    ObjectiveReport.objects.create(
                        review=review, objective=objectives[number], updated_by=by, revision=1, **fields
                    )
            version = _record_version(review, by, imported_from=word_import.original_name)
        if comments:
            if not can_add_word_comments(by, review):
                raise WordImportNotAllowed(_("You may not add comments to this review now."))
            for comment in comments:
                body = _("Word comment by %(author)s: %(text)s") % {
                    "author": comment.author or "?",
                    "text": comment.text,
                }
                part = part_validate(review=review, part=comment.part)
                if can_comment(by, review):
                    comment_add(review=review, part=part, body=body[:5000], by=by)
                else:
                    Comment.objects.create(review=review, part=part, author=by, body=body[:5000])
        word_import.applied_version = version
        word_import.applied_at = timezone.now()
        word_import.save(update_fields=["applied_version", "applied_at"])
    preview.version = version
    return preview
