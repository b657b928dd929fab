"""The directory export writes user text as inert spreadsheet cells."""

import csv
import io

from django.urls import reverse

from mechanisms.exports import DIRECTORY_COLUMNS
from mechanisms.models import Mechanism


def test_directory_csv_escapes_formula_cells(client, reference_data):
    Mechanism.objects.filter(slug="bali-process").update(
        secretariat='=HYPERLINK("http://evil.example")', associated_organisation="\t@IOM"
    )
    response = client.get(reverse("mechanisms:directory_export", args=["csv"]), {"q": "Bali"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == DIRECTORY_COLUMNS
    bali = next(row for row in rows if row["acronym"] == "Bali Process")
    assert (bali["secretariat"], bali["associated_organisation"]) == (
        '\'=HYPERLINK("http://evil.example")',
        "'\t@IOM",
    )


def test_directory_json_keeps_text_verbatim(client, reference_data):
    Mechanism.objects.filter(slug="bali-process").update(secretariat="=1+1")
    response = client.get(reverse("mechanisms:directory_export", args=["json"]), {"q": "Bali"})
    assert [record["secretariat"] for record in response.json() if record["acronym"] == "Bali Process"] == ["=1+1"]
