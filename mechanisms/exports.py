"""CSV and JSON renderings of the directory and of a mechanism's membership."""

import csv
import json

from django.http import HttpResponse

from iscm_portal.spreadsheet_cells import escape_cell

DIRECTORY_COLUMNS = [
    "acronym",
    "name",
    "kind",
    "status",
    "founded",
    "members",
    "observers",
    "regions",
    "thematic_focus",
    "secretariat",
    "associated_organisation",
    "partners",
    "gcm_review_mandate",
    "gcm_mandate_since",
    "website",
    "url",
]
MEMBERSHIP_COLUMNS = ["iso3", "state", "role", "since", "until", "region", "subregion", "gcm_vote_2018", "note"]


def directory_records(mechanisms, build_url) -> list[dict]:
    return [
        {
            "acronym": m.acronym,
            "name": m.name,
            "kind": m.kind,
            "status": m.status,
            "founded": m.founded,
            "members": m.member_count,
            "observers": m.observer_count,
            "regions": [r.name for r in m.regions.all()],
            "thematic_focus": [t.name for t in m.themes.all()],
            "secretariat": m.secretariat,
            "associated_organisation": m.associated_organisation,
            "partners": [p.name for p in m.partners.all()],
            "gcm_review_mandate": m.gcm_review_mandate,
            "gcm_mandate_since": m.gcm_mandate_since.isoformat() if m.gcm_mandate_since else None,
            "website": m.website,
            "url": build_url(m.get_absolute_url()),
        }
        for m in mechanisms
    ]


def membership_records(memberships) -> list[dict]:
    return [
        {
            "iso3": ms.state.iso3,
            "state": ms.state.name,
            "role": ms.role,
            "since": ms.start_date.isoformat() if ms.start_date else None,
            "until": ms.end_date.isoformat() if ms.end_date else None,
            "region": ms.state.region.name,
            "subregion": ms.state.area.name,
            "gcm_vote_2018": ms.state.gcm_vote_2018,
            "note": ms.note,
        }
        for ms in memberships
    ]


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape_cell(value)


def render(records: list[dict], columns: list[str], fmt: str, filename: str) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(
            json.dumps(records, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        # A BOM so spreadsheet programs read the accented names right.
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(columns)
        for record in records:
            writer.writerow([_csv_cell(record[column]) for column in columns])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
