import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gcm.models import Objective
from pledges import spreadsheets
from pledges.models import Pledge
from tests.factories import PledgeFactory

HEADER = [
    "reference",
    "title",
    "text",
    "pledger_type",
    "pledger",
    "objectives",
    "imrf_edition",
    "announced_on",
    "states",
]


def good_row(n):
    return [f"R-{n}", f"Pledge {n}", "Text", "state", "IDN", "1; 23", "2022", "2022-05-20", ""]


def csv_upload(rows, name="pledges.csv", header=HEADER):
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, stream.getvalue().encode(), content_type="text/csv")


def errors_of(rows):
    parsed = spreadsheets.parse_rows(spreadsheets.read_table(csv_upload(rows)))
    return [(error.row, error.column, error.message) for error in parsed.errors]


def test_parse_reports_every_problem_by_row_and_column(reference_data):
    rows = [
        good_row(1),
        ["R-2", "Pledge 2", "", "state", "XXX", "1", "2022", "2022-05-20", ""],
        ["R-3", "Pledge 3", "", "state", "IDN", "1;24", "2022", "2022-05-20", ""],
        ["R-4", "", "", "state", "IDN", "1", "2022", "2022-05-20", ""],
        ["R-5", "Pledge 5", "", "state", "IDN", "1", "2022", "20/05/2022", ""],
        ["R-6", "Pledge 6", "", "martian", "Mars", "", "2019", "2022-05-20", "ZZZ"],
    ]
    assert errors_of(rows) == [
        (3, "pledger", "Unknown State “XXX” (use the ISO alpha-3 code)."),
        (4, "objectives", "Unknown objective number “24” (1 to 23)."),
        (5, "title", "The title is missing."),
        (6, "announced_on", "Bad date “20/05/2022” (use YYYY-MM-DD)."),
        (7, "pledger_type", "Unknown pledger type “martian”."),
        (7, "objectives", "At least one GCM objective number is needed."),
        (7, "states", "Unknown State “ZZZ”."),
        (7, "imrf_edition", "Unknown IMRF edition “2019” (one of 2022, 2026)."),
    ]


def test_parse_same_pledge_twice_in_file_refused(reference_data):
    assert errors_of([good_row(1), good_row(1)]) == [(3, "reference", "Same pledge as row 2.")]


def test_read_table_missing_columns_refused(reference_data):
    with pytest.raises(spreadsheets.SpreadsheetError) as error:
        spreadsheets.read_table(csv_upload([["x"]], header=["title"]))
    assert str(error.value) == "Missing columns: pledger_type, pledger, objectives, imrf_edition, announced_on."


@pytest.fixture
def iom_client(client, iom_user):
    client.force_login(iom_user)
    return client


def test_import_200_rows_with_one_bad_row_refused_and_nothing_imported(iom_client, reference_data):
    existing = PledgeFactory(title="Already there")
    rows = [good_row(n) for n in range(1, 201)]
    rows[136][7] = "2022-13-45"  # spreadsheet row 138
    response = iom_client.post(reverse("pledges:import"), {"file": csv_upload(rows)})
    assert response.status_code == 400
    errors = [(e.row, e.column, e.message) for e in response.context["parsed"].errors]
    assert errors == [(138, "announced_on", "Bad date “2022-13-45” (use YYYY-MM-DD).")]
    assert "token" not in response.context
    assert list(Pledge.objects.values_list("pk", flat=True)) == [existing.pk]
    assert "pledge-import" not in iom_client.session


def test_import_preview_then_confirm_then_reimport_updates(iom_client, reference_data):
    rows = [good_row(1), good_row(2), ["", "UNICEF pledge", "", "UN entity", "UNICEF", "7", "2026", "2026-05-08", ""]]
    preview = iom_client.post(reverse("pledges:import"), {"file": csv_upload(rows)})
    assert preview.status_code == 200
    assert Pledge.objects.count() == 0  # the preview writes nothing
    confirm = iom_client.post(reverse("pledges:import_confirm"), {"token": preview.context["token"]})
    assert confirm.status_code == 302
    assert sorted(Pledge.objects.values_list("title", flat=True)) == ["Pledge 1", "Pledge 2", "UNICEF pledge"]
    pledge = Pledge.objects.get(title="Pledge 1")
    assert list(pledge.objectives.values_list("number", flat=True)) == [1, 23]
    assert list(pledge.states.values_list("iso3", flat=True)) == ["IDN"]

    rows[0][2] = "Revised text"
    again = iom_client.post(reverse("pledges:import"), {"file": csv_upload(rows)})
    assert again.context["updates"] == 3
    iom_client.post(reverse("pledges:import_confirm"), {"token": again.context["token"]})
    assert Pledge.objects.count() == 3
    assert Pledge.objects.get(title="Pledge 1").text == "Revised text"


def test_import_confirm_with_stale_token_imports_nothing(iom_client, reference_data):
    iom_client.post(reverse("pledges:import"), {"file": csv_upload([good_row(1)])})
    response = iom_client.post(reverse("pledges:import_confirm"), {"token": "forged"})
    assert response.status_code == 302
    assert response["Location"] == reverse("pledges:import")
    assert Pledge.objects.count() == 0


def test_import_all_or_nothing_when_database_refuses_a_row(iom_client, reference_data):
    preview = iom_client.post(reverse("pledges:import"), {"file": csv_upload([good_row(1), good_row(2)])})
    session = iom_client.session
    stored = session["pledge-import"]
    stored["rows"][1]["fields"]["pledger_state_id"] = None  # a State pledge without State: a check constraint
    session["pledge-import"] = stored
    session.save()
    response = iom_client.post(reverse("pledges:import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("pledges:import")
    assert Pledge.objects.count() == 0


def test_import_xlsx(iom_client, reference_data):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["", "Excel pledge", "", "state", "GHA", 5, 2022, "2022-05-20", ""])
    stream = io.BytesIO()
    workbook.save(stream)
    upload = SimpleUploadedFile("pledges.xlsx", stream.getvalue())
    preview = iom_client.post(reverse("pledges:import"), {"file": upload})
    assert [(e.row, e.column) for e in preview.context["parsed"].errors] == []
    iom_client.post(reverse("pledges:import_confirm"), {"token": preview.context["token"]})
    assert list(Pledge.objects.values_list("title", "pledger_state__iso3")) == [("Excel pledge", "GHA")]


def test_import_refuses_other_file_types(iom_client, reference_data):
    response = iom_client.post(reverse("pledges:import"), {"file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert response.context["form"].errors == {"file": ["Upload a .csv or .xlsx file."]}


def test_export_csv_reimports_without_duplicates(iom_client, reference_data):
    preview = iom_client.post(reverse("pledges:import"), {"file": csv_upload([good_row(1), good_row(2)])})
    iom_client.post(reverse("pledges:import_confirm"), {"token": preview.context["token"]})
    exported = iom_client.get(reverse("pledges:export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == spreadsheets.COLUMNS + spreadsheets.EXPORT_ONLY_COLUMNS
    assert sorted(row[1] for row in rows[1:]) == ["Pledge 1", "Pledge 2"]
    upload = SimpleUploadedFile("export.csv", exported.encode())
    again = iom_client.post(reverse("pledges:import"), {"file": upload})
    assert again.context["updates"] == 2
    iom_client.post(reverse("pledges:import_confirm"), {"token": again.context["token"]})
    assert Pledge.objects.count() == 2


def test_export_follows_filters_and_xlsx_opens(client, reference_data):
    PledgeFactory(title="Data pledge", objectives=[1])
    PledgeFactory(title="=HYPERLINK(1)", objectives=[2])
    response = client.get(reverse("pledges:export", args=["xlsx"]), {"objective": 2})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2
    assert values[1][1] == "'=HYPERLINK(1)"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- export → import round trip (spreadsheet cell escaping, stable references) -------------------------------

HOSTILE_TITLE = '=HYPERLINK("http://evil.example","open")'
# Line breaks as LF: XLSX is XML, whose parsers turn CR LF into LF (the web form stores LF too).
HOSTILE_TEXT = "\t=1+1 hidden behind a tab\nsecond line: -5, @mention, 'quoted'"


def web_form_pledge(client, user) -> Pledge:
    client.force_login(user)
    data = {
        "pledger_type": "un_entity",
        "pledger_name": "@UN agency",
        "title": "+Web pledge",
        "text": "-Minus first\r\nthen =more",
        "co_pledgers": "=partners",
        "objectives": [Objective.objects.get(number=4).pk],
        "imrf_edition": 2026,
        "announced_on": "2026-05-08",
        "scope": "global",
        "status": "announced",
        "sources": "https://example.org/one\nhttps://example.org/two",
        "is_published": "on",
    }
    response = client.post(reverse("pledges:create"), data)
    assert response.status_code == 302
    return Pledge.objects.get(title="+Web pledge")


def snapshot_of_pledges():
    return sorted(
        Pledge.objects.values_list(
            "pk",
            "import_key",
            "title",
            "text",
            "pledger_type",
            "pledger_name",
            "co_pledgers",
            "sources",
            "is_published",
        )
    )


def export_file(client, fmt) -> SimpleUploadedFile:
    response = client.get(reverse("pledges:export", args=[fmt]))
    return SimpleUploadedFile(f"export.{fmt}", response.content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips_hostile_cells_without_duplicates(client, reference_data, iom_user, fmt):
    PledgeFactory(title=HOSTILE_TITLE, text=HOSTILE_TEXT, co_pledgers="@group", objectives=[1, 2])
    web = web_form_pledge(client, iom_user)
    before = snapshot_of_pledges()
    preview = client.post(reverse("pledges:import"), {"file": export_file(client, fmt)})
    assert [(e.row, e.column, e.message) for e in preview.context["parsed"].errors] == []
    assert preview.context["updates"] == 2
    client.post(reverse("pledges:import_confirm"), {"token": preview.context["token"]})
    assert snapshot_of_pledges() == before
    assert (web.text, list(web.objectives.values_list("number", flat=True))) == ("-Minus first\nthen =more", [4])


def test_export_csv_cells_are_escaped(client, reference_data, iom_user):
    pledge = PledgeFactory(title=HOSTILE_TITLE, text=HOSTILE_TEXT, co_pledgers="@group")
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("pledges:export", args=["csv"])).content.decode("utf-8-sig")))
    )
    assert [(row["reference"], row["title"], row["text"], row["co_pledgers"]) for row in rows] == [
        (pledge.reference, "'" + HOSTILE_TITLE, "'" + HOSTILE_TEXT, "'@group")
    ]


def test_export_xlsx_cells_are_escaped(client, reference_data):
    PledgeFactory(title=HOSTILE_TITLE, text="-1\x01 control", sources=["https://example.org/a"])
    sheet = load_workbook(io.BytesIO(client.get(reverse("pledges:export", args=["xlsx"])).content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    cells = dict(zip(header, row, strict=True))
    assert (cells["title"], cells["text"], cells["sources"]) == (
        "'" + HOSTILE_TITLE,
        "'-1\ufffd control",
        "https://example.org/a",
    )


def test_web_form_pledge_keeps_its_reference_through_a_title_change(client, reference_data, iom_user):
    web = web_form_pledge(client, iom_user)
    exported = client.get(reverse("pledges:export", args=["csv"])).content.decode("utf-8-sig")
    exported = exported.replace("'+Web pledge", "Renamed in the spreadsheet")
    preview = client.post(reverse("pledges:import"), {"file": SimpleUploadedFile("e.csv", exported.encode())})
    client.post(reverse("pledges:import_confirm"), {"token": preview.context["token"]})
    assert list(Pledge.objects.values_list("pk", "title")) == [(web.pk, "Renamed in the spreadsheet")]


# --- malformed files: a message naming the row and column, nothing written -----------------------------------


def import_errors(client, upload):
    response = client.post(reverse("pledges:import"), {"file": upload})
    return response.status_code, [(e.row, e.column, e.message) for e in response.context["parsed"].errors]


def file_error(client, upload):
    response = client.post(reverse("pledges:import"), {"file": upload})
    return response.status_code, response.context["form"].errors["file"]


@pytest.mark.parametrize("length", [131_073, 40_000])
def test_import_csv_with_a_huge_cell_names_row_and_column(iom_client, reference_data, length):
    rows = [good_row(1), good_row(2)]
    rows[1][2] = "x" * length
    assert import_errors(iom_client, csv_upload(rows)) == (
        400,
        [(3, "text", f"The cell holds {length} characters; a cell holds at most 32767.")],
    )
    assert Pledge.objects.count() == 0


def test_import_xlsx_bad_cells_name_row_and_column(iom_client, reference_data):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["", "Fine", "", "state", "GHA", 5, 2022, "2022-05-20", ""])
    workbook.active.append(["", "x" * 300, "", "state", "GHA", 5, 2022, "31/12/2022", ""])
    stream = io.BytesIO()
    workbook.save(stream)
    assert import_errors(iom_client, SimpleUploadedFile("p.xlsx", stream.getvalue())) == (
        400,
        [
            (3, "title", "The title is longer than 255 characters."),
            (3, "announced_on", "Bad date “31/12/2022” (use YYYY-MM-DD)."),
        ],
    )


def test_import_csv_with_nul_character_names_row_and_column(iom_client, reference_data):
    rows = [good_row(1)]
    rows[0][1] = "Bad\x00title"
    assert import_errors(iom_client, csv_upload(rows)) == (400, [(2, "title", "The cell contains a NUL character.")])


def test_import_csv_not_utf8_names_row_and_column(iom_client, reference_data):
    content = csv_upload([good_row(1), good_row(2)]).read().replace(b"Pledge 2", "Pledge é".encode("latin-1"))
    assert file_error(iom_client, SimpleUploadedFile("p.csv", content)) == (
        200,
        ["Row 3, column title: the CSV file is not UTF-8 encoded (save it as “CSV UTF-8”)."],
    )


def test_import_binary_junk_as_csv_refused(iom_client, reference_data):
    junk = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
    assert file_error(iom_client, SimpleUploadedFile("p.csv", junk)) == (
        200,
        ["Row 1, column 1: the CSV file is not UTF-8 encoded (save it as “CSV UTF-8”)."],
    )


def test_import_binary_junk_as_xlsx_refused(iom_client, reference_data):
    assert file_error(iom_client, SimpleUploadedFile("p.xlsx", b"PK\x03\x04junk" * 50)) == (
        200,
        ["The file is not a readable Excel workbook."],
    )


def test_import_too_many_rows_refused(iom_client, reference_data):
    rows = [good_row(n) for n in range(spreadsheets.MAX_ROWS + 1)]
    assert file_error(iom_client, csv_upload(rows)) == (200, ["At most 10000 rows can be imported at once."])


def test_import_blank_rows_keep_spreadsheet_row_numbers(iom_client, reference_data):
    rows = [good_row(1), [""] * len(HEADER), ["R-3", "Pledge 3", "", "state", "IDN", "1", "2022", "31/12/2022", ""]]
    assert import_errors(iom_client, csv_upload(rows)) == (
        400,
        [(4, "announced_on", "Bad date “31/12/2022” (use YYYY-MM-DD).")],
    )
