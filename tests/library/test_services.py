import pytest
from django.core.management import call_command

from library.demo import demo_library_create
from library.models import Practice, ReviewDocument
from library.services import library_index_review, library_reindex_all
from library.tasks import index_review


def test_library_index_review_creates_one_entry_per_item(make_report):
    report = make_report()
    entries = list(Practice.objects.filter(review=report.review).order_by("kind", "position"))
    assert [(entry.kind, entry.position, entry.title) for entry in entries] == [
        ("challenge", 1, "Recruitment fees are still charged to workers in several corridors"),
        ("good_practice", 1, "Ethical recruitment standards"),
        ("good_practice", 2, "Pre-departure orientation reaches most outgoing workers"),
        ("recommendation", 1, "Abolish recruitment fees charged to workers"),
        ("recommendation", 2, "Share complaint data across the region"),
    ]
    first = entries[1]
    assert (first.objective_id, first.mechanism_id, first.cycle_id) == (
        report.objective_id,
        report.review.mechanism_id,
        report.review.cycle_id,
    )
    assert "Bali Process" in first.context_text
    assert "Recruitment and decent work" in first.context_text
    assert "South-eastern Asia" in first.context_text
    assert "Asia" in first.context_text.split()


def test_library_index_review_is_idempotent_and_follows_edits(make_report):
    report = make_report()
    review = report.review
    assert library_index_review(review=review) == 5
    assert library_index_review(review=review) == 5
    report.challenges = "- One\n- Two\n- Three"
    report.save()
    assert library_index_review(review=review) == 7
    assert Practice.objects.filter(review=review, kind="challenge").count() == 3
    assert ReviewDocument.objects.filter(review=review).count() == 1


def test_library_index_review_builds_the_review_document(make_report):
    report = make_report()
    document = ReviewDocument.objects.get(review=report.review)
    assert (
        document.title == "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime"
        " – 2024 regional reviews"
    )
    assert document.summary == "Regular pathways and ethical recruitment remain the region's priorities."
    assert "Member States adopted a regional framework on fair recruitment." in document.body


def test_library_reindex_all_rebuilds_everything(make_report):
    make_report()
    make_report(slug="midwa")
    Practice.objects.all().delete()
    assert library_reindex_all() == 10
    assert Practice.objects.count() == 10
    assert ReviewDocument.objects.count() == 2


def test_index_review_task_ignores_a_deleted_review(make_report):
    report = make_report()
    assert index_review.delay(report.review_id).get() == 5
    assert index_review.delay(999_999).get() == 0


def test_rebuild_library_command_and_demo_step(make_report, capsys):
    make_report()
    call_command("rebuild_library")
    assert capsys.readouterr().out == "Practice library rebuilt: 5 entries.\n"
    assert demo_library_create(password="x") == ["  (practice library: 5 entries indexed)"]


def test_stale_reviews_are_reindexed_by_the_safety_net(make_report):
    from library.services import library_reindex_stale, stale_review_ids
    from library.tasks import reindex_stale
    from tests.factories import ReviewFactory

    report = make_report()
    never_indexed = ReviewFactory(mechanism=report.review.mechanism, cycle__review_year=2022)
    assert stale_review_ids() == [never_indexed.pk]
    report.good_practices = "A brand-new practice on skills."
    report.save()
    assert stale_review_ids() == [report.review_id, never_indexed.pk]
    assert reindex_stale.delay().get() == 2
    assert stale_review_ids() == []
    assert Practice.objects.get(review=report.review, kind="good_practice").title == "A brand-new practice on skills"
    assert library_reindex_stale() == 0


@pytest.mark.django_db(transaction=True)
def test_saving_an_objective_through_the_reviews_service_reindexes_the_library(reference_data, bali_secretariat):
    from gcm.models import Objective
    from library.models import Practice
    from reviews.services import objective_report_save
    from tests.factories import ReviewFactory

    review = ReviewFactory(mechanism=bali_secretariat.secretariat_mechanisms.get())
    objective_report_save(
        review=review,
        objective=Objective.objects.get(number=6),
        data={"progress": "Progress.", "good_practices": "**Fair recruitment code.** Adopted by ten States."},
        loaded_revision=0,
        by=bali_secretariat,
    )
    assert list(Practice.objects.filter(review=review).values_list("kind", "title")) == [
        ("good_practice", "Fair recruitment code")
    ]
