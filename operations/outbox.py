"""The outbox: every side effect that must follow a commit (an e-mail, a reminder, a compile) goes through here.

How to use it, from a service, inside the transaction of the step that causes the side effect:

    from operations.outbox import outbox_send
    outbox_send("reviews.send_transition_notification", args=[record.pk])

`outbox_send` records an `OutboxMessage` in the current transaction, so the side effect exists exactly when
the step does (a rolled-back step leaves no message). Once the transaction commits, the message is handed to
the broker at once (best effort, failing fast: a request never waits on a broker that is down). Whatever
was not handed over is picked up by `outbox_relay`, which Celery beat runs every `OUTBOX_RELAY_INTERVAL`
seconds and each worker runs when it starts. A message handed over but not finished by a worker within
`redeliver_after` seconds (a broker that lost its data, a worker that died) is handed over again, so the
task must be idempotent (e-mails are, through `iscm_portal.email_once`; a compile by its attempt number).

A worker closes the message when the task succeeds and marks it failed when the task gives up after its
last retry (`operations.receivers`); failed messages are listed in the Django admin (Operations › Outbox
messages) with a "Hand over again" action. The task is named, not imported, so callers do not import
their own tasks module (no tasks → services cycle).
"""

import logging
import re
from datetime import timedelta

from celery.exceptions import Retry
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from iscm_portal.celery import app
from iscm_portal.request_context import current_request_id

from .enums import OutboxStatus
from .models import OutboxMessage

logger = logging.getLogger(__name__)

# The hand-over fails at once when the broker does not answer, instead of kombu's and redis-py's retries
# (about 19 s per request while Redis is down); the relay hands the message over later.
FAIL_FAST = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5}
TASK_ID_PREFIX = "outbox"


def outbox_send(
    task: str, *, args: list | tuple = (), kwargs: dict | None = None, redeliver_after: int | None = None
) -> OutboxMessage:
    """Record `task(*args, **kwargs)` to run after the current transaction commits, and hand it over then.

    `redeliver_after` (seconds, default `OUTBOX_REDELIVER_AFTER`) must exceed how long the task may
    reasonably wait in the queue and run: after it the message is handed over again.
    """
    redeliver_after = redeliver_after or settings.OUTBOX_REDELIVER_AFTER
    message = OutboxMessage.objects.create(
        task=task,
        args=list(args),
        kwargs=kwargs or {},
        available_at=timezone.now(),
        redeliver_after=redeliver_after,
        request_id=current_request_id() or "",
    )
    transaction.on_commit(lambda: _hand_over(message), robust=True)
    return message


def outbox_task_id(message: OutboxMessage, handover: int) -> str:
    return f"{TASK_ID_PREFIX}-{message.pk}-{handover}"


def outbox_message_id(task_id: str | None) -> int | None:
    """The outbox message a Celery task id belongs to, or None for a task that did not come from the outbox."""
    match = re.fullmatch(rf"{TASK_ID_PREFIX}-(\d+)-\d+", task_id or "")
    return int(match.group(1)) if match else None


def error_described(exc: BaseException) -> str:
    """The error for administrators and IOM staff: its kind and reason, never a server path."""
    if isinstance(exc, Retry) and isinstance(exc.exc, BaseException):
        exc = exc.exc  # tasks run in-process: the first try failed and was to be retried
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.__class__.__name__}: {exc.strerror}"
    return f"{exc.__class__.__name__}: {exc}"[:1000]


def _task(name: str):
    if name not in app.tasks:
        app.loader.import_default_modules()  # tasks run in-process: the apps' tasks modules are imported here
    return app.tasks[name]


def _hand_over(message: OutboxMessage) -> bool:
    """Publish one message on the broker; on failure leave it for the relay. True if the broker took it."""
    handover = message.handovers + 1
    now = timezone.now()
    try:
        options = {
            "task_id": outbox_task_id(message, handover),
            "retry": False,
            "ignore_result": True,
            "headers": {"request_id": message.request_id},
        }
        if app.conf.task_always_eager:
            _task(message.task).apply_async(message.args, message.kwargs, **options)
        else:
            # By name: the web process need not import every app's tasks (seconds, on its first hand-over).
            with app.connection_for_write(transport_options=FAIL_FAST) as connection:
                app.send_task(message.task, message.args, message.kwargs, connection=connection, **options)
    except Exception as exc:
        # A broker that is down, or (tasks run in-process) a task that failed: the latter is marked failed
        # by operations.receivers; the former waits for the relay.
        logger.warning("outbox message %s not handed over: %s", message.pk, error_described(exc))
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.WAITING).update(
            error=error_described(exc), available_at=now
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        handed_over_at=now,
        handovers=F("handovers") + 1,
        available_at=now + timedelta(seconds=message.redeliver_after),
    )
    message.handovers = handover
    return True


def outbox_relay(*, limit: int = 500) -> int:
    """Hand over every waiting message that is due (never handed over, or not finished in time); returns how many."""
    due = OutboxMessage.objects.filter(status=OutboxStatus.WAITING, available_at__lte=timezone.now())
    handed = 0
    with transaction.atomic():
        # skip_locked: the beat's relay and a starting worker's relay never hand one message over twice at once.
        for message in due.select_for_update(skip_locked=True).order_by("available_at")[:limit]:
            handed += _hand_over(message)
    return handed


def outbox_finish(*, task_id: str | None, error: BaseException | None = None) -> None:
    """A worker finished the task of an outbox message: done, or failed after its last retry."""
    message_id = outbox_message_id(task_id)
    if message_id is None:
        return
    if error is None:
        fields = {"status": OutboxStatus.DONE, "error": ""}
    else:
        fields = {"status": OutboxStatus.FAILED, "error": error_described(error)}
    OutboxMessage.objects.filter(pk=message_id).update(finished_at=timezone.now(), **fields)


def outbox_retry(*, message_ids) -> int:
    """Hand failed messages over again (the admin's action); returns how many."""
    with transaction.atomic():
        failed = OutboxMessage.objects.select_for_update().filter(pk__in=message_ids, status=OutboxStatus.FAILED)
        messages = list(failed)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=OutboxStatus.WAITING, available_at=timezone.now(), finished_at=None, error=""
        )
        for message in messages:
            transaction.on_commit(lambda message=message: _hand_over(message), robust=True)
    return len(messages)


def outbox_prune(*, older_than: timedelta) -> int:
    """Forget messages finished successfully longer ago than `older_than`; returns how many."""
    finished = OutboxMessage.objects.filter(status=OutboxStatus.DONE, finished_at__lt=timezone.now() - older_than)
    return finished.delete()[0]
