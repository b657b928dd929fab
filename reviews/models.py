from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import ReviewLanguage, ReviewStatus


class ReviewCycle(models.Model):
    """A regional review round (e.g. 2024) and the IMRF edition it feeds (e.g. 2026)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    review_year = models.PositiveSmallIntegerField(_("review round"), help_text=_("e.g. 2024"))
    imrf_year = models.PositiveSmallIntegerField(_("IMRF edition"), help_text=_("e.g. 2026"))
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    # "previous" or "current" for the cycles `seed_demo` keeps dated from today; blank for every real cycle.
    demo_role = models.CharField(_("demo role"), max_length=10, blank=True, editable=False)

    class Meta:
        ordering = ["-review_year"]
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("opens_on")), name="cycle_due_after_open"),
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One mechanism's regional review for one cycle: the overview plus one report per objective addressed."""

    mechanism = models.ForeignKey("mechanisms.Mechanism", on_delete=models.PROTECT, related_name="reviews")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    language = models.CharField(_("language"), max_length=5, choices=ReviewLanguage.choices, default="en")
    # Overview
    method = models.TextField(_("how the review was carried out"), blank=True)
    mandate = models.TextField(_("mandate given by Member States"), blank=True)
    participating_states = models.ManyToManyField(
        "mechanisms.State", verbose_name=_("States that took part"), related_name="reviews_taken_part", blank=True
    )
    stakeholders_consulted = models.JSONField(_("stakeholders consulted"), default=list, blank=True)
    partnerships = models.TextField(_("partnerships"), blank=True)
    key_messages = models.TextField(_("key messages to the IMRF"), blank=True)
    # Bookkeeping
    started_from = models.ForeignKey(
        "self", verbose_name=_("started from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Bumped on every save of the overview.")
    )
    # Started from the previous cycle: the copied overview counts as not ready until the secretariat edits it or
    # confirms it is still right.
    overview_copy_unchecked = models.BooleanField(_("copied overview not checked yet"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "mechanism__acronym"]
        verbose_name = _("regional review")
        verbose_name_plural = _("regional reviews")
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "cycle"], name="one_review_per_mechanism_and_cycle"),
        ]

    def __str__(self):
        return f"{self.mechanism} – {self.cycle}"

    def get_absolute_url(self):
        return reverse("reviews:review_detail", kwargs={"pk": self.pk})


class ReviewMeeting(models.Model):
    """A meeting held as part of the review (consultation, workshop, ministerial)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("meeting"), max_length=255)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)

    class Meta:
        ordering = ["held_on"]

    def __str__(self):
        return self.title


class ObjectiveReport(models.Model):
    """What a review says about one GCM objective."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="objective_reports")
    objective = models.ForeignKey("gcm.Objective", on_delete=models.PROTECT, related_name="reports")
    is_regional_priority = models.BooleanField(_("regional priority"), default=False)
    progress = models.TextField(_("progress made"), blank=True)
    good_practices = models.TextField(_("good practices"), blank=True)
    challenges = models.TextField(_("challenges and gaps"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    data_evidence = models.TextField(_("data and evidence"), blank=True)
    data_sources = models.TextField(_("sources of data"), blank=True)
    guiding_principles = models.ManyToManyField(
        "gcm.GuidingPrinciple", verbose_name=_("guiding principles"), related_name="reports", blank=True
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # Copied from the previous cycle's review and neither edited nor confirmed since: not ready for submission.
    copy_unchecked = models.BooleanField(_("copied, not checked yet"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["objective__number"]
        verbose_name = _("objective report")
        verbose_name_plural = _("objective reports")
        constraints = [
            models.UniqueConstraint(fields=["review", "objective"], name="one_report_per_objective"),
        ]

    def __str__(self):
        return f"{self.review} – {self.objective}"


class Attachment(models.Model):
    """A supporting file; stored outside the web root and served only through a permission-checked view."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class ReviewTransition(models.Model):
    """Audit trail of the workflow: who moved a review from which status to which, when and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReviewStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    # What the person saw and knowingly went past, e.g. the comments still open when IOM approved anyway.
    confirmed_problems = models.JSONField(_("confirmed despite"), default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review transition")
        verbose_name_plural = _("review transitions")

    def __str__(self):
        return f"{self.review}: {self.from_status} → {self.to_status}"


class ReviewVersion(models.Model):
    """A saved state of a review's content, for history and side-by-side comparison."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    status = models.CharField(_("status when saved"), max_length=20, choices=ReviewStatus.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("saved at"))
    sealed = models.BooleanField(
        _("sealed"), default=False, help_text=_("Sealed by a workflow step; later edits start a new version.")
    )
    # A Word document was made from this version: it must stay as it was, the base an upload is compared with.
    exported = models.BooleanField(
        _("downloaded as Word"),
        default=False,
        help_text=_("A Word document was made from it; later edits start a new version."),
    )
    imported_from = models.CharField(
        _("imported from Word"), max_length=255, blank=True, help_text=_("The name of the Word document it came from.")
    )

    class Meta:
        ordering = ["review", "number"]
        verbose_name = _("review version")
        verbose_name_plural = _("review versions")
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="unique_review_version_number")]

    def __str__(self):
        return f"{self.review} v{self.number}"


class WordImport(models.Model):
    """A Word document uploaded back into a review: kept between its preview and its application, then with the
    version it made (the file is that version's attachment).

    `parsed` holds what the document says, part by part, as read at upload: the preview and the application both
    use it, so what is applied is what was previewed.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="word_imports")
    token = models.UUIDField(_("token"), unique=True)
    file = models.FileField(_("file"), upload_to="word-imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    base_version = models.PositiveIntegerField(_("made from version"))
    base_hash = models.CharField(_("content hash of that version"), max_length=64)
    parsed = models.JSONField(_("what the document says"), default=dict)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_version = models.OneToOneField(
        ReviewVersion,
        verbose_name=_("version it made"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="word_import",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("Word import")
        verbose_name_plural = _("Word imports")

    def __str__(self):
        return self.original_name


class ThreadedComment(models.Model):
    """A remark on one part of something, and the replies to it: a review's comments and IOM's remarks on a
    package's synthesis (packages.SynthesisComment). Replies share their parent's part; only top-level comments
    are resolved. How a comment is checked and grouped is reviews/comments.py's."""

    part = models.CharField(_("part"), max_length=40)
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None


class Comment(ThreadedComment):
    """An IOM reviewer's remark on a review or one part of it, and the replies to it.

    `part` names what the comment is about: "review" (the whole), "overview", "objective:<number>" or
    "attachment:<id>".
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    part = models.CharField(_("part"), max_length=40, default="review")

    class Meta(ThreadedComment.Meta):
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["review", "part"])]

    def __str__(self):
        return f"{self.review} – {self.part} #{self.pk}"


class SentNotification(models.Model):
    """One row per e-mail event actually sent: its unique key makes a retried task send nothing twice."""

    key = models.CharField(_("event key"), max_length=200, unique=True)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self):
        return self.key
