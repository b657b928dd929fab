"""Sending an e-mail event once: the one place that owns "a retried task must not send it twice".

Each caller names its event by a row with a unique constraint (reviews' `SentNotification.key`, pledges'
`PledgeReminder` per pledge and period of silence). `email_send_once` creates that row and sends in one
transaction: if the row exists the event was sent and nothing goes out; if the mail server fails the row
is rolled back, so a retry sends.
"""

from collections.abc import Callable, Sequence

from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction


def email_send_once(*, record_sent: Callable[[], object], messages: Sequence[EmailMessage]) -> bool:
    """Send `messages` unless `record_sent()` hits its unique constraint; True if they were sent now."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record_sent()
        except IntegrityError:
            return False  # sent already, by an earlier run or a concurrent retry
        mailers.default.send_messages(list(messages))
    return True
