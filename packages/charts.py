"""The report's charts: vector SVG drawn here, in Python, and inlined in the HTML that WeasyPrint renders.

WeasyPrint tags an inline `<svg>` as a Figure and takes its `<title>` as the figure's /Alt, so each chart's
title is its full text alternative, written in the report's language (the caller activates it). Every label
and name is escaped. Colour is never the only carrier of meaning: cells carry a symbol, bar segments a
pattern, and every bar its number; the palette's contrast ratios are checked by the tests with `contrast()`.

Units are points (1/72 in): a chart's width and height attributes are in pt, like the page it is drawn on.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import CoverageMark

FONT = "Noto Sans"
INK = "#1d2733"
MUTED = "#5b6b7f"
BLUE = "#0033a0"
NAVY = "#13315c"
DARK = "#0b1f44"  # text on mid-tone fills, where navy falls short of 4.5:1
GRID = "#c5cfdc"
WHITE = "#ffffff"

# Coverage marks: fill, text colour and the symbol printed in the cell (the symbol alone tells them apart).
MARKS = {
    CoverageMark.PRIORITY: (BLUE, WHITE, "P"),
    CoverageMark.ADDRESSED: ("#6b8fd6", DARK, "●"),
    CoverageMark.NOT_ADDRESSED: (WHITE, MUTED, "–"),
}
# The heat of the totals: from no mechanism to all of them.
HEAT_FROM, HEAT_TO = "#eef2f8", BLUE


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def heat(share: float) -> str:
    """The fill for a share (0 to 1) of the mechanisms, between HEAT_FROM and HEAT_TO."""
    start, end = _rgb(HEAT_FROM), _rgb(HEAT_TO)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end, strict=True))


def readable_on(fill: str) -> str:
    """White or black text, whichever reads better on `fill`: one of them always reaches 4.5:1."""
    return WHITE if contrast(WHITE, fill) >= contrast("#000000", fill) else "#000000"


def _number(value) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x, y, text, *, size=7.0, anchor="start", fill=INK, weight=400) -> str:
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" font-family="{FONT}" font-size="{_number(size)}" '
        f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def _rect(x, y, width, height, fill, *, stroke="", stroke_width=0.5) -> str:
    outline = f' stroke="{stroke}" stroke-width="{_number(stroke_width)}"' if stroke else ""
    return (
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" '
        f'fill="{fill}"{outline}/>'
    )


def _svg(width: float, height: float, title: str, body: list[str], *, defs: str = "") -> SafeString:
    return mark_safe(  # noqa: S308 - every text and attribute value above went through escape() or is ours
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{_number(width)}pt" '
        f'height="{_number(height)}pt" viewBox="0 0 {_number(width)} {_number(height)}">'
        f"<title>{escape(title)}</title>{f'<defs>{defs}</defs>' if defs else ''}{''.join(body)}</svg>"
    )


def join_words(items: list[str]) -> str:
    """'1, 2 and 3' in the active language."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


# ---------------------------------------------------------------------------------------------------------------
# Coverage of the objectives: mechanisms × objectives


@dataclass
class CoverageRow:
    acronym: str
    cells: list[str]  # a CoverageMark per objective, in objective order


def coverage_totals(rows: list[CoverageRow]) -> list[int]:
    """Per objective, how many of `rows` reported on it."""
    return (
        [
            sum(1 for row in rows if row.cells[index] != CoverageMark.NOT_ADDRESSED)
            for index in range(len(rows[0].cells))
        ]
        if rows
        else []
    )


def coverage_heatmap(
    rows: list[CoverageRow],
    numbers: list[int],
    *,
    totals: list[int] | None = None,
    of: int | None = None,
    width: float = 750,
) -> SafeString:
    """Which objectives each mechanism reported on (symbols in coloured cells), with per-objective totals as heat.

    A long list of mechanisms is drawn in several charts; `totals` and `of` then give the totals over all of them.
    """
    label_width, total_width, gap = 96.0, 26.0, 1.0
    cell_width = (width - label_width - total_width) / len(numbers)
    cell_height = 13.0 if len(rows) <= 20 else 11.0
    top = 14.0
    body = [_text(label_width - 6, top - 4, _("Mechanism"), size=6.5, anchor="end", fill=MUTED, weight=600)]
    for index, number in enumerate(numbers):
        x = label_width + index * cell_width + cell_width / 2
        body.append(_text(x, top - 4, str(number), size=7, anchor="middle", fill=NAVY, weight=600))
    body.append(_text(width - total_width / 2, top - 4, "Σ", size=7, anchor="middle", fill=NAVY, weight=600))
    for row_index, row in enumerate(rows):
        y = top + row_index * cell_height
        body.append(_text(label_width - 6, y + cell_height * 0.7, row.acronym, size=7, anchor="end"))
        for index, mark in enumerate(row.cells):
            fill, ink, symbol = MARKS[mark]
            x = label_width + index * cell_width
            body.append(_rect(x + gap / 2, y + gap / 2, cell_width - gap, cell_height - gap, fill, stroke=GRID))
            body.append(_text(x + cell_width / 2, y + cell_height * 0.7, symbol, size=7, anchor="middle", fill=ink))
        addressed = sum(1 for mark in row.cells if mark != CoverageMark.NOT_ADDRESSED)
        body.append(
            _text(width - total_width / 2, y + cell_height * 0.7, str(addressed), size=7, anchor="middle", weight=600)
        )
    totals = coverage_totals(rows) if totals is None else totals
    of = len(rows) if of is None else of
    y = top + len(rows) * cell_height + 2
    body.append(_text(label_width - 6, y + cell_height * 0.7, _("Mechanisms"), size=7, anchor="end", weight=600))
    for index, total in enumerate(totals):
        fill = heat(total / of if of else 0)
        x = label_width + index * cell_width
        body.append(_rect(x + gap / 2, y + gap / 2, cell_width - gap, cell_height - gap, fill, stroke=GRID))
        ink = readable_on(fill)
        body.append(_text(x + cell_width / 2, y + cell_height * 0.7, str(total), size=7, anchor="middle", fill=ink))
    legend_y = y + cell_height + 12
    x = label_width
    for mark, label in (
        (CoverageMark.PRIORITY, _("regional priority")),
        (CoverageMark.ADDRESSED, _("addressed")),
        (CoverageMark.NOT_ADDRESSED, _("not addressed")),
    ):
        fill, ink, symbol = MARKS[mark]
        body.append(_rect(x, legend_y - 8, 12, 10, fill, stroke=GRID))
        body.append(_text(x + 6, legend_y - 0.5, symbol, size=7, anchor="middle", fill=ink))
        body.append(_text(x + 16, legend_y, label, size=7))
        x += 22 + len(label) * 3.6
    body.append(_rect(x, legend_y - 8, 12, 10, heat(0.5), stroke=GRID))
    body.append(
        _text(x + 16, legend_y, _("Mechanisms that reported on the objective (darker: more)"), size=7, fill=INK)
    )
    return _svg(width, legend_y + 6, _coverage_alt(rows, numbers, totals), body)


def _coverage_alt(rows: list[CoverageRow], numbers: list[int], totals: list[int]) -> str:
    sentences = [
        ngettext(
            "Heat map of the objectives that each of the %(count)s mechanism reported on.",
            "Heat map of the objectives that each of the %(count)s mechanisms reported on.",
            len(rows),
        )
        % {"count": len(rows)}
    ]
    for row in rows:
        addressed = [n for n, mark in zip(numbers, row.cells, strict=True) if mark != CoverageMark.NOT_ADDRESSED]
        priorities = [n for n, mark in zip(numbers, row.cells, strict=True) if mark == CoverageMark.PRIORITY]
        if not addressed:
            sentences.append(_("%(mechanism)s: no objective.") % {"mechanism": row.acronym})
            continue
        sentence = ngettext(
            "%(mechanism)s: objective %(numbers)s",
            "%(mechanism)s: objectives %(numbers)s",
            len(addressed),
        ) % {"mechanism": row.acronym, "numbers": join_words(addressed)}
        if priorities:
            sentence += ngettext(
                "; regional priority: objective %(numbers)s",
                "; regional priorities: objectives %(numbers)s",
                len(priorities),
            ) % {"numbers": join_words(priorities)}
        sentences.append(sentence + ".")
    if rows:
        most = max(totals)
        sentences.append(
            ngettext(
                "Reported on by the most mechanisms (%(count)s): objective %(numbers)s.",
                "Reported on by the most mechanisms (%(count)s): objectives %(numbers)s.",
                sum(1 for total in totals if total == most),
            )
            % {"count": most, "numbers": join_words([n for n, t in zip(numbers, totals, strict=True) if t == most])}
        )
        none = [n for n, total in zip(numbers, totals, strict=True) if total == 0]
        if none:
            sentences.append(
                ngettext(
                    "Reported on by no mechanism: objective %(numbers)s.",
                    "Reported on by no mechanism: objectives %(numbers)s.",
                    len(none),
                )
                % {"numbers": join_words(none)}
            )
    return " ".join(sentences)


# ---------------------------------------------------------------------------------------------------------------
# Bars: States by region and GCM stance (stacked, patterned), pledges by objective

# One pattern per series (the first is solid): series are told apart by pattern as well as by colour.
PATTERNS = [
    ("solid", BLUE),
    ("hatch", "#8a1c1c"),
    ("dots", "#7a4a00"),
    ("cross", "#4a5567"),
]


def _pattern_defs() -> str:
    defs = []
    for name, colour in PATTERNS[1:]:
        if name == "hatch":
            mark = f'<path d="M0 4L4 0M-1 1L1 -1M3 5L5 3" stroke="{colour}" stroke-width="1.1"/>'
        elif name == "dots":
            mark = f'<circle cx="2" cy="2" r="1.1" fill="{colour}"/>'
        else:
            mark = f'<path d="M0 0L4 4M4 0L0 4" stroke="{colour}" stroke-width="0.8"/>'
        defs.append(
            f'<pattern id="chart-{name}" width="4" height="4" patternUnits="userSpaceOnUse">'
            f'<rect width="4" height="4" fill="{WHITE}"/>{mark}</pattern>'
        )
    return "".join(defs)


def _fill(series_index: int) -> tuple[str, str]:
    """(fill, outline) of a series."""
    name, colour = PATTERNS[series_index % len(PATTERNS)]
    return (colour if name == "solid" else f"url(#chart-{name})"), colour


def stacked_bars(
    categories: list[str], series: list[str], values: list[list[int]], *, title: str, width: float = 480
) -> SafeString:
    """One horizontal bar per category, split into the series (patterned), the total at the bar's end."""
    label_width, bar_height, row_height = 110.0, 13.0, 20.0
    totals = [sum(row) for row in values]
    scale = (width - label_width - 30) / max(max(totals, default=0), 1)
    legend_rows = (len(series) + 1) // 2
    top = 4.0 + legend_rows * 14
    body = []
    for index, label in enumerate(series):
        x, y = (0 if index % 2 == 0 else width / 2), 4 + (index // 2) * 14
        fill, outline = _fill(index)
        body.append(_rect(x, y, 14, 10, fill, stroke=outline, stroke_width=0.8))
        body.append(_text(x + 19, y + 8, label, size=7.5))
    for row_index, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = top + 6 + row_index * row_height
        body.append(_text(label_width - 6, y + bar_height * 0.72, category, size=7.5, anchor="end"))
        x = label_width
        for index, value in enumerate(row):
            if not value:
                continue
            fill, outline = _fill(index)
            body.append(_rect(x, y, value * scale, bar_height, fill, stroke=outline, stroke_width=0.8))
            x += value * scale
        body.append(_text(x + 4, y + bar_height * 0.72, str(totals[row_index]), size=7.5, weight=600))
    height = top + 6 + len(categories) * row_height + 2
    body.insert(0, f'<line x1="{label_width}" y1="{top + 2}" x2="{label_width}" y2="{height}" stroke="{GRID}"/>')
    return _svg(width, height, title, body, defs=_pattern_defs())


def bars(categories: list[str], values: list[int], *, title: str, width: float = 480) -> SafeString:
    """One horizontal bar per category, its value printed at its end."""
    label_width, bar_height, row_height = 150.0, 9.0, 13.0
    scale = (width - label_width - 24) / max(max(values, default=0), 1)
    body = []
    for index, (category, value) in enumerate(zip(categories, values, strict=True)):
        y = 2 + index * row_height
        body.append(_text(label_width - 6, y + bar_height * 0.8, category, size=7, anchor="end"))
        if value:
            body.append(_rect(label_width, y, value * scale, bar_height, BLUE))
        body.append(_text(label_width + value * scale + 4, y + bar_height * 0.8, str(value), size=7, weight=600))
    height = 4 + len(categories) * row_height
    body.insert(0, f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="{GRID}"/>')
    return _svg(width, height, title, body)
