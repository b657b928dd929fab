"""The Word version of the package report, for the IMRF editorial team: the same snapshot as the PDF, the same
contexts (packages/pdf.py) and the same rich-text renderer (reviews/text.py, written into Word by
iscm_portal/docx_rich_text.py), so the two never say different things.

Reading order follows the PDF: title and cover facts (with the draft notice while IOM's synthesis is not final),
foreword, executive summary, key figures with the mechanisms, coverage matrix and participating States as Word
tables, then each objective (IOM's synthesis first, then each mechanism's text, attributed), then the pledges.
Only Word's built-in styles are used, so Word, LibreOffice and Google Docs show it alike.
"""

from pathlib import Path

from django.template.defaultfilters import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Pt, RGBColor

from iscm_portal.docx_rich_text import append_rich_text
from reviews.text import render_review_text

from .enums import CoverageMark
from .pdf import (
    cover_context,
    figures_context,
    in_report_language,
    objective_context,
    part_specs,
    pledge_groups,
    report_language,
    synthesis_of,
)
from .templatetags.report_format import in_words

DRAFT_RED = RGBColor(0xB7, 0x1C, 0x1C)
MATRIX_MARKS = {CoverageMark.PRIORITY: "P", CoverageMark.ADDRESSED: "●", CoverageMark.NOT_ADDRESSED: "–"}


def _table(document, header: list[str], rows: list[list[str]]):
    """A table with a repeated header row, in Word's plain grid style."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = str(text)
    return table


def _repeat_header(row) -> None:
    # python-docx has no API for a header row that repeats on every page of the table.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def _cover(document, snapshot: dict) -> None:
    context = cover_context(snapshot)
    cycle = context["cycle"]
    document.add_paragraph(
        _("Input to the International Migration Review Forum %(year)s") % {"year": cycle["imrf_year"]}, "Subtitle"
    )
    document.add_heading(context["package"]["title"], 0)
    facts = [
        (_("Review cycle"), f"{cycle['name']} ({cycle['review_year']})"),
        (_("IMRF edition"), str(cycle["imrf_year"])),
        (_("Regional reviews included"), str(context["review_count"])),
        (_("Date"), in_words(context["date"])),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if context["draft"]:
        paragraph = document.add_paragraph()
        lead = paragraph.add_run(_("Draft.") + " ")
        lead.bold = True
        lead.font.color.rgb = DRAFT_RED
        rest = paragraph.add_run(
            _("IOM's synthesis in this report is not final yet and may change before the report is published.")
        )
        rest.font.color.rgb = DRAFT_RED
        paragraph.runs[0].font.size = paragraph.runs[1].font.size = Pt(12)
    foreword = context["package"].get("foreword", "")
    if foreword.strip():
        document.add_heading(_("Foreword"), 1)
        append_rich_text(document, linebreaks(foreword))


def _matrix_rows(snapshot: dict, objectives: list[dict]) -> list[dict]:
    """One row per mechanism: its mark for each objective (the PDF draws the same marks as a heat map)."""
    rows = []
    for review in snapshot["reviews"]:
        marks = {
            report["objective"]: CoverageMark.PRIORITY if report["is_regional_priority"] else CoverageMark.ADDRESSED
            for report in review["reports"]
        }
        cells = [marks.get(objective["number"], CoverageMark.NOT_ADDRESSED) for objective in objectives]
        rows.append({"acronym": review["mechanism"]["acronym"], "cells": cells, "total": len(marks)})
    return rows


def _figures(document, snapshot: dict) -> None:
    context = figures_context(snapshot)
    document.add_heading(_("Key figures"), 1)
    figures = context["figures"]
    for value, label in (
        (figures["mechanisms"], _("mechanisms reviewed")),
        (figures["member_states"], _("UN Member States covered")),
        (figures["observer_states"], _("UN Observer States covered")),
        (figures["participating"], _("States that took part in the reviews")),
        (f"{figures['objectives_addressed']} / {figures['objective_count']}", _("objectives addressed")),
        (figures["reports"], _("objective reports")),
    ):
        document.add_paragraph(f"{value} {label}", "List Bullet")
    document.add_heading(_("Mechanisms reviewed"), 2)
    _table(
        document,
        [_("Mechanism"), _("Members"), _("Observers"), _("Took part"), _("Objectives"), _("Priorities")],
        [
            [
                f"{row['acronym']} {row['name']}",
                row["members"],
                row["observers"],
                row["members_took_part"] + row["others_took_part"],
                row["objectives"],
                row["priorities"],
            ]
            for row in context["mechanism_rows"]
        ],
    )
    document.add_heading(_("Coverage of the 23 objectives"), 2)
    _table(
        document,
        [_("Mechanism"), *(str(objective["number"]) for objective in context["objectives"]), "Σ"],
        [
            [row["acronym"], *(MATRIX_MARKS.get(cell, cell) for cell in row["cells"]), row["total"]]
            for row in _matrix_rows(snapshot, context["objectives"])
        ],
    )
    document.add_paragraph(_("P: regional priority") + " · ● " + _("Addressed") + " · – " + _("Not addressed"))
    document.add_heading(_("States that took part in the reviews"), 2)
    _table(
        document,
        [_("Mechanism"), _("States")],
        [
            [review["mechanism"]["acronym"], ", ".join(state["name"] for state in review["participating_states"])]
            for review in snapshot["reviews"]
        ],
    )


def _objective(document, snapshot: dict, number: int, heading: str) -> None:
    context = objective_context(snapshot, number)
    document.add_heading(heading, 1)
    document.add_paragraph(context["objective"]["title"], "Subtitle")
    contributions = context["contributions"]
    if contributions:
        lede = ngettext(
            "Reported on by %(reported)s of %(counter)s mechanism.",
            "Reported on by %(reported)s of %(counter)s mechanisms.",
            context["review_count"],
        ) % {"reported": len(contributions), "counter": context["review_count"]}
    else:
        lede = _("No mechanism in this package reported on this objective.")
    document.add_paragraph(lede)
    if context["synthesis"].strip():
        document.add_heading(_("IOM synthesis"), 2)
        append_rich_text(document, render_review_text(context["synthesis"]))
    for field in context["fields"]:
        if not field["entries"]:
            continue
        document.add_heading(str(field["label"]), 2)
        for entry in field["entries"]:
            document.add_heading(_("From the %(mechanism)s review") % {"mechanism": entry["acronym"]}, 3)
            append_rich_text(document, render_review_text(entry["text"]))
            if entry["sources"]:
                document.add_paragraph().add_run(_("Sources:")).bold = True
                append_rich_text(document, render_review_text(entry["sources"]))


def _pledges(document, snapshot: dict, title: str) -> None:
    document.add_heading(title, 1)
    for group in pledge_groups(snapshot):
        objective = group["objective"]
        document.add_heading(_("Objective %(number)s") % {"number": objective["number"]}, 2)
        _table(document, [_("Pledge"), _("By")], [[pledge["title"], pledge["by"]] for pledge in group["pledges"]])


@in_report_language
def build_report_docx(snapshot: dict, target: Path) -> None:
    """Write the Word report of `snapshot` to `target`."""
    document = Document()
    properties = document.core_properties
    properties.title = snapshot["package"]["title"]
    properties.author = "IOM"
    properties.language = report_language(snapshot)
    properties.subject = _("Input to the International Migration Review Forum %(year)s") % {
        "year": snapshot["cycle"]["imrf_year"]
    }
    _cover(document, snapshot)
    summary = synthesis_of(snapshot)["summary"]
    for spec in part_specs(snapshot):
        kind = spec["kind"]
        if kind == "summary" and summary.strip():
            document.add_page_break()
            document.add_heading(_("Executive summary"), 1)
            append_rich_text(document, render_review_text(summary))
        elif kind == "figures":
            document.add_page_break()
            _figures(document, snapshot)
        elif kind == "objective":
            document.add_page_break()
            _objective(document, snapshot, spec["arg"], str(spec["title"]))
        elif kind == "pledges":
            document.add_page_break()
            _pledges(document, snapshot, str(spec["title"]))
    document.save(str(target))  # a file of the task's own temporary folder, published once complete
