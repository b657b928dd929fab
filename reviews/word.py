"""A review as a Word document, and a Word document read back as the parts of a review.

The document (`review_word_document`) is made from one version of the review: a title page, the overview's text
sections, then one "Heading 1" per GCM objective with a "Heading 2" per text part, each part's text written by
`iscm_portal.docx_rich_text` and preceded by a short instruction in the "Portal instruction" style. Word's
built-in heading styles make it read the same in Word, LibreOffice and Google Docs. The document carries the
review id, its cycle, and the number and content hash of the version it was made from in its core properties
(`identifier`) and, for word processors that drop those (Google Docs), on a line of the title page.

Reading (`word_document_read`) checks the file before python-docx opens it (size, a real .docx and not a
macro-enabled one, uncompressed sizes so a zip bomb is refused unopened), then maps the headings back to the
parts, in any of the portal's languages, whatever the language of the interface that reads it. Instructions are
recognised by their style or, when a word processor dropped the style, by their text, and are left out. Headings
renamed, deleted, repeated or added are refused with their names: a part is never guessed. Text changes tracked
in the document count as accepted; Word comments are returned with the part they are anchored in.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

from iscm_portal.docx_rich_text import append_rich_text, read_paragraphs, read_paragraphs_html

from .enums import OBJECTIVE_TEXT_FIELDS
from .exceptions import ReviewError
from .models import ObjectiveReport, Review
from .text import render_review_text, review_text_from_html

WORD_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INSTRUCTION_STYLE = "Portal instruction"
# The overview's text sections, in the document's order.
OVERVIEW_TEXT_FIELDS = ("method", "mandate", "partnerships", "key_messages")
OBJECTIVE_COUNT = 23
# A .docx is a ZIP: refuse one whose parts would unpack to more than this, or that packs too tightly to be text.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 5000
_REFERENCE = re.compile(r"ISCM-REVIEW (\d{1,12}) / ([\w-]{1,60}) / v(\d{1,9}) / ([0-9a-f]{64})")


class WordFileRefused(ReviewError):
    """The uploaded file cannot be read back into this review; the message says what to do."""


@dataclass(frozen=True)
class Part:
    key: str  # "overview:method", "objective:6:progress"
    field: str
    objective: int = 0  # 0 for the overview

    @property
    def comment_part(self) -> str:
        """The key review comments use for what the part belongs to."""
        return f"objective:{self.objective}" if self.objective else "overview"


def review_parts() -> list[Part]:
    """Every text part of a review, in the document's order."""
    parts = [Part(f"overview:{name}", name) for name in OVERVIEW_TEXT_FIELDS]
    for number in range(1, OBJECTIVE_COUNT + 1):
        parts.extend(Part(f"objective:{number}:{name}", name, number) for name in OBJECTIVE_TEXT_FIELDS)
    return parts


def part_by_key(key: str) -> Part | None:
    return next((part for part in review_parts() if part.key == key), None)


def part_values(content: dict) -> dict[str, str]:
    """The text of every part in a serialised review (reviews/serialisation.py), "" where it has none."""
    objectives = content.get("objectives", {})
    values = {}
    for part in review_parts():
        if part.objective:
            values[part.key] = (objectives.get(str(part.objective)) or {}).get(part.field) or ""
        else:
            values[part.key] = content.get(part.field) or ""
    return values


def canonical_text(text: str) -> str:
    """The text as a Word round trip gives it back: two texts that read the same compare equal."""
    return review_text_from_html(render_review_text(text))


def field_label(name: str) -> str:
    model = ObjectiveReport if name in OBJECTIVE_TEXT_FIELDS else Review
    return str(capfirst(model._meta.get_field(name).verbose_name))


def objective_heading(number: int) -> str:
    return _("Objective %(number)s") % {"number": number}


def part_label(part: Part) -> str:
    """ "Objective 6 · Progress made" or "Overview · Partnerships"."""
    section = objective_heading(part.objective) if part.objective else _("Overview")
    return f"{section} · {field_label(part.field)}"


def _instruction(name: str) -> str:
    instructions = {
        "method": _("Say how the review was carried out: who led it, which meetings and consultations fed it."),
        "mandate": _("The mandate Member States gave the mechanism for this review."),
        "partnerships": _("Partners who took part in the review and what they brought."),
        "key_messages": _("What the region wants the IMRF to hear, in a few short paragraphs."),
        "progress": _("Progress made on this objective in the region since the last review."),
        "good_practices": _("Good practices, each in its own paragraph or list item, with a bold lead phrase."),
        "challenges": _("Challenges and gaps that hold back progress."),
        "recommendations": _("Recommendations to States and partners."),
        "data_evidence": _("Data and evidence behind what this objective says."),
        "data_sources": _("Name the sources of the data, with links where public."),
    }
    return instructions[name]


def _general_instructions() -> list[str]:
    return [
        _("Write under each heading. Keep the headings as they are: the portal reads the text back by them."),
        _("Paragraphs, bulleted and numbered lists, bold, italic and links are kept; other formatting is not."),
        _("Grey instructions like this one are ignored when the file is uploaded back."),
    ]


# Writing ---------------------------------------------------------------------------------------------------


def word_reference(review: Review, version_number: int, version_hash: str) -> str:
    return f"ISCM-REVIEW {review.pk} / {review.cycle.slug} / v{version_number} / {version_hash}"


def _instruction_style(document) -> None:
    style = document.styles.add_style(INSTRUCTION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.italic = True
    style.font.size = Pt(9)
    style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    style.paragraph_format.space_after = Pt(6)


def review_word_document(*, review: Review, content: dict, version_number: int, version_hash: str, objectives) -> bytes:
    """The .docx of a review's `content` (a version's serialised content), in the active language."""
    document = docx.Document()
    _instruction_style(document)
    reference = word_reference(review, version_number, version_hash)
    properties = document.core_properties
    properties.title = _("Regional review of the GCM by %(mechanism)s") % {"mechanism": review.mechanism.acronym}
    properties.subject = review.cycle.name
    properties.identifier = reference
    properties.keywords = "ISCM review portal"
    properties.language = review.language
    properties.author = "ISCM Review Portal"
    properties.created = timezone.now()

    document.add_paragraph(str(review.mechanism), style="Title")
    document.add_paragraph(
        _("Regional review of the Global Compact for Migration · %(cycle)s") % {"cycle": review.cycle.name},
        style="Subtitle",
    )
    document.add_paragraph(
        _("Made from version %(version)s on %(date)s.")
        % {"version": version_number, "date": timezone.localdate().isoformat()}
    )
    for text in _general_instructions():
        document.add_paragraph(text, style=INSTRUCTION_STYLE)
    document.add_paragraph(
        _("Portal reference (keep this line): %(reference)s") % {"reference": reference}, style=INSTRUCTION_STYLE
    )

    values = part_values(content)
    document.add_heading(_("Overview"), level=1)
    for name in OVERVIEW_TEXT_FIELDS:
        document.add_heading(field_label(name), level=2)
        document.add_paragraph(_instruction(name), style=INSTRUCTION_STYLE)
        append_rich_text(document, render_review_text(values[f"overview:{name}"]))
    titles = {objective.number: objective for objective in objectives}
    for number in range(1, OBJECTIVE_COUNT + 1):
        objective = titles.get(number)
        title = f"{objective_heading(number)}: {objective.localized_title}" if objective else objective_heading(number)
        document.add_heading(title, level=1)
        for name in OBJECTIVE_TEXT_FIELDS:
            document.add_heading(field_label(name), level=2)
            document.add_paragraph(_instruction(name), style=INSTRUCTION_STYLE)
            append_rich_text(document, render_review_text(values[f"objective:{number}:{name}"]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Reading ---------------------------------------------------------------------------------------------------


@dataclass
class WordComment:
    id: int
    part: str  # a review comment's part: "review", "overview" or "objective:<n>"
    author: str
    text: str


@dataclass
class ReadWord:
    """What an uploaded document says, and what it was made from."""

    review_id: int
    cycle_slug: str
    version_number: int
    version_hash: str
    parts: dict[str, str]  # part key -> review text
    comments: list[WordComment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _macro_message() -> str:
    return _(
        "Macro-enabled Word files (.docm) are not accepted. In Word, choose File › Save As › Word Document (.docx)."
    )


def _not_word_message() -> str:
    return _("This file is not a Word document (.docx) the portal can read. Save it as Word Document (.docx).")


def _unknown_heading(text: str) -> str:
    return _("“%(heading)s” is not a heading the portal made.") % {"heading": text.strip()[:120]}


def _repeated_heading(text: str) -> str:
    return _("The heading “%(heading)s” appears twice.") % {"heading": text.strip()[:120]}


def word_file_check(upload) -> bytes:
    """The upload's bytes if it can be a .docx the portal reads; WordFileRefused otherwise (nothing stored)."""
    name = (upload.name or "").lower()
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size is not None and upload.size > limit:
        raise WordFileRefused(
            _("The file is %(size)s; Word documents up to %(limit)s can be uploaded. Remove images and try again.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if name.endswith(".docm") or name.endswith(".dotm"):
        raise WordFileRefused(_macro_message())
    if not name.endswith(".docx"):
        raise WordFileRefused(
            _("Upload the review as a Word document (.docx), the kind of file “Download as Word” gives you.")
        )
    if not upload.size:
        raise WordFileRefused(_("The file is empty. Upload the Word document you edited."))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise WordFileRefused(
            _("The file is larger than %(limit)s. Remove images and try again.") % {"limit": filesizeformat(limit)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise WordFileRefused(_not_word_message()) from error
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members) or 1
        if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
            raise WordFileRefused(
                _(
                    "This file unpacks to far more than a Word document holds, so it was not opened. "
                    "Upload the document you downloaded from the portal."
                )
            )
        names = {member.filename for member in members}
    if any(member.endswith("vbaProject.bin") for member in names):
        raise WordFileRefused(_macro_message())
    if "word/document.xml" not in names:
        raise WordFileRefused(_not_word_message())
    return data


def _labels_in_every_language() -> tuple[dict[str, str], dict[str, str], list[re.Pattern], set[str]]:
    """(overview labels -> field, objective labels -> field, objective heading patterns, instruction texts)."""
    overview_labels: dict[str, str] = {}
    objective_labels: dict[str, str] = {}
    patterns: list[re.Pattern] = []
    instructions: set[str] = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            overview_labels[_normal(_("Overview"))] = ""
            for name in OVERVIEW_TEXT_FIELDS:
                overview_labels[_normal(field_label(name))] = name
                instructions.add(_normal(_instruction(name)))
            for name in OBJECTIVE_TEXT_FIELDS:
                objective_labels[_normal(field_label(name))] = name
                instructions.add(_normal(_instruction(name)))
            instructions.update(_normal(text) for text in _general_instructions())
            heading = re.escape(_normal(_("Objective %(number)s") % {"number": 99999})).replace("99999", r"(\d{1,2})")
            patterns.append(re.compile(rf"^{heading}(?:\s*[:.–-].*)?$"))
    return overview_labels, objective_labels, patterns, instructions


def _normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _reference(document) -> tuple[int, str, int, str] | None:
    found = _REFERENCE.search(document.core_properties.identifier or "")
    if not found:
        for paragraph in document.paragraphs[:40]:
            found = _REFERENCE.search(paragraph.text)
            if found:
                break
    if not found:
        return None
    return int(found.group(1)), found.group(2), int(found.group(3)), found.group(4)


def word_document_read(data: bytes, *, review: Review) -> ReadWord:
    """Read a checked .docx (`word_file_check`) back into the parts of `review`; WordFileRefused if it cannot be."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds (KeyError, ValueError, lxml errors) on broken files
        if "macroEnabled" in str(error):
            raise WordFileRefused(_macro_message()) from error
        raise WordFileRefused(_not_word_message()) from error
    reference = _reference(document)
    if reference is None:
        raise WordFileRefused(
            _(
                "This Word document was not made by the portal (its portal reference is missing). "
                "Download the review as Word, copy your text into it and upload that file."
            )
        )
    review_id, cycle_slug, version_number, version_hash = reference
    if review_id != review.pk:
        raise WordFileRefused(
            _(
                "This Word document belongs to another review. Upload it on that review's page, "
                "or download this review as Word and copy your text into it."
            )
        )
    if cycle_slug != review.cycle.slug:
        raise WordFileRefused(
            _(
                "This Word document was made for another review cycle (%(cycle)s). "
                "Download this review as Word again and copy your text into it."
            )
            % {"cycle": cycle_slug}
        )
    overview_labels, objective_labels, patterns, instructions = _labels_in_every_language()
    paragraphs = document.paragraphs
    read = read_paragraphs(paragraphs)
    problems: list[str] = []
    warnings: list[str] = []
    collected: dict[str, list] = {}
    comment_parts: dict[int, str] = {}
    section = None  # "overview" or an objective number
    current: str | None = None
    for paragraph in read:
        text = _normal(paragraph.text)
        if paragraph.heading in (1, 2) and paragraph.style.startswith("Heading"):
            if paragraph.heading == 1:
                current = None
                if text in overview_labels and overview_labels[text] == "":
                    section = "overview"
                else:
                    number = next((int(m.group(1)) for p in patterns if (m := p.match(text))), None)
                    if number is None or not 1 <= number <= OBJECTIVE_COUNT:
                        problems.append(_unknown_heading(paragraph.text))
                        section = None
                        continue
                    section = number
                key = "overview" if section == "overview" else f"objective:{section}"
                if key in collected:
                    problems.append(_repeated_heading(paragraph.text))
                collected.setdefault(key, [])
                continue
            labels = overview_labels if section == "overview" else objective_labels
            name = labels.get(text) if section is not None else None
            if not name:
                problems.append(_unknown_heading(paragraph.text))
                current = None
                continue
            current = f"overview:{name}" if section == "overview" else f"objective:{section}:{name}"
            if current in collected:
                problems.append(_repeated_heading(paragraph.text))
            collected[current] = []
            continue
        comment_part = (
            "review" if section is None else ("overview" if section == "overview" else f"objective:{section}")
        )
        for comment_id in paragraph.comment_ids:
            comment_parts.setdefault(comment_id, comment_part)
        if paragraph.style == INSTRUCTION_STYLE or text in instructions or not text:
            continue
        if current is None:
            if section is not None:
                warnings.append(
                    _("Text outside the part headings was not imported: “%(text)s”.")
                    % {"text": paragraph.text.strip()[:120]}
                )
            continue
        paragraph.heading = 0
        collected[current].append(paragraph)
    missing = [part for part in review_parts() if part.key not in collected]
    missing_sections = [key for key in ["overview", *(f"objective:{n}" for n in range(1, 24))] if key not in collected]
    for key in missing_sections:
        problems.append(
            _("The heading “%(heading)s” is missing or was renamed.")
            % {"heading": _("Overview") if key == "overview" else objective_heading(int(key.split(":")[1]))}
        )
    for part in missing:
        if (part.comment_part if part.objective else "overview") in missing_sections:
            continue
        problems.append(_("The heading “%(heading)s” is missing or was renamed.") % {"heading": part_label(part)})
    if problems:
        raise WordFileRefused(
            _(
                "The portal cannot tell which text belongs to which part: %(problems)s Put the headings back as they "
                "were in the downloaded file (style Heading 1 or Heading 2) and upload it again."
            )
            % {"problems": " ".join(problems[:8]) + (" …" if len(problems) > 8 else "")}
        )
    if document.tables:
        warnings.append(_("Tables are not part of a review's text and were not imported."))
    parts = {part.key: review_text_from_html(read_paragraphs_html(collected[part.key])) for part in review_parts()}
    comments = []
    for comment in document.comments:
        body = " ".join(comment.text.split())
        if body:
            part = comment_parts.get(comment.comment_id, "review")
            comments.append(WordComment(comment.comment_id, part, comment.author or "", body))
    return ReadWord(review_id, cycle_slug, version_number, version_hash, parts, comments, warnings)
