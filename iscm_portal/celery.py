import os

from celery import Celery, Task

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
