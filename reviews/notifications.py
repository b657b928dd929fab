"""E-mails of the review workflow: what each event says, to whom, and sending each event only once.

Every e-mail event has a key (the transition it reports, or the reminder it is). `notification_send`
records the key as `SentNotification` through `iscm_portal.email_once`, so a retried task sends nothing twice.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from iscm_portal.email_once import email_send_once

from .comments import open_threads_described
from .models import Review, ReviewCycle, ReviewTransition, SentNotification


@dataclass
class Notification:
    key: str
    subject: str
    body: str
    recipients: list[str] = field(default_factory=list)
    review: Review | None = None


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def iom_recipients() -> list[str]:
    users = User.objects.filter(is_iom_staff=True, is_active=True).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def secretariat_recipients(mechanism_id: int) -> list[str]:
    users = User.objects.filter(secretariat_mechanisms=mechanism_id, is_active=True).exclude(email="")
    return sorted(users.values_list("email", flat=True).distinct())


def transition_notification(transition: ReviewTransition) -> Notification | None:
    """The e-mail a workflow step sends, or None if the step sends none."""
    review = transition.review
    mechanism = review.mechanism
    names = {"mechanism": mechanism.acronym, "cycle": review.cycle.name}
    link = _absolute(reverse("reviews:review_workflow", kwargs={"pk": review.pk}))
    who = (transition.by.get_full_name() or transition.by.username) if transition.by else _("Someone")
    key = f"transition:{transition.pk}"
    if transition.action == "submit":
        earlier = review.transitions.filter(action="submit", pk__lt=transition.pk).exists()
        if earlier:
            subject = _("%(mechanism)s resubmitted its regional review (%(cycle)s)") % names
        else:
            subject = _("%(mechanism)s submitted its regional review (%(cycle)s)") % names
        body = _("%(who)s submitted the regional review of %(mechanism)s for %(cycle)s.\n\nReview it: %(link)s\n") % {
            **names,
            "who": who,
            "link": link,
        }
        if earlier:
            compare = _absolute(reverse("reviews:review_compare", kwargs={"pk": review.pk}))
            body += _("See what changed since the last submission: %(link)s\n") % {"link": compare}
        return Notification(key, subject, body, iom_recipients(), review)
    if transition.action == "request_changes":
        subject = _("Changes requested on your regional review (%(cycle)s)") % names
        body = _(
            "IOM asked for changes to the regional review of %(mechanism)s for %(cycle)s.\n\n"
            "Open comments:\n%(comments)s\n\nSee the comments beside each part and resubmit: %(link)s\n"
        ) % {**names, "comments": "\n".join(f"- {line}" for line in open_threads_described(review)), "link": link}
        return Notification(key, subject, body, secretariat_recipients(mechanism.pk), review)
    if transition.action == "approve":
        subject = _("Your regional review is approved (%(cycle)s)") % names
        body = _(
            "IOM approved the regional review of %(mechanism)s for %(cycle)s. It will be part of the IMRF "
            "input package.\n\n%(link)s\n"
        ) % {**names, "link": link}
        return Notification(key, subject, body, secretariat_recipients(mechanism.pk), review)
    if transition.action == "reopen":
        subject = _("Your regional review was reopened (%(cycle)s)") % names
        body = _(
            "IOM reopened the approved regional review of %(mechanism)s for %(cycle)s.\n\nReason: %(reason)s\n\n"
            "Edit and resubmit it: %(link)s\n"
        ) % {**names, "reason": transition.reason, "link": link}
        return Notification(key, subject, body, secretariat_recipients(mechanism.pk), review)
    return None


def reminder_notification(
    *, cycle: ReviewCycle, mechanism, kind: str, today: datetime.date, review: Review | None
) -> Notification:
    """A reminder to a secretariat whose review for `cycle` is not submitted; `kind` is "before:N" or "overdue:W"."""
    names = {"mechanism": mechanism.acronym, "cycle": cycle.name, "due": cycle.due_on.isoformat()}
    link = _absolute(reverse("reviews:my_reviews"))
    if kind.startswith("before:"):
        days = (cycle.due_on - today).days
        subject = _("Reminder: your regional review is due in %(days)s days (%(cycle)s)") % {**names, "days": days}
        body = (
            _("The regional review of %(mechanism)s for %(cycle)s is due on %(due)s and has not been submitted yet.\n")
            % names
        )
    else:
        days = (today - cycle.due_on).days
        subject = _("Overdue: your regional review was due on %(due)s (%(cycle)s)") % names
        body = _(
            "The regional review of %(mechanism)s for %(cycle)s was due on %(due)s, %(days)s days ago, and has not "
            "been submitted yet.\n"
        ) % {**names, "days": days}
    if review is not None:
        body += _("Its status: %(status)s.\n") % {"status": review.get_status_display()}
    body += _("\nYour reviews: %(link)s\n") % {"link": link}
    key = f"reminder:{kind}:cycle{cycle.pk}:mechanism{mechanism.pk}"
    return Notification(key, subject, body, secretariat_recipients(mechanism.pk), review)


def notification_send(*, notification: Notification) -> bool:
    """Send one e-mail per recipient unless this event was sent already; True if sent now."""
    if not notification.recipients:
        return False
    return email_send_once(
        record_sent=lambda: SentNotification.objects.create(
            key=notification.key,
            review=notification.review,
            recipients=notification.recipients,
            subject=notification.subject[:255],
        ),
        messages=[
            EmailMessage(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [address])
            for address in notification.recipients
        ],
    )
