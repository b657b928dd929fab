"""The benchmark's generated reviews: a topic search finds practices from every region, none unapproved."""

from django.contrib.auth.models import AnonymousUser

from benchmarks.sample_reviews import populate
from library import selectors
from library.models import Practice
from library.selectors import SearchFilters
from library.services import library_reindex_all
from reviews.enums import ReviewStatus


def test_topic_search_on_generated_reviews_finds_every_region_and_nothing_unapproved(reference_data):
    assert populate(cycles=2)["reviews"] == 64
    assert library_reindex_all() == Practice.objects.count()
    practices = list(
        selectors.practice_results(AnonymousUser(), SearchFilters(q="ethical recruitment")).prefetch_related(
            "mechanism__regions"
        )
    )
    tree = selectors.region_tree()
    regions = {
        tree.top(tree.by_id[area.pk]).name for practice in practices for area in practice.mechanism.regions.all()
    }
    assert regions == {"Africa", "Americas", "Asia", "Europe", "Oceania", "World"}
    assert {practice.review.status for practice in practices} == {ReviewStatus.APPROVED}
    assert all("recruitment" in (practice.title + practice.body).lower() for practice in practices)
