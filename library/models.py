from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import PracticeKind


class Practice(models.Model):
    """One good practice, challenge or recommendation taken from an objective report, browsable on its own.

    Entries are rebuilt from the report text by `library_index_review`; every review is indexed whatever its
    status, and visibility is decided when reading (through `review.status`).
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="library_practices")
    objective_report = models.ForeignKey(
        "reviews.ObjectiveReport", on_delete=models.CASCADE, related_name="library_practices"
    )
    # Copied from the review and report so filters and ordering need no joins.
    objective = models.ForeignKey("gcm.Objective", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey("mechanisms.Mechanism", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("reviews.ReviewCycle", on_delete=models.PROTECT, related_name="+")
    # The review's language: the entry is indexed and searched with its text-search configuration (fulltext.py).
    language = models.CharField(_("language"), max_length=5, default="en")
    kind = models.CharField(_("kind"), max_length=20, choices=PracticeKind.choices)
    position = models.PositiveSmallIntegerField(_("position in the report"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    context_text = models.TextField(
        _("context"), blank=True, help_text=_("Mechanism, objective, regions and themes, for the search only.")
    )
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"))

    class Meta:
        ordering = ["objective_report", "kind", "position"]
        verbose_name = _("library entry")
        verbose_name_plural = _("library entries")
        constraints = [
            models.UniqueConstraint(fields=["objective_report", "kind", "position"], name="one_entry_per_position"),
        ]
        indexes = [models.Index(fields=["objective", "kind"], name="library_practice_obj_kind")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:practice_detail", kwargs={"pk": self.pk})


class ReviewDocument(models.Model):
    """The searchable text of a whole review (key messages, overview, progress per objective)."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="library_document")
    mechanism = models.ForeignKey("mechanisms.Mechanism", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("reviews.ReviewCycle", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=5, default="en")
    summary = models.TextField(_("key messages"), blank=True)
    body = models.TextField(_("text"), blank=True)
    context_text = models.TextField(_("context"), blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"))

    class Meta:
        ordering = ["review"]
        verbose_name = _("searchable review")
        verbose_name_plural = _("searchable reviews")

    def __str__(self):
        return self.title


class PracticeSearchRow(models.Model):
    """SQLite only: the row of the FTS5 table that indexes a practice (library/fulltext.py, migration 0003).

    Not a table Django manages: it exists so that a search joins an entry to its index row in one query.
    """

    practice = models.OneToOneField(
        Practice,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="fts_row",
    )
    # FTS5's hidden column named after the table: `table = 'query'` is a full-text match, and the auxiliary
    # functions (bm25, highlight, snippet) take it as their first argument.
    match = models.TextField(db_column="library_practice_fts")

    class Meta:
        managed = False
        db_table = "library_practice_fts"

    def __str__(self):
        return f"index row of practice {self.pk}"


class ReviewDocumentSearchRow(models.Model):
    """SQLite only: the row of the FTS5 table that indexes a review document (see PracticeSearchRow)."""

    document = models.OneToOneField(
        ReviewDocument,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="fts_row",
    )
    match = models.TextField(db_column="library_reviewdocument_fts")

    class Meta:
        managed = False
        db_table = "library_reviewdocument_fts"

    def __str__(self):
        return f"index row of review document {self.pk}"
