"""`email_send_once`: the one owner of "send this e-mail event once", used by reviews and pledges."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from iscm_portal.email_once import email_send_once
from reviews.models import SentNotification

pytestmark = pytest.mark.django_db


def _send(key):
    return email_send_once(
        record_sent=lambda: SentNotification.objects.create(key=key, subject="Hello"),
        messages=[
            EmailMessage("Hello", "Body", None, ["a@example.org"]),
            EmailMessage("Hello", "Body", None, ["b@example.org"]),
        ],
    )


def test_email_send_once_sends_an_event_once():
    assert [_send("event:1"), _send("event:1"), _send("event:2")] == [True, False, True]
    assert [message.to for message in mail.outbox] == [["a@example.org"], ["b@example.org"]] * 2
    assert list(SentNotification.objects.values_list("key", flat=True)) == ["event:1", "event:2"]


def test_email_send_once_keeps_no_record_when_the_mail_server_is_down(settings):
    locmem = settings.MAILERS
    # Nothing listens on this port: the event must not be recorded as sent, so that a retry sends it.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with pytest.raises(OSError):
        _send("event:1")
    assert SentNotification.objects.count() == 0
    settings.MAILERS = locmem
    assert (_send("event:1"), len(mail.outbox)) == (True, 2)


def test_reviews_and_pledges_send_through_email_send_once():
    from pledges import services as pledge_services
    from reviews import notifications

    assert (notifications.email_send_once, pledge_services.email_send_once) == (email_send_once, email_send_once)
