import datetime

from celery import shared_task

from iscm_portal.email_once import MAIL_RETRY

from . import services


@shared_task(name="pledges.send_progress_reminders", **MAIL_RETRY)  # idempotent: a retry sends only the rest
def send_progress_reminders(today: str | None = None) -> int:
    """Daily: remind owners of pledges about to turn amber. Idempotent: one e-mail per pledge per period."""
    return services.pledge_reminders_send(today=datetime.date.fromisoformat(today) if today else None)
