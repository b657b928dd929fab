"""E-mail events: sending each event once, and writing each e-mail in its recipient's language.

Each caller names its event by a row with a unique constraint (reviews' `SentNotification.key`, pledges'
`PledgeReminder` per pledge and period of silence). `email_send_once` creates that row and sends in one
transaction: if the row exists the event was sent and nothing goes out; if the mail server fails the row
is rolled back, so a retry sends.

`emails_for_recipients` is the one place that decides which language an e-mail is written in: the
recipient's saved language (`User.language`), else the site's default. The caller's `compose` runs inside
that language, so its gettext calls, templates, dates and `reverse()` links (language-prefixed pages such
as `/fr/reviews/…`) all follow the recipient, whatever language the sending request or worker runs in.
"""

import smtplib
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import translation

Compose = Callable[[], tuple[str, str]]


def recipient_language(user) -> str:
    """The language e-mails to `user` are written in: their saved choice, else `settings.LANGUAGE_CODE`."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def compose_in(language: str, compose: Compose) -> tuple[str, str]:
    """`compose()` (subject, body) written in `language`."""
    with translation.override(language):
        subject, body = compose()
    return " ".join(str(subject).split()), str(body)  # a subject is one line, whatever a translation holds


def emails_for_recipients(*, recipients: Iterable, compose: Compose) -> list[EmailMessage]:
    """One e-mail per recipient (a user with an address), each in that user's language.

    `compose` returns (subject, body) and is called once per language among the recipients, never in the
    language of whoever happens to be sending.
    """
    written: dict[str, tuple[str, str]] = {}
    messages = []
    for user in recipients:
        language = recipient_language(user)
        if language not in written:
            written[language] = compose_in(language, compose)
        subject, body = written[language]
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return messages


# How a task that sends e-mail retries a mail server that fails: 1, 2, 4, ... minutes apart (with jitter),
# six times (about an hour in all); after the last try the task fails, and an outbox message shows in the
# admin as failed (Operations › Outbox messages), to be handed over again.
MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 60,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


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
