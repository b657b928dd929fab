"""Writes of the pledges app: one function per business action."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_iom_or_admin
from iscm_portal import page_cache
from iscm_portal.email_once import email_send_once, emails_for_recipients

from .enums import (
    CLOSED_STATUSES,
    DUE_AFTER_DAYS,
    REMINDER_DAYS_BEFORE_DUE,
    PledgerType,
    PledgeScope,
)
from .models import Pledge, PledgeReminder, PledgeUpdate
from .rules import is_pledge_owner
from .selectors import with_activity

logger = logging.getLogger(__name__)

M2M_FIELDS = ("objectives", "guiding_principles", "regions", "states", "co_pledger_states")


class PledgeError(Exception):
    """A pledge action that the rules refuse."""


class PledgeNotAllowed(PledgeError):
    def __init__(self):
        super().__init__(_("You may only record pledges of your own State or mechanism."))


class PledgeNeedsObjective(PledgeError):
    def __init__(self):
        super().__init__(_("A pledge serves at least one GCM objective."))


class PledgePublishNotAllowed(PledgeError):
    def __init__(self):
        super().__init__(_("Only IOM staff and administrators publish or withdraw pledges."))


def _check_owner(pledge: Pledge, by) -> None:
    if not (is_iom_or_admin(by) or is_pledge_owner(by, pledge)):
        raise PledgeNotAllowed()


def _check_publication(pledge: Pledge, by, *, was_published: bool | None) -> None:
    """Publishing is the `pledges.publish_pledge` rule's: others may record and edit, not change what is public."""
    if pledge.is_published != was_published and not by.has_perm("pledges.publish_pledge", pledge):
        raise PledgePublishNotAllowed()


def _normalise(pledge: Pledge) -> None:
    """Keep pledger fields consistent with the pledger type."""
    if pledge.pledger_type != PledgerType.STATE:
        pledge.pledger_state = None
    if pledge.pledger_type != PledgerType.ISCM:
        pledge.pledger_mechanism = None
    if pledge.pledger_type in (PledgerType.STATE, PledgerType.ISCM):
        pledge.pledger_name = ""


def _set_relations(pledge: Pledge, relations: dict) -> None:
    for name in M2M_FIELDS:
        if name in relations:
            getattr(pledge, name).set(relations[name])
    if pledge.scope == PledgeScope.NATIONAL and pledge.pledger_state_id and not pledge.states.exists():
        pledge.states.set([pledge.pledger_state_id])


@transaction.atomic
def pledge_create(*, by, fields: dict, relations: dict) -> Pledge:
    """Record a new pledge; `relations` holds the many-to-many values by field name.

    Without `is_published` in `fields`, a publisher's pledge is published and anyone else's waits for IOM.
    """
    page_cache.content_changed(page_cache.PLEDGES)
    if not relations.get("objectives"):
        raise PledgeNeedsObjective()
    fields = {"is_published": by.has_perm("pledges.publish_pledge"), **fields}
    pledge = Pledge(**fields, created_by=by)
    _normalise(pledge)
    _check_owner(pledge, by)
    _check_publication(pledge, by, was_published=False)
    pledge.full_clean(exclude=M2M_FIELDS)
    pledge.save()
    _set_relations(pledge, relations)
    return pledge


@transaction.atomic
def pledge_update(*, pledge: Pledge, by, fields: dict, relations: dict) -> Pledge:
    """Change a pledge; the owner must still own it afterwards (no handing a pledge to another State)."""
    page_cache.content_changed(page_cache.PLEDGES)
    # The checks read the stored pledge: a bound ModelForm has already copied its input onto `pledge`.
    stored = Pledge.objects.select_for_update().get(pk=pledge.pk)
    _check_owner(stored, by)
    if "objectives" in relations and not relations["objectives"]:
        raise PledgeNeedsObjective()
    was_published = stored.is_published
    for name, value in fields.items():
        setattr(pledge, name, value)
    _normalise(pledge)
    _check_owner(pledge, by)
    _check_publication(pledge, by, was_published=was_published)
    pledge.full_clean(exclude=M2M_FIELDS)
    pledge.save()
    _set_relations(pledge, relations)
    return pledge


@transaction.atomic
def pledge_publish(*, pledge: Pledge, by, published: bool) -> Pledge:
    """Publish a pledge (everyone may read it) or withdraw it from the public (only its owners and IOM)."""
    page_cache.content_changed(page_cache.PLEDGES)
    if not by.has_perm("pledges.publish_pledge", pledge):
        raise PledgePublishNotAllowed()
    pledge.is_published = published
    pledge.save(update_fields=["is_published", "updated_at"])
    return pledge


@transaction.atomic
def pledge_progress_add(*, pledge: Pledge, by, date: datetime.date, text: str, status: str) -> PledgeUpdate:
    """Post a dated progress update; the pledge takes the status it reports."""
    page_cache.content_changed(page_cache.PLEDGES)
    _check_owner(pledge, by)
    update = PledgeUpdate.objects.create(pledge=pledge, date=date, text=text, status=status, author=by)
    if pledge.status != status:
        pledge.status = status
        pledge.save(update_fields=["status", "updated_at"])
    return update


def pledge_owners(pledge: Pledge) -> list[User]:
    """Who answers for a pledge: its State's focal points, its mechanism's secretariat, and whoever recorded it."""
    owners = Q(pk=pledge.created_by_id) if pledge.created_by_id else Q(pk__in=[])
    if pledge.pledger_state_id:
        owners |= Q(focal_point_state_id=pledge.pledger_state_id)
    if pledge.pledger_mechanism_id:
        owners |= Q(secretariat_mechanisms=pledge.pledger_mechanism_id)
    users = User.objects.filter(owners, is_active=True).exclude(email="").only("email", "language")
    return sorted({user.email: user for user in users}.values(), key=lambda user: user.email)


def pledges_due_for_reminder(*, today: datetime.date):
    """Open pledges that turn amber within the reminder window and were not reminded for this period."""
    turns_due_before = today - datetime.timedelta(days=DUE_AFTER_DAYS - REMINDER_DAYS_BEFORE_DUE)
    already_due = today - datetime.timedelta(days=DUE_AFTER_DAYS)
    return (
        with_activity(Pledge.objects.exclude(status__in=CLOSED_STATUSES), today=today)
        .filter(last_activity_on__lte=turns_due_before, last_activity_on__gt=already_due)
        .exclude(
            Exists(PledgeReminder.objects.filter(pledge=OuterRef("pk"), last_activity_on=OuterRef("last_activity_on")))
        )
        .select_related("pledger_state", "pledger_mechanism")
    )


def pledge_reminder_send(*, pledge_id: int, today: datetime.date) -> bool:
    """E-mail one pledge's owners once for its current period of silence; True if an e-mail went out."""
    pledge = (
        with_activity(Pledge.objects.filter(pk=pledge_id), today=today)
        .select_related("pledger_state", "pledger_mechanism")
        .first()
    )
    if pledge is None or pledge.status in CLOSED_STATUSES:
        return False
    owners = pledge_owners(pledge)
    if not owners:
        return False
    due_on = pledge.last_activity_on + datetime.timedelta(days=DUE_AFTER_DAYS)

    def compose():
        link = settings.SITE_URL.rstrip("/") + reverse("pledges:detail", kwargs={"pk": pledge.pk})
        return (
            _("Pledge “%(title)s”: a progress update is due") % {"title": pledge.title[:80]},
            render_to_string("pledges/email/reminder.txt", {"pledge": pledge, "due_on": due_on, "link": link}),
        )

    # Once per pledge and period of silence (PledgeReminder's unique constraint); each owner in their language.
    return email_send_once(
        record_sent=lambda: PledgeReminder.objects.create(
            pledge=pledge, last_activity_on=pledge.last_activity_on, recipients=[user.email for user in owners]
        ),
        messages=emails_for_recipients(recipients=owners, compose=compose),
    )


def pledge_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the owners of every pledge about to turn amber; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    for pledge_id in pledges_due_for_reminder(today=today).values_list("pk", flat=True):
        sent += pledge_reminder_send(pledge_id=pledge_id, today=today)
    return sent


@dataclass
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def pledges_import(*, rows: list[dict], by) -> ImportResult:
    """Create or update every validated row in one transaction: all rows or none.

    Rows carry a natural key, so importing the same file twice updates instead of duplicating.
    """
    page_cache.content_changed(page_cache.PLEDGES)
    if not is_iom_or_admin(by):
        raise PledgeNotAllowed()
    existing = dict(
        Pledge.objects.filter(import_key__in=[row["import_key"] for row in rows]).values_list("import_key", "pk")
    )
    created = updated = 0
    for row in rows:
        fields = {**row["fields"], "announced_on": datetime.date.fromisoformat(row["fields"]["announced_on"])}
        pledge_id = existing.get(row["import_key"])
        if pledge_id:
            Pledge.objects.filter(pk=pledge_id).update(**fields, updated_at=timezone.now())
            pledge, was_created = Pledge.objects.get(pk=pledge_id), False
        else:
            pledge, was_created = Pledge.objects.create(**fields, import_key=row["import_key"], created_by=by), True
        for name, ids in row["relations"].items():
            getattr(pledge, name).set(ids)
        if pledge.scope == PledgeScope.NATIONAL and pledge.pledger_state_id and not row["relations"]["states"]:
            pledge.states.set([pledge.pledger_state_id])
        created += was_created
        updated += not was_created
    return ImportResult(created=created, updated=updated)
