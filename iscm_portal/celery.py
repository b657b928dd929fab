import os

from celery import Celery, Task
from celery.signals import before_task_publish, task_postrun, task_prerun

from .request_context import current_request_id, request_id_bind, request_id_reset

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iscm_portal.settings.local")


class PortalTask(Task):
    """Every task of the portal: one that lost its database connection is retried on a fresh one."""

    def __call__(self, *args, **kwargs):
        from iscm_portal.database_outage import DATABASE_UNAVAILABLE, task_lost_database

        try:
            return super().__call__(*args, **kwargs)
        except DATABASE_UNAVAILABLE as exc:
            return task_lost_database(self, exc)


app = Celery("iscm_portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each worker writes its heartbeat (read by /healthz) from its own timer.
app.steps["worker"].add("operations.worker_steps:HeartbeatStep")


# The request id travels with each task (a message header) and is bound while the worker runs it.
@before_task_publish.connect(dispatch_uid="iscm-request-id-publish")
def _carry_request_id(headers=None, **kwargs):
    request_id = current_request_id()
    if headers is not None and request_id and not headers.get("request_id"):
        headers["request_id"] = request_id


@task_prerun.connect(dispatch_uid="iscm-request-id-prerun")
def _bind_request_id(task_id=None, task=None, **kwargs):
    request = task.request
    request_id = getattr(request, "request_id", None) or (request.headers or {}).get("request_id")
    request._request_id_token = request_id_bind(request_id or f"task-{task_id}")


@task_postrun.connect(dispatch_uid="iscm-request-id-postrun")
def _unbind_request_id(task=None, **kwargs):
    token = getattr(task.request, "_request_id_token", None)
    if token is not None:
        request_id_reset(token)
