"""Pledges in the API: reads with the pages' rule and filters, progress updates by owners, IOM's import."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.enums import TokenScope
from accounts.services import api_token_create
from pledges.enums import PledgeStatus
from pledges.models import Pledge, PledgeUpdate
from tests.factories import PledgeUpdateFactory
from tests.pledges.test_views import bulk_pledges

LIST = "/api/v1/pledges/"


def detail(pledge) -> str:
    return f"/api/v1/pledges/{pledge.pk}/"


def updates(pledge) -> str:
    return f"/api/v1/pledges/{pledge.pk}/updates/"


def bearer(user, scope=TokenScope.READ_WRITE) -> APIClient:
    _token, secret = api_token_create(user=user, name="test", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


# --- reads ----------------------------------------------------------------------------------------------------


def test_anonymous_list_shows_published_pledges_only(pledges):
    response = APIClient().get(LIST)
    assert (response.status_code, titles(response)) == (200, ["Ghana's pledge", "Fair recruitment"])


def test_focal_point_token_also_lists_its_states_unpublished_pledges(pledges, indonesia_focal_point):
    response = bearer(indonesia_focal_point, TokenScope.READ).get(LIST)
    assert titles(response) == ["Ghana's pledge", "Secret draft", "Fair recruitment"]


def test_list_filters_have_the_pages_names(pledges):
    client = APIClient()
    assert titles(client.get(LIST, {"objective": 23})) == ["Fair recruitment"]
    assert titles(client.get(LIST, {"state": "GHA"})) == ["Ghana's pledge"]
    assert titles(client.get(LIST, {"q": "recruit"})) == ["Fair recruitment"]
    assert titles(client.get(LIST, {"pledger_type": "state", "status": "announced"})) == [
        "Ghana's pledge",
        "Fair recruitment",
    ]


def test_list_invalid_filter_is_a_problem_naming_it(pledges):
    response = APIClient().get(LIST, {"objective": 99, "status": "asleep"})
    body = response.json()
    assert (response.status_code, response["Content-Type"], sorted(body["errors"])) == (
        400,
        "application/problem+json",
        ["objective", "status"],
    )


def test_detail_gives_objectives_pledgers_and_updates(pledges):
    published, _hidden, _ghana = pledges
    body = APIClient().get(detail(published)).json()
    assert [o["number"] for o in body["objectives"]] == [6, 23]
    assert (body["pledger"], body["pledger_state"]["iso3"], body["pledger_type"]) == ("Indonesia", "IDN", "state")
    assert [(u["date"], u["text"], u["status"]) for u in body["updates"]] == [
        ("2024-03-01", "Law adopted.", "in_progress")
    ]
    assert (body["matches"], body["matched_by"], body["last_activity_on"]) == (None, [], "2024-03-01")


def test_unpublished_pledge_is_not_found_for_anonymous_and_others(pledges, midwa_secretariat):
    _published, hidden, _ghana = pledges
    assert APIClient().get(detail(hidden)).status_code == 404
    assert bearer(midwa_secretariat).get(detail(hidden)).status_code == 404


def test_matched_pledge_hidden_when_unpublished(pledges):
    published, hidden, ghana = pledges
    ghana.matches = hidden
    ghana.save()
    hidden.matches = published
    hidden.save()
    assert APIClient().get(detail(ghana)).json()["matches"] is None
    published.matches = ghana
    published.save()
    assert APIClient().get(detail(published)).json()["matches"]["title"] == "Ghana's pledge"
    # Hidden's call is answered by nothing public: the unpublished pledge is not listed as matching.
    assert APIClient().get(detail(published)).json()["matched_by"] == []


def test_dashboard_figures_follow_filters(pledges):
    body = APIClient().get("/api/v1/pledges/dashboard/", {"state": "IDN"}).json()
    assert body["total"] == 1
    by_objective = {row["number"]: row["count"] for row in body["by_objective"]}
    assert (by_objective[6], by_objective[23], by_objective[2]) == (1, 1, 0)
    assert {row["key"]: row["count"] for row in body["by_status"]}["announced"] == 1


@pytest.mark.parametrize("count", [1, 10])
def test_list_query_count(reference_data, django_assert_num_queries, count):
    bulk_pledges(count * 10)
    with django_assert_num_queries(3):  # count, page with pledgers, objectives
        response = APIClient().get(LIST)
    assert len(response.json()["results"]) == min(20, count * 10)


@pytest.mark.parametrize("updates_count", [1, 10])
def test_detail_query_count(pledges, django_assert_num_queries, updates_count):
    published, _hidden, _ghana = pledges
    PledgeUpdateFactory.create_batch(updates_count, pledge=published)
    with django_assert_num_queries(8):
        response = APIClient().get(detail(published))
    assert len(response.json()["updates"]) == updates_count + 1


# --- progress updates -----------------------------------------------------------------------------------------


def test_focal_point_posts_a_progress_update(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    today = timezone.localdate().isoformat()
    response = bearer(indonesia_focal_point).post(
        updates(published), {"date": today, "status": "fulfilled", "text": "Done."}, format="json"
    )
    published.refresh_from_db()
    update = published.updates.order_by("-pk").first()
    assert (response.status_code, response.json()["text"], response.json()["author"]) == (
        201,
        "Done.",
        "Test Idn-Focal",
    )
    assert (update.author, update.status, published.status) == (indonesia_focal_point, "fulfilled", "fulfilled")


def test_progress_update_on_another_states_pledge_is_refused(pledges, indonesia_focal_point):
    _published, _hidden, ghana = pledges
    response = bearer(indonesia_focal_point).post(
        updates(ghana), {"date": "2024-01-01", "status": "in_progress", "text": "Not ours."}, format="json"
    )
    assert (response.status_code, ghana.updates.count()) == (403, 0)


def test_progress_update_anonymous_is_401(pledges):
    published, _hidden, _ghana = pledges
    response = APIClient().post(updates(published), {"date": "2024-01-01", "status": "in_progress", "text": "x"})
    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="api"')


def test_progress_update_with_read_token_is_403(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    response = bearer(indonesia_focal_point, TokenScope.READ).post(
        updates(published), {"date": "2024-01-01", "status": "in_progress", "text": "x"}, format="json"
    )
    assert (response.status_code, response.json()["status"], published.updates.count()) == (403, 403, 1)


def test_progress_update_errors_are_field_problems(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = bearer(indonesia_focal_point).post(
        updates(published), {"date": tomorrow, "status": "asleep", "text": ""}, format="json"
    )
    body = response.json()
    assert (response.status_code, body["errors"]["date"]) == (400, ["A progress update cannot be dated in the future."])
    assert sorted(body["errors"]) == ["date", "status", "text"]


@pytest.mark.parametrize("body", ["[1, 2]", "42", '"text"', "{"])
def test_progress_update_body_not_an_object_is_400(pledges, indonesia_focal_point, body):
    published, _hidden, _ghana = pledges
    response = bearer(indonesia_focal_point).post(updates(published), body, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")


# --- import ---------------------------------------------------------------------------------------------------


def row(n, **changes):
    return {
        "reference": f"API-{n}",
        "title": f"Imported {n}",
        "text": "Text",
        "pledger_type": "state",
        "pledger": "IDN",
        "objectives": [1, 23],
        "imrf_edition": 2026,
        "announced_on": "2026-05-05",
        **changes,
    }


def test_iom_imports_json_rows_twice_without_duplicates(reference_data, iom_user):
    client = bearer(iom_user)
    first = client.post("/api/v1/pledges/import/", {"rows": [row(1), row(2)]}, format="json")
    again = client.post("/api/v1/pledges/import/", {"rows": [row(1, title="Renamed"), row(2)]}, format="json")
    assert (first.json(), again.json()) == (
        {"created": 2, "updated": 0, "dry_run": False},
        {"created": 0, "updated": 2, "dry_run": False},
    )
    assert sorted(Pledge.objects.values_list("title", flat=True)) == ["Imported 2", "Renamed"]


def test_import_with_one_bad_row_writes_nothing_and_names_every_problem(reference_data, iom_user):
    rows = [row(1), row(2, pledger="XXX", objectives=[99]), row(3, announced_on="yesterday")]
    response = bearer(iom_user).post("/api/v1/pledges/import/", {"rows": rows}, format="json")
    assert (response.status_code, Pledge.objects.count()) == (400, 0)
    assert response.json()["errors"] == {
        "rows[1].pledger": ["Unknown State “XXX” (use the ISO alpha-3 code)."],
        "rows[1].objectives": ["Unknown objective number “99” (1 to 23)."],
        "rows[2].announced_on": ["Bad date “yesterday” (use YYYY-MM-DD)."],
    }


def test_import_type_errors_are_keyed_by_row(reference_data, iom_user):
    rows = [row(1), {**row(2), "objectives": "one"}]
    response = bearer(iom_user).post("/api/v1/pledges/import/", {"rows": rows}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["rows[1].objectives"])


def test_import_dry_run_counts_and_writes_nothing(reference_data, iom_user):
    response = bearer(iom_user).post("/api/v1/pledges/import/", {"rows": [row(1)], "dry_run": True}, format="json")
    assert (response.json(), Pledge.objects.count()) == ({"created": 1, "updated": 0, "dry_run": True}, 0)


def test_import_file_upload(reference_data, iom_user):
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["reference", "title", "pledger_type", "pledger", "objectives", "imrf_edition", "announced_on"])
    writer.writerow(["F-1", "From a file", "state", "GHA", "2", "2022", "2022-05-20"])
    writer.writerow(["F-2", "Bad", "state", "GHA", "2", "1999", "2022-05-20"])
    upload = SimpleUploadedFile("pledges.csv", stream.getvalue().encode(), content_type="text/csv")
    response = bearer(iom_user).post("/api/v1/pledges/import/", {"file": upload}, format="multipart")
    assert (response.status_code, list(response.json()["errors"]), Pledge.objects.count()) == (
        400,
        ["row 3.imrf_edition"],
        0,
    )


def test_import_refused_to_focal_points(reference_data, indonesia_focal_point):
    response = bearer(indonesia_focal_point).post("/api/v1/pledges/import/", {"rows": [row(1)]}, format="json")
    assert (response.status_code, Pledge.objects.count()) == (403, 0)


def test_update_posted_through_the_api_shows_on_the_pledge_page(client, pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    bearer(indonesia_focal_point).post(
        updates(published), {"date": "2024-06-01", "status": "in_progress", "text": "Via the API."}, format="json"
    )
    page = client.get(published.get_absolute_url()).content.decode()
    assert ("Via the API." in page, "Test Idn-Focal" in page) == (True, True)
    assert PledgeUpdate.objects.filter(pledge=published, author=indonesia_focal_point).count() == 1
    assert Pledge.objects.get(pk=published.pk).status == PledgeStatus.IN_PROGRESS
