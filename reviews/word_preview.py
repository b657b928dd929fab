"""What applying an uploaded Word document would change: the preview, part by part, with its conflicts.

Each text part is compared three ways, by what a reader sees (two texts that read the same are equal, see
`reviews.word.canonical_text`): the version the document was made from (the base), the review online now, and
the document. A part the document did not change is left out, whatever happened online. A part it changed is a
change when nothing changed online since, and a conflict when the part changed online too (by autosave or
another person): conflicts are not taken unless the person ticks them. When the base cannot be found as it
was, every part where the document and the review differ is a conflict: nothing online is overwritten unseen.
"""

from dataclasses import dataclass, field

from .comments import part_label as comment_part_label
from .compare import DiffRow, field_diff
from .models import Review, ReviewVersion, WordImport
from .serialisation import content_hash, review_serialise_current
from .word import Part, canonical_text, part_label, part_values, review_parts


@dataclass
class PartChange:
    part: Part
    label: str
    conflict: bool
    online: str
    uploaded: str
    diff: DiffRow  # online now (left) against the document (right)
    base: str | None = None
    online_since_base: DiffRow | None = None  # conflicts: what changed online since the download
    uploaded_since_base: DiffRow | None = None  # conflicts: what the document changed

    @property
    def checked(self) -> bool:
        return not self.conflict


@dataclass
class PreviewComment:
    id: int
    part: str
    part_label: str
    author: str
    text: str


@dataclass
class WordImportPreview:
    word_import: WordImport
    changes: list[PartChange]
    comments: list[PreviewComment]
    warnings: list[str]
    online_hash: str
    base_known: bool
    version: ReviewVersion | None = None
    extra: dict = field(default_factory=dict)

    @property
    def conflicts(self) -> list[PartChange]:
        return [change for change in self.changes if change.conflict]


def word_import_preview(*, word_import: WordImport, review: Review) -> WordImportPreview:
    """The preview of `word_import` against `review` as it is now."""
    online_content = review_serialise_current(review)
    online = part_values(online_content)
    base_version = ReviewVersion.objects.filter(review=review, number=word_import.base_version).first()
    base_known = base_version is not None and base_version.content_hash == word_import.base_hash
    base = part_values(base_version.content) if base_known else None
    uploaded = word_import.parsed.get("parts", {})
    language = review.language
    changes = []
    for part in review_parts():
        new = canonical_text(uploaded.get(part.key, ""))
        now = canonical_text(online[part.key])
        if new == now:
            continue
        if base is not None:
            before = canonical_text(base[part.key])
            if new == before:
                continue
            conflict = now != before
        else:
            before, conflict = None, True
        change = PartChange(
            part=part,
            label=part_label(part),
            conflict=conflict,
            online=online[part.key],
            uploaded=new,
            diff=field_diff(part.field, online[part.key], new, language),
            base=base[part.key] if base is not None else None,
        )
        if conflict and base is not None:
            change.online_since_base = field_diff(part.field, base[part.key], online[part.key], language)
            change.uploaded_since_base = field_diff(part.field, base[part.key], new, language)
        changes.append(change)
    comments = [
        PreviewComment(item["id"], item["part"], comment_part_label(item["part"]), item["author"], item["text"])
        for item in word_import.parsed.get("comments", [])
    ]
    return WordImportPreview(
        word_import=word_import,
        changes=changes,
        comments=comments,
        warnings=list(word_import.parsed.get("warnings", [])),
        online_hash=content_hash(online_content),
        base_known=base_known,
    )
