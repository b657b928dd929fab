from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reviews.models import ThreadedComment

from .enums import VersionStatus
from .files import packages_file_storage


class Package(models.Model):
    """An IMRF input package: a chosen set of a cycle's approved reviews, compiled into numbered versions."""

    cycle = models.ForeignKey("reviews.ReviewCycle", on_delete=models.PROTECT, related_name="packages")
    title = models.CharField(_("title"), max_length=200)
    foreword = models.TextField(_("foreword"), blank=True)
    # The language the portal writes the report in; each review's own text stays in the language it was written in.
    language = models.CharField(
        _("report language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # An empty selection means every approved review of the cycle.
    regions = models.ManyToManyField(
        "mechanisms.Region", verbose_name=_("only mechanisms covering these regions"), blank=True, related_name="+"
    )
    mechanisms = models.ManyToManyField(
        "mechanisms.Mechanism", verbose_name=_("only these mechanisms"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # IOM's synthesis (executive summary and one text per objective) is a draft until marked final; a report
    # compiled from a draft says so on its cover.
    synthesis_final_at = models.DateTimeField(_("synthesis marked final at"), null=True, blank=True)
    synthesis_final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("synthesis marked final by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("IMRF input package")
        verbose_name_plural = _("IMRF input packages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("packages:detail", kwargs={"pk": self.pk})


class PackageVersion(models.Model):
    """One compile of a package: what went in, how far it got, and the files it produced."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # One compile request = one version, however often the form is posted or the task delivered.
    request_token = models.UUIDField(_("request token"))
    language = models.CharField(
        _("report language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    current_step = models.CharField(_("current step"), max_length=200, blank=True)
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=1)
    # While compiling, the workers renew this lease; one that runs out means the worker was lost (killed, out of
    # memory, machine gone) and the compile is started again from the sections cache (`recoveries` times at most).
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    recoveries = models.PositiveSmallIntegerField(_("restarts after a lost worker"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    review_versions = models.JSONField(_("review versions"), default=list, blank=True)
    # The synthesis version the compile printed, and whether it was final (a draft one puts a notice on the cover).
    synthesis_version = models.PositiveIntegerField(_("synthesis version"), null=True, blank=True)
    synthesis_final = models.BooleanField(_("synthesis final"), default=False)
    pdf = models.FileField(_("PDF report"), blank=True, storage=packages_file_storage)
    pdf_size = models.PositiveBigIntegerField(_("PDF size"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    docx = models.FileField(_("Word report"), blank=True, storage=packages_file_storage)
    docx_size = models.PositiveBigIntegerField(_("Word report size"), null=True, blank=True)
    zip = models.FileField(_("data package"), blank=True, storage=packages_file_storage)
    zip_size = models.PositiveBigIntegerField(_("data package size"), null=True, blank=True)
    zip_sha256 = models.CharField(_("data package SHA-256"), max_length=64, blank=True)
    parts_rendered = models.PositiveIntegerField(_("sections rendered"), default=0)
    parts_reused = models.PositiveIntegerField(_("sections reused"), default=0)

    class Meta:
        ordering = ["package", "-number"]
        verbose_name = _("package version")
        verbose_name_plural = _("package versions")
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="one_version_number_per_package"),
            models.UniqueConstraint(fields=["package", "request_token"], name="one_version_per_compile_request"),
        ]

    def __str__(self):
        return f"{self.package} v{self.number}"

    @property
    def is_active(self) -> bool:
        return self.status in (VersionStatus.QUEUED, VersionStatus.COMPILING)


class SynthesisText(models.Model):
    """IOM's own text in a package: the executive summary (no objective) or the synthesis of one objective
    across the mechanisms' reviews. Review-style text (reviews/text.py renders it)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="synthesis_texts")
    objective = models.ForeignKey(
        "gcm.Objective", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("objective")
    )
    text = models.TextField(_("text"), blank=True)
    # Bumped on every save: a form loaded at an older revision is refused rather than overwriting a colleague.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["package", "objective__number"]
        verbose_name = _("synthesis text")
        verbose_name_plural = _("synthesis texts")
        constraints = [
            models.UniqueConstraint(
                fields=["package", "objective"],
                condition=models.Q(objective__isnull=False),
                name="one_synthesis_per_package_objective",
            ),
            models.UniqueConstraint(
                fields=["package"], condition=models.Q(objective__isnull=True), name="one_executive_summary_per_package"
            ),
        ]

    def __str__(self):
        return f"{self.package} – {self.objective or _('executive summary')}"


class SynthesisVersion(models.Model):
    """A saved state of a package's whole synthesis, for its history (iscm_portal/content_versions.py)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="synthesis_versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("saved by")
    )
    created_at = models.DateTimeField(_("saved at"))
    sealed = models.BooleanField(
        _("sealed"), default=False, help_text=_("Sealed when the synthesis was marked final; later edits start anew.")
    )

    class Meta:
        ordering = ["package", "number"]
        verbose_name = _("synthesis version")
        verbose_name_plural = _("synthesis versions")
        constraints = [models.UniqueConstraint(fields=["package", "number"], name="unique_synthesis_version_number")]

    def __str__(self):
        return f"{self.package} synthesis v{self.number}"


class SynthesisComment(ThreadedComment):
    """A remark of IOM staff on a package's synthesis, and the replies to it (like a review's comments).

    `part` is "summary" or "objective:<number>".
    """

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="synthesis_comments")

    class Meta(ThreadedComment.Meta):
        verbose_name = _("synthesis comment")
        verbose_name_plural = _("synthesis comments")
        indexes = [models.Index(fields=["package", "part"])]

    def __str__(self):
        return f"{self.package} – {self.part} #{self.pk}"
