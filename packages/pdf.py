"""The PDF report of a package, rendered in parts that are cached by content and joined with pikepdf.

A compile renders every section (cover, key figures and matrix, one synthesis per objective, one annex
per mechanism, the pledges and attachments annexes) to its own small PDF, in parallel on the workers.
A part's file name is the hash of the exact HTML and stylesheet it was made from, so a recompile after
one review changed renders only the parts whose HTML changed and reuses every other file.

Page numbers are the one thing a part cannot know in advance (they depend on every part before it), so
parts are rendered without them and the numbers are stamped afterwards, on each body page, from ten
pre-rendered digit drawings (PDF form XObjects) in the report's font. That keeps a part's content
independent of where it lands, which is what makes the cache effective. The table of contents is
rendered last, once the page counts are known; the front matter (cover, foreword, contents) is not
numbered, so the contents' own length never shifts a number.
"""

import hashlib
from collections import Counter
from datetime import date
from functools import lru_cache, wraps
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pikepdf import Name, OutlineItem
from weasyprint import CSS, HTML

from iscm_portal.pdf_fetcher import RestrictedURLFetcher
from iscm_portal.reference_languages import value_and_language
from mechanisms.enums import GcmVote2018, MembershipRole, UnStatus
from reviews.enums import OBJECTIVE_TEXT_FIELDS, StakeholderType
from reviews.models import ObjectiveReport

from . import charts
from .enums import CoverageMark
from .files import SectionsCache
from .pdf_join import TaggedJoin, artifact
from .pdf_tagging import PDF_VARIANT, tag_languages_and_scopes, tags_finisher

# Bump when a change outside the templates and report.css alters the output of a part.
RENDERER_VERSION = "6"  # 5: tagged PDF/UA-1 parts; 6: IOM's synthesis
STATIC_DIR = Path(__file__).resolve().parent / "static" / "packages" / "pdf"
CSS_PATH = STATIC_DIR / "report.css"
BASE_URL = STATIC_DIR.as_uri() + "/"
RTL_LANGUAGES = {"ar"}

tag_languages_and_scopes()

# The objective pages' sections: every text field of a report but the sources, printed with the data they back.
SECTION_FIELDS = tuple(name for name in OBJECTIVE_TEXT_FIELDS if name != "data_sources")

# Where a stamped page number sits, in points: right edge inset and top of the footer line from the bottom.
MM = 72 / 25.4
FOOTER_FONT_SIZE = 7.5
DIGIT_WIDTH = FOOTER_FONT_SIZE * 0.572  # Noto Sans figures are tabular: 572/1000 em each.
DIGIT_HEIGHT = FOOTER_FONT_SIZE * 1.45
PORTRAIT_MARGINS = (20 * MM, 22 * MM)  # (right, bottom) of @page in report.css
LANDSCAPE_MARGINS = (16 * MM, 20 * MM)  # (right, bottom) of @page landscape
HEATMAP_ROWS = 20  # at most this many mechanisms in one coverage heat map: a landscape page with its key


# ---------------------------------------------------------------------------------------------------------------
# Language: the portal writes the report in the snapshot's language; review text stays in its own


def report_language(snapshot: dict) -> str:
    """The language the portal's own words are written in: the package's choice, English by default."""
    language = snapshot.get("language") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_report_language(function):
    """Run `function(snapshot, ...)` with the snapshot's report language active (catalogue, dates, numbers)."""

    @wraps(function)
    def wrapper(snapshot, *args, **kwargs):
        with translation.override(report_language(snapshot)):
            return function(snapshot, *args, **kwargs)

    return wrapper


def _objective(objective: dict) -> dict:
    """An objective of the snapshot with its title in the active language and the language that title is in."""
    title, title_language = value_and_language(SimpleNamespace(**objective), "title")
    # Short labels exist in English only; other languages name the objective by its number and official title.
    english = (translation.get_language() or "en").split("-")[0] == "en"
    return {
        **objective,
        "title": title,
        "title_lang": title_language,
        "label": objective["short_label"] if english else "",
    }


def _objectives(snapshot: dict) -> list[dict]:
    return [_objective(objective) for objective in snapshot["objectives"]]


def _objective_heading(objective: dict) -> str:
    """How the contents, the outline and the running head name an objective."""
    if objective["label"]:
        return _("Objective %(number)s: %(label)s") % {"number": objective["number"], "label": objective["label"]}
    return _("Objective %(number)s") % {"number": objective["number"]}


def _principles(report: dict) -> list[dict]:
    principles = []
    for principle in report.get("principles", []):
        name, language = value_and_language(SimpleNamespace(**principle), "name")
        principles.append({"letter": principle["letter"], "name": name, "lang": language})
    return principles


def _stakeholder_text(item: dict) -> dict:
    """A stakeholder's kind in the report's language; its name as the review wrote it."""
    labels = dict(StakeholderType.choices)
    return {"kind": str(labels.get(item["kind"], item["kind"])), "name": item["name"]}


# ---------------------------------------------------------------------------------------------------------------
# Parts: which sections a package has, and the HTML of each


@in_report_language
def part_specs(snapshot: dict) -> list[dict]:
    """The sections of the report in reading order, as plain dicts a Celery task can carry."""
    specs = [{"key": "cover", "kind": "cover", "front": True, "title": _("Cover")}]
    if synthesis_of(snapshot)["summary"].strip():
        specs.append({"key": "summary", "kind": "summary", "title": _("Executive summary")})
    specs.append({"key": "figures", "kind": "figures", "title": _("Key figures and coverage of the objectives")})
    for objective in _objectives(snapshot):
        title = _objective_heading(objective)
        specs.append(
            {"key": f"objective-{objective['number']}", "kind": "objective", "arg": objective["number"], "title": title}
        )
    for review in snapshot["reviews"]:
        mechanism = review["mechanism"]
        specs.append(
            {
                "key": f"annex-{review['id']}",
                "kind": "annex",
                "arg": review["id"],
                "group": _("Annex A · The regional reviews"),
                "title": f"{mechanism['acronym']} · {mechanism['name']}",
            }
        )
    if pledge_groups(snapshot):
        specs.append({"key": "pledges", "kind": "pledges", "title": _("Annex B · Related pledges by objective")})
        specs.append({"key": "attachments", "kind": "attachments", "title": _("Annex C · List of attachments")})
    else:
        specs.append({"key": "attachments", "kind": "attachments", "title": _("Annex B · List of attachments")})
    return specs


def synthesis_of(snapshot: dict) -> dict:
    """IOM's synthesis in the snapshot (see `selectors.synthesis_snapshot`); a single review's snapshot has none,
    and a report without one is not a draft."""
    return snapshot.get("synthesis") or {"summary": "", "objectives": {}, "final": True, "version": None}


def _doc_title(snapshot: dict) -> str:
    return snapshot["package"]["title"]


def _edition(snapshot: dict) -> str:
    return _("%(cycle)s · Input to the IMRF %(year)s") % {
        "cycle": snapshot["cycle"]["name"],
        "year": snapshot["cycle"]["imrf_year"],
    }


def _shell(snapshot: dict, body: str, *, extra_css: str = "") -> str:
    return render_to_string(
        "packages/pdf/shell.html",
        {
            "lang": report_language(snapshot),
            "doc_title": _doc_title(snapshot),
            "edition": _edition(snapshot),
            "body": mark_safe(body),  # noqa: S308 - fragments are our templates, rendered with autoescape
            "extra_css": mark_safe(extra_css),  # noqa: S308 - our own constant CSS, never user input
        },
    )


def _count_states(reviews: list[dict]) -> dict:
    covered: dict[str, dict] = {}
    participating: dict[str, dict] = {}
    for review in reviews:
        for member in review["mechanism"]["members"]:
            if member["role"] == MembershipRole.MEMBER:
                covered[member["iso3"]] = member
        for state in review["participating_states"]:
            participating[state["iso3"]] = state
    return {"covered": covered, "participating": participating}


def participation(review: dict) -> dict:
    """Who took part in one review: its members, its observers and other States, so the counts add up."""
    known = (MembershipRole.MEMBER, MembershipRole.OBSERVER)
    roles = {member["iso3"]: member["role"] for member in review["mechanism"]["members"] if member["role"] in known}
    took_part = review["participating_states"]
    groups = {
        "members": [s for s in took_part if roles.get(s["iso3"]) == MembershipRole.MEMBER],
        "observers": [s for s in took_part if roles.get(s["iso3"]) == MembershipRole.OBSERVER],
        "others": [s for s in took_part if s["iso3"] not in roles],
    }
    member_count = sum(1 for role in roles.values() if role == MembershipRole.MEMBER)
    observer_count = sum(1 for role in roles.values() if role == MembershipRole.OBSERVER)
    return {
        **groups,
        "total": len(took_part),
        "member_count": member_count,
        "observer_count": observer_count,
        "summary": _participation_summary(len(took_part), member_count, groups),
    }


def _participation_summary(total: int, member_count: int, groups: dict) -> str:
    """'11 States took part in the review: 8 of its 8 members, 2 observers and 1 other State.'"""
    parts = [
        ngettext("%(count)s of its %(total)s member", "%(count)s of its %(total)s members", member_count)
        % {"count": len(groups["members"]), "total": member_count}
    ]
    if groups["observers"]:
        parts.append(
            ngettext("%(count)s observer", "%(count)s observers", len(groups["observers"]))
            % {"count": len(groups["observers"])}
        )
    if groups["others"]:
        parts.append(
            ngettext("%(count)s other State", "%(count)s other States", len(groups["others"]))
            % {"count": len(groups["others"])}
        )
    return ngettext(
        "%(count)s State took part in the review: %(who)s.", "%(count)s States took part in the review: %(who)s.", total
    ) % {"count": total, "who": charts.join_words(parts)}


def _region(state: dict) -> tuple[str, str]:
    region = state.get("region") or {"name": ""}
    return value_and_language(SimpleNamespace(**region), "name")


def states_chart(participating: dict[str, dict]) -> dict:
    """The States that took part, by M49 region (rows) and 2018 vote on the GCM (patterned segments)."""
    votes = list(GcmVote2018.choices)
    by_region: dict[str, Counter] = {}
    for state in participating.values():
        name, _language = _region(state)
        by_region.setdefault(name or _("Other"), Counter())[state["gcm_vote_2018"]] += 1
    regions = sorted(by_region)
    values = [[by_region[region][vote] for vote, _label in votes] for region in regions]
    labels = [str(label) for _vote, label in votes]
    details = []
    for region, row in zip(regions, values, strict=True):
        counts = [f"{label}: {count}" for label, count in zip(labels, row, strict=True) if count]
        details.append(
            ngettext("%(region)s: %(count)s State (%(votes)s).", "%(region)s: %(count)s States (%(votes)s).", sum(row))
            % {"region": region, "count": sum(row), "votes": "; ".join(counts)}
        )
    title = " ".join(
        [
            ngettext(
                "Bar chart of the %(count)s State that took part in the reviews, by region and 2018 vote on the GCM.",
                "Bar chart of the %(count)s States that took part in the reviews, by region and 2018 vote on the GCM.",
                len(participating),
            )
            % {"count": len(participating)},
            *details,
        ]
    )
    return {"svg": charts.stacked_bars(regions, labels, values, title=title), "count": len(participating)}


def figures_context(snapshot: dict) -> dict:
    reviews = snapshot["reviews"]
    objectives = _objectives(snapshot)
    states = _count_states(reviews)
    covered, participating = states["covered"], states["participating"]
    addressed = {report["objective"] for review in reviews for report in review["reports"]}
    coverage_rows = []
    for review in reviews:
        marks = {
            report["objective"]: CoverageMark.PRIORITY if report["is_regional_priority"] else CoverageMark.ADDRESSED
            for report in review["reports"]
        }
        cells = [str(marks.get(objective["number"], CoverageMark.NOT_ADDRESSED)) for objective in objectives]
        coverage_rows.append(charts.CoverageRow(acronym=review["mechanism"]["acronym"], cells=cells))
    numbers = [objective["number"] for objective in objectives]
    # A long list is drawn in even parts, one landscape page each, every part with the totals of all mechanisms.
    size = -(-len(coverage_rows) // max(1, -(-len(coverage_rows) // HEATMAP_ROWS))) if coverage_rows else 1
    totals = charts.coverage_totals(coverage_rows)
    heatmaps = [
        charts.coverage_heatmap(coverage_rows[start : start + size], numbers, totals=totals, of=len(coverage_rows))
        for start in range(0, len(coverage_rows), size)
    ]
    mechanism_rows = []
    for review in reviews:
        took_part = participation(review)
        mechanism_rows.append(
            {
                "acronym": review["mechanism"]["acronym"],
                "name": review["mechanism"]["name"],
                "members": took_part["member_count"],
                "observers": took_part["observer_count"],
                "members_took_part": len(took_part["members"]),
                "others_took_part": len(took_part["observers"]) + len(took_part["others"]),
                "objectives": len(review["reports"]),
                "priorities": sum(1 for report in review["reports"] if report["is_regional_priority"]),
            }
        )
    stance_rows = []
    for vote, label in GcmVote2018.choices:
        in_vote = sorted(state["name"] for state in covered.values() if state["gcm_vote_2018"] == vote)
        voted = {iso3 for iso3, state in participating.items() if state["gcm_vote_2018"] == vote}
        members_took_part = len(voted & covered.keys())
        others = len(voted - covered.keys())
        if not in_vote and not others:
            continue
        stance_rows.append(
            {
                "label": label,
                "covered": len(in_vote),
                "participating": members_took_part,
                "others": others,
                # Name the few who voted against or abstained; the large group is only counted.
                "names": in_vote if vote in (GcmVote2018.AGAINST, GcmVote2018.ABSTAINED) else [],
            }
        )
    return {
        "figures": {
            "mechanisms": len(reviews),
            "member_states": sum(1 for s in covered.values() if s["un_status"] == UnStatus.MEMBER_STATE),
            "observer_states": sum(1 for s in covered.values() if s["un_status"] == UnStatus.OBSERVER_STATE),
            "participating": len(participating),
            "participating_others": sum(1 for iso3 in participating if iso3 not in covered),
            "objectives_addressed": len(addressed),
            "objective_count": len(objectives),
            "reports": sum(len(review["reports"]) for review in reviews),
        },
        "mechanism_rows": mechanism_rows,
        "stance_rows": stance_rows,
        "states_chart": states_chart(participating),
        "objectives": objectives,
        "heatmaps": heatmaps,
    }


def objective_context(snapshot: dict, number: int) -> dict:
    objective = next(item for item in _objectives(snapshot) if item["number"] == number)
    contributions, not_addressed = [], []
    for review in snapshot["reviews"]:
        report = next((item for item in review["reports"] if item["objective"] == number), None)
        if report is None:
            not_addressed.append(review["mechanism"]["acronym"])
        else:
            contributions.append((review, report))
    first_field = {
        review["id"]: next(
            (
                field
                for field in SECTION_FIELDS
                if report[field].strip() or (field == "data_evidence" and report["data_sources"].strip())
            ),
            None,
        )
        for review, report in contributions
    }
    fields = []
    for field in SECTION_FIELDS:
        entries = [
            {
                "acronym": review["mechanism"]["acronym"],
                "name": review["mechanism"]["name"],
                "priority": report["is_regional_priority"],
                "lang": review["language"],
                "rtl": review["language"] in RTL_LANGUAGES,
                "text": report[field],
                "sources": report["data_sources"] if field == "data_evidence" else "",
                # The guiding principles are printed once per mechanism, under its first section.
                "principles": _principles(report) if field == first_field.get(review["id"]) else [],
            }
            for review, report in contributions
            if report[field].strip() or (field == "data_evidence" and report["data_sources"].strip())
        ]
        label = capfirst(ObjectiveReport._meta.get_field(field).verbose_name)
        fields.append({"key": field, "label": label, "entries": entries})
    return {
        "objective": objective,
        "synthesis": synthesis_of(snapshot)["objectives"].get(str(number), ""),
        "heading": _objective_heading(objective),
        "contributions": contributions,
        "review_count": len(snapshot["reviews"]),
        "priority_acronyms": [
            review["mechanism"]["acronym"] for review, report in contributions if report["is_regional_priority"]
        ],
        "not_addressed": not_addressed,
        "fields": fields,
    }


def annex_context(snapshot: dict, review_id: int) -> dict:
    review = next(item for item in snapshot["reviews"] if item["id"] == review_id)
    took_part = participation(review)
    return {
        "review": review,
        "stakeholders": [_stakeholder_text(item) for item in review.get("stakeholders", [])],
        "member_count": took_part["member_count"],
        "observer_count": took_part["observer_count"],
        "participation": took_part,
    }


def attachments_context(snapshot: dict) -> dict:
    return {
        "attachments": [
            {**attachment, "acronym": review["mechanism"]["acronym"]}
            for review in snapshot["reviews"]
            for attachment in review["attachments"]
        ]
    }


def _pledge(pledge: dict) -> dict:
    """A pledge as the annex prints it: its pledger once (not again when the title already ends with it)."""
    by = pledge["by"].strip()
    shown = by and not pledge["title"].rstrip().casefold().endswith(f"({by.casefold()})")
    return {**pledge, "by": by if shown else "", "editions": pledge.get("editions", [])}


def pledge_groups(snapshot: dict) -> list[dict]:
    """The snapshot's related pledges grouped by objective (see `selectors.related_pledges`)."""
    groups = []
    for objective in _objectives(snapshot):
        pledges = [_pledge(p) for p in snapshot.get("pledges", []) if objective["number"] in p["objectives"]]
        if pledges:
            groups.append({"objective": objective, "pledges": pledges})
    return groups


def pledges_context(snapshot: dict) -> dict:
    """The pledges annex: a bar chart of the pledges per objective, then the pledges under each objective."""
    groups = pledge_groups(snapshot)
    counts = {group["objective"]["number"]: len(group["pledges"]) for group in groups}
    objectives = _objectives(snapshot)
    labels = [
        f"{objective['number']} · {objective['label']}" if objective["label"] else _objective_heading(objective)
        for objective in objectives
    ]
    values = [counts.get(objective["number"], 0) for objective in objectives]
    total = len(snapshot.get("pledges", []))
    details = [
        ngettext("objective %(number)s: %(count)s pledge", "objective %(number)s: %(count)s pledges", count)
        % {"number": objective["number"], "count": count}
        for objective, count in zip(objectives, values, strict=True)
        if count
    ]
    none = [objective["number"] for objective, count in zip(objectives, values, strict=True) if not count]
    title = " ".join(
        [
            ngettext(
                "Bar chart of the %(count)s related pledge by GCM objective (a pledge can serve several objectives).",
                "Bar chart of the %(count)s related pledges by GCM objective (a pledge can serve several objectives).",
                total,
            )
            % {"count": total},
            "; ".join(details) + ".",
            ngettext("No pledge for objective %(numbers)s.", "No pledge for objectives %(numbers)s.", len(none))
            % {"numbers": charts.join_words(none)}
            if none
            else "",
        ]
    ).strip()
    return {"groups": groups, "chart": charts.bars(labels, values, title=title), "total": total}


def cycle_label(cycle: dict) -> str:
    """The cycle's name, with its review year only when the name does not say it already."""
    if str(cycle["review_year"]) in cycle["name"]:
        return cycle["name"]
    return f"{cycle['name']} ({cycle['review_year']})"


def cover_context(snapshot: dict) -> dict:
    return {
        "package": snapshot["package"],
        "cycle": snapshot["cycle"],
        "cycle_label": cycle_label(snapshot["cycle"]),
        # The kicker names the IMRF edition unless the title does already ("... input to the IMRF 2026").
        "title_names_imrf": str(snapshot["cycle"]["imrf_year"]) in snapshot["package"]["title"],
        "review_count": len(snapshot["reviews"]),
        "date": snapshot.get("date") or date.today().isoformat(),
        "draft": not synthesis_of(snapshot)["final"],
    }


@in_report_language
def fragment_html(snapshot: dict, spec: dict) -> str:
    kind = spec["kind"]
    if kind == "cover":
        return render_to_string("packages/pdf/cover.html", cover_context(snapshot))
    if kind == "summary":
        return render_to_string("packages/pdf/summary.html", {"summary": synthesis_of(snapshot)["summary"]})
    if kind == "figures":
        return render_to_string("packages/pdf/figures.html", figures_context(snapshot))
    if kind == "objective":
        return render_to_string("packages/pdf/objective.html", objective_context(snapshot, spec["arg"]))
    if kind == "annex":
        return render_to_string("packages/pdf/annex.html", annex_context(snapshot, spec["arg"]))
    if kind == "pledges":
        return render_to_string("packages/pdf/pledges.html", pledges_context(snapshot))
    if kind == "attachments":
        return render_to_string("packages/pdf/attachments.html", attachments_context(snapshot))
    raise ValueError(f"unknown part kind {kind!r}")


# ---------------------------------------------------------------------------------------------------------------
# Rendering


def _stylesheet_digest() -> str:
    stat = CSS_PATH.stat()
    return _file_digest(str(CSS_PATH), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _file_digest(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@lru_cache(maxsize=2)
def _report_stylesheet(digest: str) -> CSS:
    """report.css parsed once per process (per version of the file), not once per section."""
    return CSS(filename=str(CSS_PATH), url_fetcher=RestrictedURLFetcher())


def report_stylesheet() -> CSS:
    return _report_stylesheet(_stylesheet_digest())


def html_to_pdf(html: str, *, id_prefix: str = "doc") -> tuple[bytes, list[dict], RestrictedURLFetcher, int]:
    """Render a tagged PDF/UA-1 document with the restricted fetcher.

    Returns the PDF, the h1/h2 bookmarks, the fetcher (for its log) and the page count. `id_prefix` keeps the
    ids of its header cells apart from those of the other parts it is joined with.
    """
    fetcher = RestrictedURLFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(stylesheets=[report_stylesheet()])
    bookmarks = [
        {
            "label": label,
            "page": target[0],
            "children": [{"label": child[0], "page": child[1][0]} for child in children],
        }
        for label, target, children, _state in document.make_bookmark_tree()
    ]
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=tags_finisher(id_prefix))
    return pdf, bookmarks, fetcher, len(document.pages)


@in_report_language
def render_part(snapshot: dict, spec: dict, cache: SectionsCache) -> dict:
    """Render one section into the sections cache unless one made from the same HTML is already there."""
    html = _shell(snapshot, fragment_html(snapshot, spec))
    digest = hashlib.sha256(f"{RENDERER_VERSION}\n{_stylesheet_digest()}\n{html}".encode()).hexdigest()
    meta = cache.get(digest)
    if meta is not None:
        cache.touch(digest, meta)
        return {**spec, **meta, "reused": True}
    pdf, bookmarks, _fetcher, pages = html_to_pdf(html, id_prefix=digest[:12])
    meta = {"digest": digest, "pages": pages, "bookmarks": bookmarks}
    cache.put(digest, pdf, meta)
    return {**spec, **meta, "reused": False}


def toc_entries(parts: list[dict], *, with_pages: bool = True) -> list[dict]:
    """Contents lines: each section at level 1, the mechanism annexes grouped under their heading."""
    return [line for lines in _entries_by_part(parts, with_pages) for line in lines]


ANNEX_KINDS = {"annex", "pledges", "attachments"}
KEEP_ANNEX_LINES = 20


def contents_context(snapshot: dict, parts: list[dict], *, with_pages: bool = True) -> dict:
    """The front page after the cover: the foreword, then the contents (the annexes kept together as a block)."""
    main, objectives, annexes = [], [], []
    for part, entry in zip(
        [part for part in parts if not part.get("front")], _entries_by_part(parts, with_pages), strict=True
    ):
        for line in entry:
            if part["kind"] == "objective":
                objectives.append(line)
            elif part["kind"] not in ANNEX_KINDS:
                main.append(line)
            elif line["level"] == 1:
                annexes.append({**line, "children": []})
            else:
                annexes[-1]["children"].append(line)
    return {
        "foreword": snapshot["package"].get("foreword", ""),
        "main": main,
        "objectives": objectives,
        "annexes": annexes,
        # A short list of annexes moves to the next page whole rather than leave a few lines there; a long one
        # fills the page and goes on.
        "keep_annexes": sum(1 + len(entry["children"]) for entry in annexes) <= KEEP_ANNEX_LINES,
    }


def _entries_by_part(parts: list[dict], with_pages: bool) -> list[list[dict]]:
    """`toc_entries`, as one list of lines per body part (a group's heading goes with its first part)."""
    lines, seen = [], set()
    for part in parts:
        if part.get("front"):
            continue
        own = []
        group = part.get("group")
        page = part.get("start") if with_pages else None
        if group and group not in seen:
            seen.add(group)
            own.append({"title": group, "level": 1, "anchor": f"part-{part['key']}", "page": page})
        own.append({"title": part["title"], "level": 2 if group else 1, "anchor": f"part-{part['key']}", "page": page})
        lines.append(own)
    return lines


def _digit_forms(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """Ten form XObjects, one per digit, in the footer's font and colour, added to `pdf`."""
    digits = "".join(f'<div class="digit">{digit}</div>' for digit in "0123456789")
    css = (
        f"@page {{ size: {DIGIT_WIDTH}pt {DIGIT_HEIGHT}pt; margin: 0 }} body {{ margin: 0 }} "
        f".digit {{ font-family: 'Noto Sans'; font-size: {FOOTER_FONT_SIZE}pt; line-height: {DIGIT_HEIGHT}pt;"
        f" color: #5b6b7f; break-after: page }}"
    )
    # Untagged: the digits are drawn inside an artifact, where no content may be marked for the structure.
    rendered = HTML(string=f"<style>{css}</style>{digits}", url_fetcher=RestrictedURLFetcher()).write_pdf()
    with pikepdf.open(BytesIO(rendered)) as source:
        return {
            digit: pdf.copy_foreign(page.as_form_xobject())
            for digit, page in zip("0123456789", source.pages, strict=True)
        }


def _stamp_page_numbers(pdf: pikepdf.Pdf, first: int, numbers: list[int]) -> None:
    """Draw `numbers[i]` in the footer of page `first + i` as an artifact, without parsing the pages' content."""
    forms = _digit_forms(pdf)
    save = pdf.make_stream(b"q\n")
    for offset, number in enumerate(numbers):
        page = pdf.pages[first + offset]
        width, height = (
            float(page.mediabox[2]) - float(page.mediabox[0]),
            float(page.mediabox[3]) - float(page.mediabox[1]),
        )
        right, bottom = LANDSCAPE_MARGINS if width > height else PORTRAIT_MARGINS
        text = str(number)
        x = float(page.mediabox[0]) + width - right - len(text) * DIGIT_WIDTH
        y = float(page.mediabox[1]) + bottom - 4 * MM - DIGIT_HEIGHT
        ops = [
            f"q 1 0 0 1 {x + index * DIGIT_WIDTH:.3f} {y:.3f} cm /PkgDigit{digit} Do Q".encode()
            for index, digit in enumerate(text)
        ]
        resources = page.obj.Resources
        if Name.XObject not in resources:
            resources.XObject = pikepdf.Dictionary()
        for digit, form in forms.items():
            resources.XObject[f"/PkgDigit{digit}"] = form
        page.contents_add(save, prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n" + artifact(b"\n".join(ops))))


def _link_contents(pdf: pikepdf.Pdf, first: int, count: int, targets: dict[str, int]) -> None:
    """Turn the contents' `part:` links (rendered before the pages existed) into jumps to those pages."""
    for page in pdf.pages[first : first + count]:
        for annotation in page.obj.get(Name.Annots, ()):
            action = annotation.get(Name.A)
            uri = str(action.get(Name.URI, "")) if action is not None else ""
            if uri in targets:
                annotation.Dest = pikepdf.Array([pdf.pages[targets[uri]].obj, Name.Fit])
                del annotation[Name.A]


def _xmp(pdf: pikepdf.Pdf, *, title: str, author: str, subject: str, language: str) -> None:
    """The XMP packet PDF/UA asks for: the title (shown by viewers) and the PDF/UA part it conforms to."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["dc:creator"] = [author]
        meta["dc:description"] = subject
        meta["dc:language"] = [language]
        meta["pdf:Producer"] = "ISCM Review Portal (WeasyPrint, pikepdf)"
        meta["xmp:CreatorTool"] = "ISCM Review Portal"
        meta["pdfuaid:part"] = "1"


@in_report_language
def assemble(snapshot: dict, parts: list[dict], cache: SectionsCache, target: Path, *, author: str = "IOM") -> dict:
    """Join the rendered parts into the final report at `target` (a local file; the sections are copied next to
    it from the cache): contents, page numbers, outline, metadata.

    `parts` are the dicts `render_part` returned, in reading order. The parts' structure trees become one
    (see `pdf_join`). Returns the page count and the contents entries with their page numbers.
    """
    front = [part for part in parts if part.get("front")]
    body = [part for part in parts if not part.get("front")]
    page = 1
    for part in body:
        part["start"] = page
        page += part["pages"]
    toc_spec = {"key": "contents", "kind": "toc", "front": True, "title": _("Contents")}
    toc_html = _shell(snapshot, render_to_string("packages/pdf/toc.html", contents_context(snapshot, parts)))
    toc_digest = hashlib.sha256(f"{RENDERER_VERSION}\n{_stylesheet_digest()}\n{toc_html}".encode()).hexdigest()
    toc_meta = cache.get(toc_digest)
    if toc_meta is not None:
        toc_pages = toc_meta["pages"]
    else:
        pdf, _bookmarks, _fetcher, toc_pages = html_to_pdf(toc_html, id_prefix=toc_digest[:12])
        cache.put(toc_digest, pdf, {"digest": toc_digest, "pages": toc_pages})
    ordered = [*front, {**toc_spec, "digest": toc_digest, "pages": toc_pages, "bookmarks": []}, *body]

    join = TaggedJoin()
    try:
        starts = {part["key"]: join.append(cache.fetch(part["digest"], target.parent)) for part in ordered}
        out = join.finish(language=report_language(snapshot))
        front_pages = sum(part["pages"] for part in ordered if part.get("front"))
        _link_contents(out, starts["contents"], toc_pages, {f"part:part-{key}": start for key, start in starts.items()})
        _stamp_page_numbers(out, front_pages, list(range(1, len(out.pages) - front_pages + 1)))

        # Outline: sections at the top level, their h2 headings below; annexes under their group.
        with out.open_outline() as outline:
            groups = {}
            for part in ordered:
                if part["kind"] == "cover":
                    continue
                siblings = outline.root
                if part.get("group"):
                    if part["group"] not in groups:
                        groups[part["group"]] = OutlineItem(str(part["group"]), starts[part["key"]])
                        outline.root.append(groups[part["group"]])
                    siblings = groups[part["group"]].children
                item = OutlineItem(str(part["title"]), starts[part["key"]])
                siblings.append(item)
                for bookmark in part["bookmarks"]:
                    for child in bookmark["children"]:
                        item.children.append(OutlineItem(child["label"], starts[part["key"]] + child["page"]))
        out.Root.PageLabels = pikepdf.Dictionary(
            Nums=pikepdf.Array([0, pikepdf.Dictionary(S=Name.r), front_pages, pikepdf.Dictionary(S=Name.D, St=1)])
        )
        out.Root.PageMode = Name.UseOutlines
        cycle = snapshot["cycle"]
        title = _doc_title(snapshot)
        subject = _(
            "Regional reviews of the GCM, %(cycle)s: input to the International Migration Review Forum %(year)s"
        ) % {"cycle": cycle["name"], "year": cycle["imrf_year"]}
        out.docinfo[Name.Title] = title
        out.docinfo[Name.Author] = author
        out.docinfo[Name.Subject] = subject
        out.docinfo[Name.Keywords] = "GCM, IMRF, ISCM, regional review, migration"
        out.docinfo[Name.Creator] = "ISCM Review Portal"
        _xmp(out, title=title, author=author, subject=subject, language=report_language(snapshot))
        buffer = BytesIO()
        out.save(buffer)
        pages = len(out.pages)
    finally:
        join.close()
    target.write_bytes(buffer.getvalue())
    return {
        "pages": pages,
        "front_pages": front_pages,
        "contents": [
            {"title": str(entry["title"]), "level": entry["level"], "page": entry["page"]}
            for entry in toc_entries(ordered)
        ],
    }


def render_single_document(snapshot: dict) -> bytes:
    """The same report as one HTML document in one WeasyPrint call (the benchmark's point of comparison).

    Page numbers come from CSS counters and the contents from target-counter().
    """
    specs = part_specs(snapshot)
    fragments = []
    for spec in specs:
        fragment = fragment_html(snapshot, spec)
        fragments.append(f'<div id="part-{spec["key"]}">{fragment}</div>')
        if spec["kind"] == "cover":
            toc = render_to_string("packages/pdf/toc.html", contents_context(snapshot, specs, with_pages=False))
            fragments.append(toc)
    extra_css = (
        "@page { @bottom-right { content: counter(page); font-size: 7.5pt; color: #5b6b7f;"
        " vertical-align: top; padding-top: 4mm; } }"
        " @page front { @bottom-right { content: none; } } @page cover { @bottom-right { content: none; } }"
        " .toc { break-after: page; }"
    )
    html = _shell(snapshot, "\n".join(fragments), extra_css=extra_css)
    return html_to_pdf(html)[0]


@in_report_language
def render_review_pdf(snapshot: dict) -> bytes:
    """One review as a PDF (overview, then each objective it reported on), in one WeasyPrint call."""
    review = snapshot["reviews"][0]
    numbers = [report["objective"] for report in review["reports"]]
    fragments = [fragment_html(snapshot, {"kind": "annex", "arg": review["id"]})]
    for number in numbers:
        context = objective_context(snapshot, number)
        fragments.append(render_to_string("packages/pdf/objective.html", context))
    extra_css = (
        "@page { @bottom-right { content: counter(page) ' / ' counter(pages); font-size: 7.5pt; color: #5b6b7f;"
        " vertical-align: top; padding-top: 4mm; } }"
    )
    html = _shell(snapshot, "\n".join(fragments), extra_css=extra_css)
    return html_to_pdf(html)[0]
