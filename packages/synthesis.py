"""IOM's synthesis of a package: the executive summary and one text per objective across the mechanisms.

Writes only (reads are in selectors.py). Every save locks the package row, checks the synthesis is not
marked final and the form's revision is current, writes, and records the whole synthesis as a version
(iscm_portal/content_versions.py) under the same lock, so the latest version is always what is stored.
Comments are threads like a review's (reviews/comments.py owns how a comment is checked and grouped).
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iscm_portal.content_versions import content_version_record
from reviews.comments import comment_body_clean

from .exceptions import SynthesisConflict, SynthesisError
from .models import Package, SynthesisComment, SynthesisText, SynthesisVersion
from .selectors import synthesis_serialise

SUMMARY = "summary"
OBJECTIVE_COUNT = 23
# Far beyond any executive summary (about 60 pages of text); a longer paste is refused with a message.
MAX_SYNTHESIS_LENGTH = 200_000
_PART = re.compile(r"^(summary|objective:(?P<objective>\d{1,2}))$")


def objective_part(number: int) -> str:
    return f"objective:{number}"


def part_objective(part: str) -> int | None:
    """The objective number of a part key ("objective:6" gives 6), None for the summary; SynthesisError if
    the key names no part of a synthesis."""
    match = _PART.match((part or "").strip())
    if not match:
        raise SynthesisError(_("Choose which part of the synthesis the comment is about."))
    if match["objective"] is None:
        return None
    number = int(match["objective"])
    if not 1 <= number <= OBJECTIVE_COUNT:
        raise SynthesisError(_("The Global Compact has objectives 1 to 23."))
    return number


def part_label(part: str) -> str:
    number = part_objective(part)
    if number is None:
        return _("Executive summary")
    return _("Objective %(number)s") % {"number": number}


def _locked(package: Package) -> Package:
    return Package.objects.select_for_update().get(pk=package.pk)


def _ensure_draft(package: Package) -> None:
    if package.synthesis_final_at is not None:
        raise SynthesisError(
            _("The synthesis is marked final. Mark it as a draft again on the package page to change it.")
        )


def _version_record(package: Package, by, *, seal: bool = False) -> SynthesisVersion:
    """Keep the synthesis as a version; call with the package row locked, in the save's transaction."""
    return content_version_record(
        versions=SynthesisVersion.objects.filter(package=package),
        owner={"package": package},
        content=synthesis_serialise(package.pk),
        by=by,
        seal=seal,
    )


def synthesis_text_save(*, package: Package, objective, text: str, loaded_revision: int, by) -> SynthesisText:
    """Write the executive summary (`objective` None) or the synthesis of one objective.

    Refused with SynthesisConflict if someone saved this part since the form was loaded at `loaded_revision`
    (0 for a part never saved), with SynthesisError while the synthesis is marked final.
    """
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_SYNTHESIS_LENGTH:
        raise SynthesisError(
            _("Keep this text under %(limit)s characters (it has %(length)s).")
            % {"limit": f"{MAX_SYNTHESIS_LENGTH:,}", "length": f"{len(text):,}"}
        )
    with transaction.atomic():
        locked = _locked(package)
        _ensure_draft(locked)
        current = SynthesisText.objects.filter(package=locked, objective=objective).first()
        if (current.revision if current else 0) != loaded_revision:
            raise SynthesisConflict(
                _(
                    "Someone else saved this part while you were editing it. Your text has not been saved, but it "
                    "is kept in the form below; the version they saved is shown above it. Merge what you need and "
                    "save again."
                ),
                current_revision=current.revision if current else 0,
            )
        if current is None:
            current = SynthesisText.objects.create(
                package=locked, objective=objective, text=text, revision=1, updated_by=by
            )
        elif current.text != text:
            current.text, current.updated_by = text, by
            current.revision += 1
            current.save(update_fields=["text", "revision", "updated_by", "updated_at"])
        _version_record(locked, by)
    return current


def synthesis_mark_final(*, package: Package, by) -> Package:
    """Mark the synthesis final: the next compile prints it without the draft notice; edits wait until it is
    marked a draft again. The executive summary must be written first."""
    with transaction.atomic():
        locked = _locked(package)
        if locked.synthesis_final_at is not None:
            return locked
        if not synthesis_serialise(locked.pk)["summary"]:
            raise SynthesisError(_("Write the executive summary before marking the synthesis final."))
        locked.synthesis_final_at, locked.synthesis_final_by = timezone.now(), by
        locked.save(update_fields=["synthesis_final_at", "synthesis_final_by"])
        _version_record(locked, by, seal=True)
    return locked


def synthesis_mark_draft(*, package: Package, by) -> Package:
    """Open a final synthesis for changes again; reports compiled from now on carry the draft notice."""
    with transaction.atomic():
        locked = _locked(package)
        if locked.synthesis_final_at is None:
            return locked
        locked.synthesis_final_at, locked.synthesis_final_by = None, None
        locked.save(update_fields=["synthesis_final_at", "synthesis_final_by"])
    return locked


def _ensure_may_comment(package: Package, by) -> None:
    if not by.has_perm("packages.comment_synthesis", package):
        raise SynthesisError(_("You may not comment on this synthesis."))


def synthesis_comment_add(*, package: Package, part: str, body: str, by) -> SynthesisComment:
    """Open a comment thread on the executive summary or on the synthesis of one objective."""
    body = comment_body_clean(body)
    _ensure_may_comment(package, by)
    number = part_objective(part)
    part = SUMMARY if number is None else objective_part(number)
    return SynthesisComment.objects.create(package=package, part=part, author=by, body=body)


def synthesis_comment_reply(*, parent: SynthesisComment, body: str, by) -> SynthesisComment:
    body = comment_body_clean(body)
    if parent.parent_id is not None:
        parent = parent.parent
    _ensure_may_comment(parent.package, by)
    return SynthesisComment.objects.create(
        package_id=parent.package_id, part=parent.part, parent=parent, author=by, body=body
    )


def synthesis_comment_resolve(*, comment: SynthesisComment, by) -> SynthesisComment:
    """Mark a thread as dealt with; resolving twice changes nothing."""
    if comment.parent_id is not None:
        raise SynthesisError(_("Only a comment, not a reply, can be marked resolved."))
    _ensure_may_comment(comment.package, by)
    SynthesisComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    comment.refresh_from_db()
    return comment
