"""Request bodies of the API's write endpoints: held to DATA_UPLOAD_MAX_MEMORY_SIZE whatever the parser (413
past it, reading at most one byte more, nothing when Content-Length already says so), chunked bodies included;
malformed bodies are 400 problem documents, never a 500."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.utils import timezone

from iscm_portal.api.parsers import MAX_JSON_DEPTH, BoundedParser
from pledges.models import Pledge, PledgeUpdate
from tests.api.test_pledges import bearer, row, updates

PROBLEM = "application/problem+json"
LIMIT = 1000
IMPORT = "/api/v1/pledges/import/"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    settings.MAX_UPLOAD_SIZE = 2000


class CountingInput(io.BytesIO):
    """A request's input that counts the bytes read from it, as a server's socket would give them."""

    bytes_read = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def _problem(response) -> tuple:
    return response.status_code, response["Content-Type"], json.loads(response.content)


def _progress(text: str) -> bytes:
    return json.dumps({"date": timezone.localdate().isoformat(), "status": "in_progress", "text": text}).encode()


def _chunked(body: bytes, *, terminated: bool = True, content_type: str = "application/json") -> dict:
    """The WSGI environ of a body sent with Transfer-Encoding: chunked, which gunicorn hands over de-chunked
    (wsgi.input_terminated) and without CONTENT_LENGTH."""
    environ = {
        "wsgi.input": CountingInput(body),
        "CONTENT_LENGTH": "",
        "CONTENT_TYPE": content_type,
        "HTTP_TRANSFER_ENCODING": "chunked",
    }
    if terminated:
        environ["wsgi.input_terminated"] = True
    return environ


# --- the limit ------------------------------------------------------------------------------------------------


def test_json_body_over_the_limit_is_a_413_problem(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    body = _progress("x" * LIMIT)
    response = bearer(indonesia_focal_point).post(updates(published), body, content_type="application/json")
    assert _problem(response) == (
        413,
        PROBLEM,
        {
            "type": "/api/docs/#problem-request-too-large",
            "title": "Request body too large",
            "status": 413,
            "detail": "The request body is larger than 1000 bytes, the most the API accepts.",
            "instance": updates(published),
        },
    )
    assert published.updates.count() == 1


def test_body_at_the_limit_is_read(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    body = _progress("x" * (LIMIT - len(_progress(""))))
    response = bearer(indonesia_focal_point).post(updates(published), body, content_type="application/json")
    assert (len(body), response.status_code, published.updates.count()) == (LIMIT, 201, 2)


def test_413_is_in_the_callers_language(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    response = bearer(indonesia_focal_point).post(
        updates(published), _progress("x" * LIMIT), content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    _status, _type, document = _problem(response)
    assert (document["title"], document["detail"]) == (
        "Corps de requête trop volumineux",
        "Le corps de la requête dépasse 1000 octets, le maximum qu’accepte l’API.",
    )


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_declared_length_over_the_limit_is_refused_before_reading(pledges, indonesia_focal_point, content_type):
    published, _hidden, _ghana = pledges
    body = CountingInput(b"x" * (LIMIT * 50))
    response = bearer(indonesia_focal_point).post(
        updates(published),
        content_type=content_type,
        **{"wsgi.input": body, "CONTENT_LENGTH": str(LIMIT * 50), "CONTENT_TYPE": content_type},
    )
    assert (response.status_code, body.bytes_read) == (413, 0)


def test_form_over_the_limit_is_a_413(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    response = bearer(indonesia_focal_point).post(
        updates(published), {"date": "2024-01-01", "status": "in_progress", "text": "x" * LIMIT}, format="multipart"
    )
    assert (response.status_code, response["Content-Type"], published.updates.count()) == (413, PROBLEM, 1)


def test_import_file_counts_against_the_upload_limit_on_top(reference_data, iom_user):
    """A multipart body may carry the fields' limit plus the upload's (MAX_UPLOAD_SIZE, as on the import page)."""
    header = "reference,title,pledger_type,pledger,objectives,imrf_edition,announced_on\n"
    small = (header + "F-1,From a file,state,GHA,2,2022,2022-05-20\n").encode()
    big = small + b"#" * 3000
    client = bearer(iom_user)
    accepted = client.post(IMPORT, {"file": SimpleUploadedFile("p.csv", small, "text/csv")}, format="multipart")
    refused = client.post(IMPORT, {"file": SimpleUploadedFile("p.csv", big, "text/csv")}, format="multipart")
    assert (accepted.status_code, accepted.json()["created"]) == (200, 1)
    assert (refused.status_code, refused.json()["detail"], Pledge.objects.count()) == (
        413,
        "The request body is larger than 3000 bytes, the most the API accepts.",
        1,
    )


def test_import_rows_over_the_limit_write_nothing(reference_data, iom_user):
    rows = [row(n) for n in range(20)]
    response = bearer(iom_user).post(IMPORT, {"rows": rows}, format="json")
    assert (response.status_code, Pledge.objects.count()) == (413, 0)


# --- bodies sent in chunks, without Content-Length ------------------------------------------------------------


def test_chunked_body_within_the_limit_is_read(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    response = bearer(indonesia_focal_point).post(updates(published), **_chunked(_progress("Sent in chunks.")))
    assert (response.status_code, response.json()["text"]) == (201, "Sent in chunks.")


def test_chunked_body_over_the_limit_is_refused_after_one_byte_more(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    environ = _chunked(_progress("x" * (LIMIT * 50)))
    response = bearer(indonesia_focal_point).post(updates(published), **environ)
    assert (response.status_code, environ["wsgi.input"].bytes_read, published.updates.count()) == (413, LIMIT + 1, 1)


def test_chunked_body_the_server_did_not_dechunk_needs_a_length(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    environ = _chunked(_progress("Sent in chunks."), terminated=False)
    response = bearer(indonesia_focal_point).post(updates(published), **environ)
    status, content_type, document = _problem(response)
    assert (status, content_type, document["title"], environ["wsgi.input"].bytes_read) == (
        411,
        PROBLEM,
        "Length required",
        0,
    )


# --- malformed bodies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"date": "2024-01-01", "status": "in_progress", "text": "\xff\xfe"}', "application/json"),
        (_progress("x"), "application/json; charset=bz2_codec"),
        (b"[" * 400 + b"]" * 400, "application/json"),
        (b'{"text": ' + b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1) + b"}", "application/json"),
        (b"NaN", "application/json"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
        (b"a=1", "multipart/form-data"),
    ],
)
def test_malformed_body_is_a_400_problem(pledges, indonesia_focal_point, body, content_type):
    published, _hidden, _ghana = pledges
    response = bearer(indonesia_focal_point).post(updates(published), body, content_type=content_type)
    status, problem_type, document = _problem(response)
    assert (status, problem_type, document["title"]) == (400, PROBLEM, "Invalid request")
    assert PledgeUpdate.objects.filter(pledge=published).count() == 1


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_nesting_too_deep_even_for_pythons_parser_is_a_400_problem(pledges, indonesia_focal_point, settings, depth):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    published, _hidden, _ghana = pledges
    body = b"[" * depth + b"]" * depth
    response = bearer(indonesia_focal_point).post(updates(published), body, content_type="application/json")
    status, problem_type, document = _problem(response)
    assert (status, problem_type, document["detail"]) == (
        400,
        PROBLEM,
        f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.",
    )


def test_nesting_past_the_depth_is_named(pledges, indonesia_focal_point):
    published, _hidden, _ghana = pledges
    body = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    response = bearer(indonesia_focal_point).post(updates(published), body, content_type="application/json")
    assert response.json()["detail"] == f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep."


def test_form_with_too_many_fields_is_a_400_problem(pledges, indonesia_focal_point, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    published, _hidden, _ghana = pledges
    body = "&".join(f"f{n}=1" for n in range(10))
    response = bearer(indonesia_focal_point).post(
        updates(published), body, content_type="application/x-www-form-urlencoded"
    )
    _status, _type, document = _problem(response)
    assert (response.status_code, document["detail"]) == (
        400,
        "The form has more fields or files than the API accepts.",
    )


# --- every parser -----------------------------------------------------------------------------------------------


def _api_views(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _api_views(pattern, route)
        elif route.startswith("api/") and hasattr(pattern.callback, "cls"):
            yield route, pattern.callback.cls


def test_every_api_endpoint_reads_bodies_through_bounded_parsers():
    views = dict(_api_views(get_resolver()))
    unbounded = {
        route: [type(parser).__name__ for parser in view().get_parsers() if not isinstance(parser, BoundedParser)]
        for route, view in views.items()
    }
    assert (len(views) > 15, {route: names for route, names in unbounded.items() if names}) == (True, {})
