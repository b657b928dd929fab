"""data/reviews.csv of the package ZIP: secretariat text is written as inert cells, never as formulas."""

import csv
import io

from packages.data_package import CSV_COLUMNS, reviews_csv
from reviews.enums import OBJECTIVE_TEXT_FIELDS


def snapshot(**report_text):
    report = {
        "objective": 2,
        "is_regional_priority": True,
        **dict.fromkeys(OBJECTIVE_TEXT_FIELDS, ""),
        **report_text,
        "guiding_principles": ["-Rule of law", "People-centred"],
    }
    return {
        "objectives": [{"number": 2, "short_label": "Drivers"}, {"number": 3, "short_label": "Information"}],
        "reviews": [
            {
                "id": 7,
                "revision": 2,
                "mechanism": {"acronym": "@MECH", "name": "=Mechanism"},
                "reports": [report],
            }
        ],
    }


def read(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_reviews_csv_escapes_formula_cells():
    rows = read(
        reviews_csv(
            snapshot(
                progress='=HYPERLINK("http://evil.example","click")',
                good_practices="+1+1",
                challenges="-2",
                recommendations="@SUM(A1)",
                data_evidence="\t=1",
                data_sources="\r=1",
            )
        )
    )
    assert [list(row) for row in rows] == [CSV_COLUMNS, CSV_COLUMNS]
    assert rows[0] == {
        "mechanism": "'@MECH",
        "mechanism_name": "'=Mechanism",
        "review_id": "7",
        "review_revision": "2",
        "objective": "2",
        "objective_label": "Drivers",
        "addressed": "yes",
        "regional_priority": "yes",
        "progress": '\'=HYPERLINK("http://evil.example","click")',
        "good_practices": "'+1+1",
        "challenges": "'-2",
        "recommendations": "'@SUM(A1)",
        "data_evidence": "'\t=1",
        "data_sources": "'\r=1",
        "guiding_principles": "'-Rule of law; People-centred",
    }
    assert (rows[1]["objective"], rows[1]["progress"], rows[1]["guiding_principles"]) == ("3", "", "")


def test_reviews_csv_keeps_plain_text_as_is():
    rows = read(reviews_csv(snapshot(progress="Progress: 3 States joined (+2).")))
    assert rows[0]["progress"] == "Progress: 3 States joined (+2)."
