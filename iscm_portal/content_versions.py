"""Versions of edited content: one snapshot per save, coalesced while one person keeps typing.

How the portal keeps history of a text that is saved often: IOM's synthesis of a package (packages/synthesis.py)
and a review (reviews/versions.py, whose Word exports and imports are marks that keep a version as it is). The
caller locks the row the content belongs to and reads the content under that lock, in the save's transaction:
concurrent saves then take their turn, each version number is taken once, and the latest version is always what
is stored.

A version model has `number`, `content`, `content_hash`, `created_by`, `created_at` and `sealed` fields.
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.utils import timezone

# Autosaves by the same person within this window update their open version instead of adding one.
COALESCE_WINDOW = datetime.timedelta(minutes=15)


def content_hash(content: dict) -> str:
    """SHA-256 of serialised content. The canonical JSON is the one stored versions were hashed with."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def content_version_record(
    *,
    versions: QuerySet,
    owner: dict,
    content: dict,
    by,
    seal: bool = False,
    fields: dict | None = None,
    mark: dict | None = None,
    marked: Callable[[Model], bool] | None = None,
) -> Model:
    """Keep `content` as the latest of `versions` (a queryset of one owner's versions); unchanged content adds
    nothing. `owner` names the owner on a new version (`{"review": review}`), `fields` are other fields the
    version records of the moment (the review's status). A sealed version (a workflow step, a synthesis marked
    final) stays as it is: later edits start a new one. So does a version `marked` says is marked (a review's
    version a Word document was made from or came from); a save with a `mark` (the fields marking it, such as the
    Word document it was imported from) is a new version of its own. Call it with the owner's row locked."""
    fields = fields or {}
    digest = content_hash(content)
    now = timezone.now()
    latest = versions.order_by("-number").first()
    if latest and latest.content_hash == digest:
        if seal and not latest.sealed:
            latest.sealed = True
            for name, value in fields.items():
                setattr(latest, name, value)
            latest.save(update_fields=["sealed", *fields])
        return latest
    if (
        latest
        and not latest.sealed
        and not (marked and marked(latest))
        and not seal
        and not mark
        and latest.created_by_id == getattr(by, "pk", None)
        and now - latest.created_at < COALESCE_WINDOW
    ):
        latest.content, latest.content_hash = content, digest
        for name, value in fields.items():
            setattr(latest, name, value)
        latest.save(update_fields=["content", "content_hash", *fields])
        return latest
    return versions.model.objects.create(
        **owner,
        number=(latest.number + 1) if latest else 1,
        content=content,
        content_hash=digest,
        created_by=by,
        created_at=now,
        sealed=seal,
        **fields,
        **(mark or {}),
    )
