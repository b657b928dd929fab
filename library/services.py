"""Writes of the library: (re)building entries and search vectors from the reviews."""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from iscm_portal import page_cache
from mechanisms.enums import RegionLevel
from mechanisms.selectors import region_and_above, regions_above_lookup
from reviews.models import ObjectiveReport, Review
from reviews.text import review_text_plain

from . import fulltext
from .enums import KIND_SOURCE_FIELDS
from .extraction import split_entries
from .models import Practice, ReviewDocument

# Pledges have no language of their own: they are searched in English.
SEARCH_CONFIG = "english"


def _vector(weights: dict[str, str], config: str = SEARCH_CONFIG) -> SearchVector:
    """PostgreSQL's search vector of the weighted fields (SQLite indexes the same fields, see fulltext.py)."""
    vectors = [SearchVector(field, weight=letter, config=config) for field, letter in weights.items()]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined += vector
    return combined


def _with_ancestors(regions) -> list[str]:
    names = []
    for region in regions:
        for area in region_and_above(region):
            if area.name not in names and area.level != RegionLevel.WORLD:
                names.append(area.name)
    return names


def _review_title(mechanism, cycle) -> str:
    name = mechanism.name if mechanism.acronym in mechanism.name else f"{mechanism.name} ({mechanism.acronym})"
    return f"{name} – {cycle.name}"


def _reviews_to_index():
    reports = ObjectiveReport.objects.select_related("objective").prefetch_related("guiding_principles")
    return Review.objects.select_related("mechanism", "cycle").prefetch_related(
        regions_above_lookup("mechanism__regions"),
        "mechanism__themes",
        Prefetch("objective_reports", queryset=reports),
    )


def _build(review: Review, now) -> tuple[list[Practice], ReviewDocument]:
    mechanism = review.mechanism
    # An entry's context names where it comes from, but not the mechanism's full name or themes: those would
    # make every entry of the Bali Process match "trafficking", whatever the entry says.
    entry_context = " ".join([mechanism.acronym, review.cycle.name, *_with_ancestors(mechanism.regions.all())])
    review_context = " ".join([entry_context, mechanism.name, *(theme.name for theme in mechanism.themes.all())])
    practices = []
    progress = []
    objective_labels = []
    for report in review.objective_reports.all():
        objective = report.objective
        objective_label = f"Objective {objective.number} {objective.short_label}"
        objective_labels.append(f"{objective_label} {objective.title}")
        progress.append(report.progress)
        context = " ".join(
            [entry_context, objective_label, *(principle.name for principle in report.guiding_principles.all())]
        )
        for kind, field in KIND_SOURCE_FIELDS.items():
            for position, entry in enumerate(split_entries(getattr(report, field)), start=1):
                practices.append(
                    Practice(
                        review=review,
                        objective_report=report,
                        objective=objective,
                        mechanism=mechanism,
                        cycle=review.cycle,
                        language=review.language,
                        kind=kind,
                        position=position,
                        title=entry.title[:255],
                        body=entry.body,
                        context_text=context,
                        indexed_at=now,
                    )
                )
    document = ReviewDocument(
        review=review,
        mechanism=mechanism,
        cycle=review.cycle,
        title=_review_title(mechanism, review.cycle)[:255],
        language=review.language,
        # Search and snippets read the text as it is shown, without formatting marks.
        summary=review_text_plain(review.key_messages),
        body="\n\n".join(
            filter(None, map(review_text_plain, [review.mandate, review.method, review.partnerships, *progress]))
        ),
        context_text=" ".join([review_context, *objective_labels]),
        indexed_at=now,
    )
    return practices, document


def _forget_vectors(review_ids=None) -> None:
    """Before the entries of these reviews (all with None) are deleted: drop their SQLite index rows."""
    if fulltext.uses_sqlite_index():
        fulltext.sqlite_forget_reviews(review_ids)


def _update_vectors(review_ids=None) -> None:
    """After the entries of these reviews (all with None) are written: index their text."""
    if fulltext.uses_sqlite_index():
        fulltext.sqlite_index_reviews(review_ids)
    if connection.vendor != "postgresql":
        return
    practices, documents = Practice.objects.all(), ReviewDocument.objects.all()
    if review_ids is not None:
        practices, documents = practices.filter(review_id__in=review_ids), documents.filter(review_id__in=review_ids)
    # Each entry with the configuration of its language: one update per configuration.
    for config in fulltext.CONFIGS:
        languages, others = fulltext.languages_of_config(config)
        in_config = ~Q(language__in=languages) if others else Q(language__in=languages)
        practices.filter(in_config).update(search_vector=_vector(fulltext.PRACTICE_WEIGHTS, config))
        documents.filter(in_config).update(search_vector=_vector(fulltext.DOCUMENT_WEIGHTS, config))


def library_index_review(*, review: Review) -> int:
    """Rebuild one review's library entries and search document from its current text; returns the entry count.

    Idempotent: the old entries are replaced inside one transaction, so readers see either the old or the new set.
    """
    with transaction.atomic():
        # Lock the review row so two reindexes of the same review cannot interleave their delete and insert.
        locked = _reviews_to_index().select_for_update(of=("self",)).filter(pk=review.pk).first()
        if locked is None:
            return 0
        practices, document = _build(locked, timezone.now())
        _forget_vectors([locked.pk])
        Practice.objects.filter(review=locked).delete()
        ReviewDocument.objects.filter(review=locked).delete()
        Practice.objects.bulk_create(practices)
        document.save()
        _update_vectors([locked.pk])
        page_cache.content_changed(page_cache.LIBRARY)
    return len(practices)


def library_reindex_all(*, batch_size: int = 50) -> int:
    """Rebuild the whole library from every review; returns the number of entries."""
    now = timezone.now()
    total = 0
    with transaction.atomic():
        _forget_vectors()
        Practice.objects.all().delete()
        ReviewDocument.objects.all().delete()
        review_ids = list(Review.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(review_ids), batch_size):
            batch = _reviews_to_index().filter(pk__in=review_ids[start : start + batch_size])
            practices, documents = [], []
            for review in batch:
                review_practices, document = _build(review, now)
                practices += review_practices
                documents.append(document)
            Practice.objects.bulk_create(practices, batch_size=1000)
            ReviewDocument.objects.bulk_create(documents)
            total += len(practices)
        _update_vectors()
        page_cache.content_changed(page_cache.LIBRARY)
    return total


def stale_review_ids() -> list[int]:
    """Reviews whose text changed after their library entries were built, or that were never indexed."""
    from django.db.models import Exists, OuterRef, Q

    newer_report = ObjectiveReport.objects.filter(
        review_id=OuterRef("pk"), updated_at__gt=OuterRef("library_document__indexed_at")
    )
    return list(
        Review.objects.filter(
            Q(library_document__isnull=True)
            | Q(updated_at__gt=F("library_document__indexed_at"))
            | Exists(newer_report)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def library_reindex_stale() -> int:
    """Reindex every review edited since it was last indexed: the safety net behind the per-review task.

    On SQLite it also drops index rows left by entries deleted with their review or report.
    """
    if fulltext.uses_sqlite_index():
        fulltext.sqlite_purge_orphans()
    count = 0
    for review in Review.objects.filter(pk__in=stale_review_ids()):
        library_index_review(review=review)
        count += 1
    return count
