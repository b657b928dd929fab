"""The report's SVG charts: readable colours, escaped labels, a complete text alternative in the report language."""

from django.utils import translation

from packages import charts
from packages.enums import CoverageMark

PRIORITY, ADDRESSED, NONE = (str(mark) for mark in CoverageMark)


def test_every_chart_text_reads_on_its_fill_and_every_mark_stands_out_from_the_page():
    for fill, ink, _symbol in charts.MARKS.values():
        assert charts.contrast(ink, fill) >= 4.5
    for fill, _ink, _symbol in list(charts.MARKS.values())[:2]:
        assert charts.contrast(fill, charts.WHITE) >= 3
    for count in range(0, 11):
        fill = charts.heat(count / 10)
        assert charts.contrast(charts.readable_on(fill), fill) >= 4.5
    for _name, colour in charts.PATTERNS:
        assert charts.contrast(colour, charts.WHITE) >= 3
    assert round(charts.contrast("#000000", "#ffffff"), 1) == 21.0


def test_heatmap_escapes_names_and_describes_every_row_in_its_title():
    rows = [
        charts.CoverageRow(acronym="A&B <script>", cells=[PRIORITY, ADDRESSED, NONE]),
        charts.CoverageRow(acronym="CD", cells=[NONE, ADDRESSED, NONE]),
    ]
    svg = str(charts.coverage_heatmap(rows, [1, 2, 3]))
    assert "<script>" not in svg
    assert ">A&amp;B &lt;script&gt;</text>" in svg
    title = svg.split("<title>")[1].split("</title>")[0]
    assert title == (
        "Heat map of the objectives that each of the 2 mechanisms reported on. "
        "A&amp;B &lt;script&gt;: objectives 1 and 2; regional priority: objective 1. CD: objective 2. "
        "Reported on by the most mechanisms (2): objective 2. Reported on by no mechanism: objective 3."
    )


def test_heatmap_title_is_in_the_report_language():
    rows = [charts.CoverageRow(acronym="CD", cells=[ADDRESSED, ADDRESSED])]
    with translation.override("fr"):
        svg = str(charts.coverage_heatmap(rows, [1, 2]))
    assert (
        "<title>Carte thermique des objectifs sur lesquels le 1 mécanisme a rendu compte. CD : objectifs 1 et 2." in svg
    )


def test_stacked_bars_draw_a_patterned_segment_per_series_and_print_each_total():
    svg = str(charts.stacked_bars(["Africa", "Europe"], ["Yes", "No"], [[3, 1], [0, 2]], title="T <x>"))
    assert "<title>T &lt;x&gt;</title>" in svg
    assert svg.count('fill="url(#chart-hatch)"') == 3  # the legend's key and the two segments of "No"
    assert [">4</text>" in svg, ">2</text>" in svg] == [True, True]
