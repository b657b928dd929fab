import datetime
import re

import pytest
from django.core import mail

from gcm.models import Objective
from mechanisms.models import State
from pledges import services, tasks
from pledges.enums import PledgerType, PledgeScope, PledgeStatus
from pledges.models import Pledge, PledgeReminder
from tests.factories import PledgeFactory, PledgeUpdateFactory, UserFactory


def fields(**overrides):
    return {
        "pledger_type": PledgerType.STATE,
        "pledger_state": State.objects.get(iso3="IDN"),
        "title": "Safe pathways",
        "text": "We commit.",
        "imrf_edition": 2026,
        "announced_on": datetime.date(2026, 5, 8),
        "scope": PledgeScope.NATIONAL,
        "status": PledgeStatus.ANNOUNCED,
        **overrides,
    }


def test_pledge_create_focal_point_own_state_applies_in_state(indonesia_focal_point):
    objectives = list(Objective.objects.filter(number__in=[5, 23]))
    pledge = services.pledge_create(by=indonesia_focal_point, fields=fields(), relations={"objectives": objectives})
    assert list(pledge.objectives.values_list("number", flat=True)) == [5, 23]
    assert list(pledge.states.values_list("iso3", flat=True)) == ["IDN"]
    assert pledge.created_by == indonesia_focal_point


def test_pledge_create_focal_point_other_state_refused(indonesia_focal_point):
    with pytest.raises(services.PledgeNotAllowed):
        services.pledge_create(
            by=indonesia_focal_point,
            fields=fields(pledger_state=State.objects.get(iso3="GHA")),
            relations={"objectives": list(Objective.objects.filter(number=1))},
        )
    assert Pledge.objects.count() == 0


def test_pledge_create_without_objective_refused(iom_user, reference_data):
    with pytest.raises(services.PledgeNeedsObjective):
        services.pledge_create(by=iom_user, fields=fields(), relations={"objectives": []})


def test_pledge_create_secretariat_own_mechanism(bali_secretariat, bali):
    pledge = services.pledge_create(
        by=bali_secretariat,
        fields=fields(pledger_type=PledgerType.ISCM, pledger_state=None, pledger_mechanism=bali),
        relations={"objectives": list(Objective.objects.filter(number=10))},
    )
    assert pledge.pledger_mechanism == bali
    assert pledge.pledger_state is None


def test_pledge_update_focal_point_cannot_hand_pledge_to_other_state(indonesia_focal_point):
    pledge = PledgeFactory()
    with pytest.raises(services.PledgeNotAllowed):
        services.pledge_update(
            pledge=pledge,
            by=indonesia_focal_point,
            fields={"pledger_state": State.objects.get(iso3="GHA")},
            relations={},
        )
    pledge.refresh_from_db()
    assert pledge.pledger_state.iso3 == "IDN"


def test_pledge_progress_add_sets_status(indonesia_focal_point):
    pledge = PledgeFactory()
    update = services.pledge_progress_add(
        pledge=pledge, by=indonesia_focal_point, date=datetime.date(2023, 1, 1), text="Done", status="fulfilled"
    )
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.FULFILLED
    assert update.author == indonesia_focal_point


def test_pledge_progress_add_other_focal_point_refused(reference_data):
    ghana = UserFactory(username="gha", focal_point_state=State.objects.get(iso3="GHA"))
    with pytest.raises(services.PledgeNotAllowed):
        services.pledge_progress_add(
            pledge=PledgeFactory(), by=ghana, date=datetime.date(2023, 1, 1), text="x", status="in_progress"
        )


def test_reminders_sent_once_before_pledge_turns_amber(indonesia_focal_point):
    pledge = PledgeFactory(announced_on=datetime.date(2022, 5, 20))
    PledgeFactory(announced_on=datetime.date(2022, 5, 20), status=PledgeStatus.FULFILLED)
    PledgeFactory(announced_on=datetime.date(2022, 9, 1))  # not yet within the reminder window
    today = datetime.date(2023, 5, 1)  # 19 days before the first pledge turns amber

    assert services.pledge_reminders_send(today=today) == 1
    assert services.pledge_reminders_send(today=today + datetime.timedelta(days=1)) == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["idn-focal@example.org"]
    assert pledge.title in mail.outbox[0].subject
    assert f"/pledges/{pledge.pk}/" in mail.outbox[0].body
    assert list(PledgeReminder.objects.values_list("pledge_id", "last_activity_on")) == [
        (pledge.pk, datetime.date(2022, 5, 20))
    ]


def test_reminders_new_progress_update_opens_new_period(indonesia_focal_point):
    pledge = PledgeFactory(announced_on=datetime.date(2022, 5, 20))
    assert services.pledge_reminders_send(today=datetime.date(2023, 5, 1)) == 1
    PledgeUpdateFactory(pledge=pledge, date=datetime.date(2023, 5, 10))
    assert services.pledge_reminders_send(today=datetime.date(2023, 5, 11)) == 0
    assert services.pledge_reminders_send(today=datetime.date(2024, 4, 20)) == 1
    assert len(mail.outbox) == 2


def test_reminder_task_is_idempotent(indonesia_focal_point):
    PledgeFactory(announced_on=datetime.date(2022, 5, 20))
    assert tasks.send_progress_reminders.delay("2023-05-01").get() == 1
    assert tasks.send_progress_reminders.delay("2023-05-01").get() == 0
    assert len(mail.outbox) == 1


def test_reminder_task_registered_in_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["pledges-progress-reminders"]["task"] == "pledges.send_progress_reminders"


def test_pledge_create_by_focal_point_unpublished_until_iom_publishes(indonesia_focal_point, iom_user):
    objectives = [Objective.objects.get(number=1)]
    pledge = services.pledge_create(by=indonesia_focal_point, fields=fields(), relations={"objectives": objectives})
    assert pledge.is_published is False
    services.pledge_publish(pledge=pledge, by=iom_user, published=True)
    assert Pledge.objects.get().is_published is True


def test_pledge_create_by_iom_published(iom_user):
    objectives = [Objective.objects.get(number=1)]
    pledge = services.pledge_create(by=iom_user, fields=fields(), relations={"objectives": objectives})
    assert pledge.is_published is True


def test_pledge_create_published_by_focal_point_refused(indonesia_focal_point):
    with pytest.raises(services.PledgePublishNotAllowed) as error:
        services.pledge_create(
            by=indonesia_focal_point,
            fields=fields(is_published=True),
            relations={"objectives": [Objective.objects.get(number=1)]},
        )
    assert str(error.value) == "Only IOM staff and administrators publish or withdraw pledges."
    assert Pledge.objects.count() == 0


@pytest.mark.parametrize("published", [True, False])
def test_pledge_update_publication_change_by_owner_refused(indonesia_focal_point, published):
    pledge = PledgeFactory(is_published=published)
    with pytest.raises(services.PledgePublishNotAllowed):
        services.pledge_update(
            pledge=pledge, by=indonesia_focal_point, fields={"is_published": not published}, relations={}
        )
    assert Pledge.objects.get().is_published is published


def test_pledge_update_by_owner_keeps_publication(indonesia_focal_point):
    pledge = PledgeFactory(is_published=True)
    services.pledge_update(pledge=pledge, by=indonesia_focal_point, fields={"title": "New title"}, relations={})
    assert Pledge.objects.values_list("title", "is_published").get() == ("New title", True)


def test_pledge_publish_by_owner_refused(indonesia_focal_point):
    pledge = PledgeFactory(is_published=False)
    with pytest.raises(services.PledgePublishNotAllowed):
        services.pledge_publish(pledge=pledge, by=indonesia_focal_point, published=True)
    assert Pledge.objects.get().is_published is False


def test_pledge_create_assigns_a_stable_reference(iom_user):
    pledge = services.pledge_create(
        by=iom_user, fields=fields(), relations={"objectives": [Objective.objects.get(number=1)]}
    )
    assert re.fullmatch(r"PL-[A-HJ-NP-Z2-9]{10}", pledge.reference)
    assert pledge.import_key == "ref:" + pledge.reference
