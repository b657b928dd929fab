from celery import shared_task


@shared_task(name="iscm_portal.ping")
def ping() -> str:
    """Round trip used by the health of workers and the worker integration test."""
    return "pong"
