"""Every e-mail is written in its recipient's saved language (else English), links included, in one event."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from mechanisms.models import State
from pledges import services as pledge_services
from reviews.models import SentNotification
from reviews.tasks import send_due_reminders
from reviews.workflow import review_transition
from tests.factories import CommentFactory, PledgeFactory, ReviewCycleFactory, UserFactory, complete_review

pytestmark = pytest.mark.django_db


def _by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_submission_email_in_each_iom_recipients_language(bali, bali_secretariat, django_capture_on_commit_callbacks):
    UserFactory(username="iom-fr", is_iom_staff=True, language="fr")
    UserFactory(username="iom-es", is_iom_staff=True, language="es")
    UserFactory(username="iom-en", is_iom_staff=True, language="en")
    UserFactory(username="iom-none", is_iom_staff=True, language="")
    review = complete_review(bali)
    # The secretariat works in Spanish: its request's language must not leak into anyone's e-mail.
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        review_transition(review=review, action="submit", by=bali_secretariat)

    sent = _by_recipient()
    assert {address: message.subject for address, message in sent.items()} == {
        "iom-fr@example.org": "Bali Process a soumis son examen régional (2024 regional reviews)",
        "iom-es@example.org": "Bali Process ha presentado su examen regional (2024 regional reviews)",
        "iom-en@example.org": "Bali Process submitted its regional review (2024 regional reviews)",
        "iom-none@example.org": "Bali Process submitted its regional review (2024 regional reviews)",
    }
    link = f"http://127.0.0.1:8000/{{}}reviews/{review.pk}/workflow/"
    assert sent["iom-fr@example.org"].body == (
        f"Test Bali-Sec a soumis l'examen régional de Bali Process pour 2024 regional reviews.\n\n"
        f"Pour l'examiner : {link.format('fr/')}\n"
    )
    assert sent["iom-es@example.org"].body == (
        f"Test Bali-Sec ha presentado el examen regional de Bali Process para 2024 regional reviews.\n\n"
        f"Examínelo: {link.format('es/')}\n"
    )
    assert sent["iom-none@example.org"].body == (
        f"Test Bali-Sec submitted the regional review of Bali Process for 2024 regional reviews.\n\n"
        f"Review it: {link.format('')}\n"
    )
    # The record of the event is in the site's language, naming every recipient.
    assert list(SentNotification.objects.values_list("subject", "recipients")) == [
        (
            "Bali Process submitted its regional review (2024 regional reviews)",
            ["iom-en@example.org", "iom-es@example.org", "iom-fr@example.org", "iom-none@example.org"],
        )
    ]


def test_changes_requested_lists_comments_under_translated_part_names(
    bali, bali_secretariat, iom_user, django_capture_on_commit_callbacks
):
    UserFactory(username="bali-fr", secretariat_mechanisms=[bali], language="fr")
    review = complete_review(bali)
    with django_capture_on_commit_callbacks(execute=True):
        review_transition(review=review, action="submit", by=bali_secretariat)
    CommentFactory(review=review, author=iom_user, part="objective:6", body="Add the 2023 figures.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_transition(review=review, action="request_changes", by=iom_user)

    sent = _by_recipient()
    assert sent["bali-fr@example.org"].subject == (
        "Modifications demandées sur votre examen régional (2024 regional reviews)"
    )
    assert "- Objectif 6 : Add the 2023 figures." in sent["bali-fr@example.org"].body
    assert f"/fr/reviews/{review.pk}/\n" in sent["bali-fr@example.org"].body
    assert sent["bali-sec@example.org"].subject == "Changes requested on your regional review (2024 regional reviews)"
    assert "- Objective 6: Add the 2023 figures." in sent["bali-sec@example.org"].body


def test_overdue_reminder_in_each_secretariat_users_language_with_its_dates(bali, django_capture_on_commit_callbacks):
    ReviewCycleFactory(review_year=2026, opens_on=datetime.date(2026, 1, 15), due_on=datetime.date(2026, 12, 1))
    UserFactory(username="sec-fr", secretariat_mechanisms=[bali], language="fr")
    UserFactory(username="sec-es", secretariat_mechanisms=[bali], language="es")
    UserFactory(username="sec-en", secretariat_mechanisms=[bali])
    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the reminder over after the commit
        assert send_due_reminders.delay("2026-12-02").get() == 1

    sent = _by_recipient()
    assert {address: message.subject for address, message in sent.items()} == {
        "sec-fr@example.org": "En retard : votre examen régional était attendu pour le 1 décembre 2026 "
        "(2026 regional reviews)",
        "sec-es@example.org": "Atrasado: su examen regional debía presentarse el 1 de diciembre de 2026 "
        "(2026 regional reviews)",
        "sec-en@example.org": "Overdue: your regional review was due on 1 December 2026 (2026 regional reviews)",
    }
    assert sent["sec-fr@example.org"].body.endswith("\nVos examens : http://127.0.0.1:8000/fr/reviews/\n")
    assert "il y a 1 jour," in sent["sec-fr@example.org"].body
    assert "hace 1 día," in sent["sec-es@example.org"].body
    assert "1 day ago," in sent["sec-en@example.org"].body


def test_pledge_reminder_in_each_owners_language(reference_data):
    indonesia = State.objects.get(iso3="IDN")
    UserFactory(username="idn-fr", focal_point_state=indonesia, language="fr")
    recorder = UserFactory(username="recorder-es", is_iom_staff=True, language="es")
    UserFactory(username="idn-en", focal_point_state=indonesia)
    pledge = PledgeFactory(announced_on=datetime.date(2022, 5, 20), title="Fair recruitment", created_by=recorder)
    assert pledge_services.pledge_reminders_send(today=datetime.date(2023, 5, 1)) == 1

    sent = _by_recipient()
    assert sorted(sent) == ["idn-en@example.org", "idn-fr@example.org", "recorder-es@example.org"]
    assert sent["idn-fr@example.org"].subject == (
        "Engagement « Fair recruitment » : une mise à jour des progrès est attendue"
    )
    assert sent["recorder-es@example.org"].subject == (
        "Compromiso «Fair recruitment»: debe presentarse una actualización de progreso"
    )
    assert sent["idn-en@example.org"].subject == "Pledge “Fair recruitment”: a progress update is due"
    assert "20 mai 2023" in sent["idn-fr@example.org"].body  # due a year after the last activity
    assert "20 de mayo de 2023" in sent["recorder-es@example.org"].body
    assert "20 May 2023" in sent["idn-en@example.org"].body
    assert f"http://127.0.0.1:8000/fr/pledges/{pledge.pk}/\n" in sent["idn-fr@example.org"].body
    assert f"http://127.0.0.1:8000/es/pledges/{pledge.pk}/\n" in sent["recorder-es@example.org"].body
    assert f"http://127.0.0.1:8000/pledges/{pledge.pk}/\n" in sent["idn-en@example.org"].body
