"""Structured logs: a request id per request, answered in X-Request-ID, carried by tasks, on every log line."""

import json
import logging

import pytest

from iscm_portal.celery import _bind_request_id, _carry_request_id, _unbind_request_id
from iscm_portal.json_logging import JsonFormatter, RequestIdFilter
from iscm_portal.request_context import current_request_id, request_id_bind, request_id_reset
from iscm_portal.tasks import ping
from operations.models import OutboxMessage
from tests.factories import complete_review


@pytest.mark.django_db
def test_request_id_is_answered_and_a_well_formed_one_from_the_proxy_kept(client):
    mine = client.get("/healthz", headers={"X-Request-ID": "edge-42.a"})["X-Request-ID"]
    made = client.get("/healthz", headers={"X-Request-ID": 'bad id"\n'})["X-Request-ID"]
    assert (mine, len(made), made.isalnum()) == ("edge-42.a", 32, True)


@pytest.mark.django_db
def test_outbox_message_keeps_the_request_id_of_the_step(client, bali, bali_secretariat, iom_user):
    review = complete_review(bali)
    client.force_login(bali_secretariat)
    response = client.post(
        f"/reviews/{review.pk}/transition/submit/", {"confirmed": "yes"}, headers={"X-Request-ID": "submit-1"}
    )
    assert response["X-Request-ID"] == "submit-1"
    assert list(OutboxMessage.objects.values_list("task", "request_id")) == [
        ("reviews.send_transition_notification", "submit-1")
    ]


def test_tasks_carry_the_request_id_in_their_headers_and_bind_it_while_running():
    token = request_id_bind("req-7")
    headers = {}
    _carry_request_id(headers=headers)
    request_id_reset(token)
    assert headers == {"request_id": "req-7"}

    ping.push_request(id="task-1", request_id="req-7")  # what the worker's request holds from the headers
    try:
        _bind_request_id(task_id="task-1", task=ping)
        assert current_request_id() == "req-7"
        _unbind_request_id(task=ping)
        assert current_request_id() is None
    finally:
        ping.pop_request()

    ping.push_request(id="beat-1")  # queued by beat, not by a request: the task's own id
    try:
        _bind_request_id(task_id="beat-1", task=ping)
        assert current_request_id() == "task-beat-1"
        _unbind_request_id(task=ping)
    finally:
        ping.pop_request()


def test_json_log_line_has_the_request_id_and_extra_fields():
    record = logging.LogRecord("reviews", logging.WARNING, __file__, 1, "mail for %s failed", ("bali",), None)
    record.review_id = 12
    token = request_id_bind("req-9")
    try:
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_reset(token)
    assert {key: line[key] for key in ("level", "logger", "message", "request_id", "review_id")} == {
        "level": "WARNING",
        "logger": "reviews",
        "message": "mail for bali failed",
        "request_id": "req-9",
        "review_id": 12,
    }
