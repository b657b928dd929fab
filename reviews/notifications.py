"""E-mails of the review workflow: what each event says, to whom, and sending each event only once.

Every e-mail event has a key (the transition it reports, or the reminder it is). `notification_send`
records the key as `SentNotification` through `iscm_portal.email_once`, so a retried task sends nothing twice,
and writes each recipient's e-mail in that recipient's language (`emails_for_recipients`): an event's text
is a `compose` function, not a string, so that it can be written once per language.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from iscm_portal.email_once import Compose, compose_in, email_send_once, emails_for_recipients

from .comments import open_threads_described
from .models import Review, ReviewCycle, ReviewTransition, SentNotification


@dataclass
class Notification:
    key: str
    compose: Compose  # (subject, body) in the active language; links reversed inside it get its prefix
    recipients: list[User] = field(default_factory=list)
    review: Review | None = None


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _recipients(users) -> list[User]:
    return list(users.filter(is_active=True).exclude(email="").distinct().order_by("email").only("email", "language"))


def iom_recipients() -> list[User]:
    return _recipients(User.objects.filter(is_iom_staff=True))


def secretariat_recipients(mechanism_id: int) -> list[User]:
    return _recipients(User.objects.filter(secretariat_mechanisms=mechanism_id))


def transition_notification(transition: ReviewTransition) -> Notification | None:
    """The e-mail a workflow step sends, or None if the step sends none."""
    review = transition.review
    mechanism = review.mechanism
    names = {"mechanism": mechanism.acronym, "cycle": review.cycle.name}
    key = f"transition:{transition.pk}"

    def link(name="reviews:review_workflow"):
        return _absolute(reverse(name, kwargs={"pk": review.pk}))

    def who():
        return (transition.by.get_full_name() or transition.by.username) if transition.by else _("Someone")

    if transition.action == "submit":
        earlier = review.transitions.filter(action="submit", pk__lt=transition.pk).exists()

        def compose():
            if earlier:
                subject = _("%(mechanism)s resubmitted its regional review (%(cycle)s)") % names
            else:
                subject = _("%(mechanism)s submitted its regional review (%(cycle)s)") % names
            body = _(
                "%(who)s submitted the regional review of %(mechanism)s for %(cycle)s.\n\nReview it: %(link)s\n"
            ) % {**names, "who": who(), "link": link()}
            if earlier:
                body += _("See what changed since the last submission: %(link)s\n") % {
                    "link": link("reviews:review_compare")
                }
            return subject, body

        return Notification(key, compose, iom_recipients(), review)
    if transition.action == "request_changes":

        def compose():
            comments = "\n".join(f"- {line}" for line in open_threads_described(review))
            body = _("IOM asked for changes to the regional review of %(mechanism)s for %(cycle)s.\n\n") % names
            if transition.reason:
                body += _("A note from %(who)s:\n%(note)s\n\n") % {"who": who(), "note": transition.reason}
            # The review page opens with the open comments, each linking to its part.
            body += _("Open comments:\n%(comments)s\n\nSee the comments beside each part and resubmit: %(link)s\n") % {
                "comments": comments,
                "link": link("reviews:review_detail"),
            }
            return _("Changes requested on your regional review (%(cycle)s)") % names, body

        return Notification(key, compose, secretariat_recipients(mechanism.pk), review)
    if transition.action == "approve":

        def compose():
            return _("Your regional review is approved (%(cycle)s)") % names, _(
                "IOM approved the regional review of %(mechanism)s for %(cycle)s. It will be part of the IMRF "
                "input package.\n\n%(link)s\n"
            ) % {**names, "link": link()}

        return Notification(key, compose, secretariat_recipients(mechanism.pk), review)
    if transition.action == "reopen":

        def compose():
            return _("Your regional review was reopened (%(cycle)s)") % names, _(
                "IOM reopened the approved regional review of %(mechanism)s for %(cycle)s.\n\nReason: %(reason)s\n\n"
                "Edit and resubmit it: %(link)s\n"
            ) % {**names, "reason": transition.reason, "link": link()}

        return Notification(key, compose, secretariat_recipients(mechanism.pk), review)
    return None


def reminder_notification(
    *, cycle: ReviewCycle, mechanism, kind: str, today: datetime.date, review: Review | None
) -> Notification:
    """A reminder to a secretariat whose review for `cycle` is not submitted; `kind` is "before:N" or "overdue:W"."""
    before = kind.startswith("before:")
    days = (cycle.due_on - today).days if before else (today - cycle.due_on).days

    def compose():
        names = {"mechanism": mechanism.acronym, "cycle": cycle.name, "due": date_format(cycle.due_on), "days": days}
        if before:
            subject = (
                ngettext(
                    "Reminder: your regional review is due in %(days)s day (%(cycle)s)",
                    "Reminder: your regional review is due in %(days)s days (%(cycle)s)",
                    days,
                )
                % names
            )
            body = (
                _(
                    "The regional review of %(mechanism)s for %(cycle)s is due on %(due)s and has not been "
                    "submitted yet.\n"
                )
                % names
            )
        else:
            subject = _("Overdue: your regional review was due on %(due)s (%(cycle)s)") % names
            body = (
                ngettext(
                    "The regional review of %(mechanism)s for %(cycle)s was due on %(due)s, %(days)s day ago, and has "
                    "not been submitted yet.\n",
                    "The regional review of %(mechanism)s for %(cycle)s was due on %(due)s, %(days)s days ago, and has "
                    "not been submitted yet.\n",
                    days,
                )
                % names
            )
        if review is not None:
            body += _("Its status: %(status)s.\n") % {"status": review.get_status_display()}
        body += _("\nYour reviews: %(link)s\n") % {"link": _absolute(reverse("reviews:my_reviews"))}
        return subject, body

    key = f"reminder:{kind}:cycle{cycle.pk}:mechanism{mechanism.pk}"
    return Notification(key, compose, secretariat_recipients(mechanism.pk), review)


def notification_send(*, notification: Notification) -> bool:
    """Send one e-mail per recipient unless this event was sent already; True if sent now."""
    if not notification.recipients:
        return False
    messages = emails_for_recipients(recipients=notification.recipients, compose=notification.compose)
    subject, _body = compose_in(settings.LANGUAGE_CODE, notification.compose)  # the record is in the site's language
    return email_send_once(
        record_sent=lambda: SentNotification.objects.create(
            key=notification.key,
            review=notification.review,
            recipients=[user.email for user in notification.recipients],
            subject=subject[:255],
        ),
        messages=messages,
    )
