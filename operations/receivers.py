"""Celery signals that close outbox messages: done when the task succeeds, failed after its last retry."""

from celery.signals import task_failure, task_success, worker_ready

from .outbox import outbox_finish


@task_success.connect(dispatch_uid="operations-outbox-success")
def outbox_task_succeeded(sender=None, **kwargs):
    outbox_finish(task_id=sender.request.id)


@task_failure.connect(dispatch_uid="operations-outbox-failure")
def outbox_task_failed(sender=None, task_id=None, exception=None, **kwargs):
    outbox_finish(task_id=task_id, error=exception)


@worker_ready.connect(dispatch_uid="operations-worker-ready")
def worker_started(sender=None, **kwargs):
    """A starting worker hands over what the outbox still holds (the broker may have been down or emptied)."""
    from .tasks import relay_outbox  # inline: the worker's tasks are registered once it is ready

    relay_outbox.apply_async(ignore_result=True)
