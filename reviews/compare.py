"""Side-by-side comparison of two versions of a review, with word-level differences highlighted."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import OBJECTIVE_TEXT_FIELDS, ReviewLanguage, StakeholderType
from .models import ObjectiveReport, ReviewVersion
from .text import review_text_plain

# Words, runs of spaces and single punctuation marks, so "held." and "held in" share "held".
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

OVERVIEW_FIELDS = [
    ("language", gettext_lazy("Language")),
    ("method", gettext_lazy("How the review was carried out")),
    ("mandate", gettext_lazy("Mandate given by Member States")),
    ("participating_states", gettext_lazy("States that took part")),
    ("stakeholders_consulted", gettext_lazy("Stakeholders consulted")),
    ("partnerships", gettext_lazy("Partnerships")),
    ("key_messages", gettext_lazy("Key messages to the IMRF")),
    ("meetings", gettext_lazy("Meetings")),
    ("attachments", gettext_lazy("Attachments")),
]
OBJECTIVE_FIELDS = [
    ("is_regional_priority", gettext_lazy("Regional priority")),
    *((name, capfirst(ObjectiveReport._meta.get_field(name).verbose_name)) for name in OBJECTIVE_TEXT_FIELDS),
    ("guiding_principles", gettext_lazy("Guiding principles")),
]
# Free text typed with the review formatting: compared as the reader sees it, without formatting marks.
FORMATTED_FIELDS = frozenset({"method", "mandate", "partnerships", "key_messages", *OBJECTIVE_TEXT_FIELDS})
# Fields whose text the secretariat typed, in the review's language (the others are labels in the page's).
TYPED_FIELDS = FORMATTED_FIELDS | {"meetings"}


@dataclass
class DiffRow:
    label: str
    left: SafeString
    right: SafeString
    changed: bool
    # The language of each side's text when the secretariat typed it (each version records its own), else "".
    left_language: str = ""
    right_language: str = ""


@dataclass
class DiffSection:
    title: str
    anchor: str
    rows: list[DiffRow] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


def _chunks(old_tokens: list[str], new_tokens: list[str]) -> list[tuple[bool, str, str]]:
    """(changed, old text, new text) runs; a lone space between two changes joins them into one."""
    opcodes = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False).get_opcodes()
    chunks: list[list] = []
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        removed, added = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
        changed = op != "equal"
        between_changes = 0 < index < len(opcodes) - 1 and opcodes[index + 1][0] != "equal"
        if not changed and between_changes and not removed.strip():
            changed = True
        if changed and chunks and chunks[-1][0]:
            chunks[-1][1] += removed
            chunks[-1][2] += added
        else:
            chunks.append([changed, removed, added])
    return [tuple(chunk) for chunk in chunks]


def words_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, with removed words in <del> on the left and added words in <ins> on the right."""
    old_tokens, new_tokens = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    left, right = SafeString(), SafeString()
    for changed, removed, added in _chunks(old_tokens, new_tokens):
        if not changed:
            left += escape(removed)
            right += escape(added)
            continue
        if removed:
            left += format_html("<del>{}</del>", removed)
        if added:
            right += format_html("<ins>{}</ins>", added)
    return left, right


def _text(name: str, value) -> str:
    """A snapshot value as the text a reader compares."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "language":
        return str(dict(ReviewLanguage.choices).get(value, value))
    if name == "stakeholders_consulted":
        labels = dict(StakeholderType.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if name == "meetings":
        return "\n".join(" – ".join(filter(None, [m["title"], m["held_on"], m.get("place", "")])) for m in value)
    if name == "attachments":
        return "\n".join(" – ".join(filter(None, [a["name"], a.get("description", "")])) for a in value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name in FORMATTED_FIELDS:
        return review_text_plain(value)
    return str(value)


def _row(label, name, old, new, languages: tuple[str, str] = ("", "")) -> DiffRow:
    old_text, new_text = _text(name, old), _text(name, new)
    changed = old_text != new_text or (old or "") != (new or "")
    if changed and old_text == new_text:
        # Only the formatting changed: show the typed text, so the changed marks are what is highlighted.
        old_text, new_text = str(old or ""), str(new or "")
    left, right = words_diff(old_text, new_text)
    left_language, right_language = languages if name in TYPED_FIELDS else ("", "")
    return DiffRow(str(label), left, right, changed, left_language, right_language)


def field_diff(name: str, old, new, language: str = "") -> DiffRow:
    """One field of two versions side by side, compared as the compare view compares it."""
    return _row("", name, old, new, (language, language))


def version_diff(old: dict, new: dict, objective_titles: dict[int, str] | None = None) -> list[DiffSection]:
    """The overview and every objective present in either version, field by field."""
    languages = (old.get("language") or "", new.get("language") or "")
    overview = DiffSection(_("Overview"), "overview")
    overview.rows = [_row(label, name, old.get(name), new.get(name), languages) for name, label in OVERVIEW_FIELDS]
    sections = [overview]
    old_objectives, new_objectives = old.get("objectives", {}), new.get("objectives", {})
    for number in sorted({*old_objectives, *new_objectives}, key=int):
        title = (objective_titles or {}).get(int(number), "")
        section = DiffSection(
            _("Objective %(number)s") % {"number": number} + (f": {title}" if title else ""), f"objective-{number}"
        )
        before, after = old_objectives.get(number, {}), new_objectives.get(number, {})
        section.rows = [
            _row(label, name, before.get(name), after.get(name), languages) for name, label in OBJECTIVE_FIELDS
        ]
        sections.append(section)
    return sections


def default_pair(versions: list[ReviewVersion]) -> tuple[ReviewVersion | None, ReviewVersion | None]:
    """By default, the last submitted version before the latest compared with the latest."""
    if not versions:
        return None, None
    latest = versions[-1]
    earlier = [version for version in versions[:-1] if version.sealed and version.status == "submitted"]
    if earlier:
        return earlier[-1], latest
    return (versions[-2] if len(versions) > 1 else latest), latest
