"""Write services of the mechanisms app."""

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gcm import reference_data as gcm_reference
from iscm_portal import page_cache
from iscm_portal.reference_loading import UpsertCounter

from . import reference_data as directory_reference
from .models import ChairTerm, Mechanism, Membership, State


def reference_data_load(
    *,
    gcm_data_dir: Path = gcm_reference.DATA_DIR,
    directory_data_dir: Path = directory_reference.DATA_DIR,
    today: datetime.date | None = None,
) -> UpsertCounter:
    """Load all reference data in one transaction: either every file applies or nothing is written."""
    counter = UpsertCounter()
    with transaction.atomic():
        gcm_reference.gcm_reference_load(counter=counter, data_dir=gcm_data_dir)
        directory_reference.directory_reference_load(
            counter=counter, data_dir=directory_data_dir, today=today or timezone.localdate()
        )
        # The reference data (States, mechanisms, objectives) shows on every kind of public page.
        page_cache.content_changed(*page_cache.KINDS)
    return counter


class DirectoryChangeError(Exception):
    """A change to the directory that the rules refuse; the message says exactly why."""


def chair_set(*, mechanism: Mechanism, state: State | None, since: datetime.date | None) -> ChairTerm | None:
    """Hand the chair to `state` from `since`, ending the current term that day; None ends the chair only."""
    current = mechanism.chair_terms.filter(end_date__isnull=True).select_related("state").first()
    if current is not None and state is not None and current.state_id == state.pk:
        if since is not None and since != current.start_date:
            current.start_date = since  # a correction of the date the current chair took over
            current.save(update_fields=["start_date"])
        return current
    if since is None:
        raise DirectoryChangeError(_("Give the date from which the chair changes."))
    if current is not None and since < current.start_date:
        raise DirectoryChangeError(
            _("The new term cannot start before the current chair's term began (%(date)s).")
            % {"date": date_format(current.start_date)}
        )
    with transaction.atomic():
        page_cache.content_changed(page_cache.MECHANISMS)
        if current is not None:
            current.end_date = since
            current.save(update_fields=["end_date"])
        if state is None:
            return None
        return ChairTerm.objects.create(mechanism=mechanism, state=state, start_date=since)


def mechanism_profile_update(
    *,
    mechanism: Mechanism,
    values: dict,
    themes=None,
    regions=None,
    partners=None,
    chair_state: State | None = None,
    chair_since: datetime.date | None = None,
    chair_changed: bool = False,
) -> Mechanism:
    """Save a mechanism's profile and, if it changed, its chair, as one change (HistoricalRecords log who)."""
    with transaction.atomic():
        page_cache.content_changed(page_cache.MECHANISMS)
        # A bound ModelForm has already copied its values onto the instance, so compare with what is stored.
        stored = Mechanism.objects.get(pk=mechanism.pk)
        changed = [name for name, value in values.items() if getattr(stored, name) != value]
        for name in changed:
            setattr(mechanism, name, values[name])
        if changed:
            mechanism.save(update_fields=changed)
        for manager, wanted in (
            (mechanism.themes, themes),
            (mechanism.regions, regions),
            (mechanism.partners, partners),
        ):
            if wanted is not None and set(manager.all()) != set(wanted):
                manager.set(wanted)
        if chair_changed:
            chair_set(mechanism=mechanism, state=chair_state, since=chair_since)
    return mechanism


def memberships_add(
    *, mechanism: Mechanism, states: list[State], role: str, start_date: datetime.date | None
) -> list[Membership]:
    """Add States in one role, all or none. A State already taking part in another role changes role:
    its current row ends the day before and a new one starts, so the change stays on record."""
    current = {m.state_id: m for m in mechanism.memberships.current().select_related("state")}
    problems = [
        _("%(state)s is already a %(role)s.")
        % {"state": current[s.pk].state.name, "role": current[s.pk].get_role_display()}
        for s in states
        if s.pk in current and current[s.pk].role == role
    ]
    if problems:
        raise DirectoryChangeError(" ".join(problems))
    day = start_date or timezone.localdate()
    created = []
    with transaction.atomic():
        page_cache.content_changed(page_cache.MECHANISMS)
        for state in states:
            previous = current.get(state.pk)
            if previous is not None:
                if previous.start_date and day < previous.start_date:
                    raise DirectoryChangeError(
                        _("%(state)s took part since %(date)s; the change cannot start earlier.")
                        % {"state": state.name, "date": date_format(previous.start_date)}
                    )
                previous.end_date = day
                previous.save(update_fields=["end_date"])
            created.append(Membership.objects.create(mechanism=mechanism, state=state, role=role, start_date=day))
    return created


def membership_end(*, membership: Membership, end_date: datetime.date, note: str = "") -> Membership:
    """Record that a State left the mechanism; the row stays as history."""
    if membership.end_date is not None:
        raise DirectoryChangeError(
            _("%(state)s already left on %(date)s.")
            % {"state": membership.state.name, "date": date_format(membership.end_date)}
        )
    if membership.start_date and end_date < membership.start_date:
        raise DirectoryChangeError(
            _("The end date cannot be before the start date (%(date)s).") % {"date": date_format(membership.start_date)}
        )
    membership.end_date = end_date
    membership.note = note or membership.note
    membership.save(update_fields=["end_date", "note"])
    page_cache.content_changed(page_cache.MECHANISMS)
    return membership
