from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from .enums import ImrfEdition, PledgerType, PledgeScope, PledgeStatus

REFERENCE_KEY_PREFIX = "ref:"
# Letters and digits that cannot be misread for one another when a reference is typed from a printout.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def reference_import_key(reference: str) -> str:
    """The import key of a pledge known by its reference (the `reference` column of exports and imports)."""
    return REFERENCE_KEY_PREFIX + reference.strip()[:60]


def new_import_key() -> str:
    """A fresh reference for every pledge recorded outside an import, so its export re-imports onto it."""
    return reference_import_key("PL-" + get_random_string(10, REFERENCE_ALPHABET))


class Pledge(models.Model):
    """A commitment announced at an IMRF towards one or more GCM objectives."""

    pledger_type = models.CharField(_("pledger type"), max_length=20, choices=PledgerType.choices)
    pledger_state = models.ForeignKey(
        "mechanisms.State",
        verbose_name=_("pledging State"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    pledger_mechanism = models.ForeignKey(
        "mechanisms.Mechanism",
        verbose_name=_("pledging mechanism"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    pledger_name = models.CharField(
        _("pledger"), max_length=255, blank=True, help_text=_("Name of a UN entity or other stakeholder.")
    )
    co_pledger_states = models.ManyToManyField(
        "mechanisms.State", verbose_name=_("co-pledging States"), blank=True, related_name="co_pledges"
    )
    co_pledgers = models.CharField(
        _("other co-pledgers"), max_length=500, blank=True, help_text=_("Other partners of a joint pledge.")
    )
    matches = models.ForeignKey(
        "self",
        verbose_name=_("matches pledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matching_pledges",
        help_text=_("The pledge whose call for support this pledge answers."),
    )
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text of the pledge"))
    objectives = models.ManyToManyField("gcm.Objective", verbose_name=_("GCM objectives"), related_name="pledges")
    guiding_principles = models.ManyToManyField(
        "gcm.GuidingPrinciple", verbose_name=_("guiding principles"), blank=True, related_name="pledges"
    )
    imrf_edition = models.PositiveSmallIntegerField(_("IMRF edition"), choices=ImrfEdition.choices)
    announced_on = models.DateField(_("announced on"))
    scope = models.CharField(_("applies"), max_length=10, choices=PledgeScope.choices, default=PledgeScope.NATIONAL)
    regions = models.ManyToManyField(
        "mechanisms.Region", verbose_name=_("applies in regions"), blank=True, related_name="pledges"
    )
    states = models.ManyToManyField(
        "mechanisms.State", verbose_name=_("applies in States"), blank=True, related_name="pledges_applying"
    )
    status = models.CharField(_("status"), max_length=15, choices=PledgeStatus.choices, default=PledgeStatus.ANNOUNCED)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # "ref:<reference>" (given by an imported file, or assigned at creation) or, for a file row without a
    # reference, "sha:<hash of pledger, title and edition>"; see spreadsheets.import_key_for.
    import_key = models.CharField(
        _("import key"), max_length=64, null=True, blank=True, unique=True, editable=False, default=new_import_key
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-announced_on", "-pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [models.Index(fields=["status", "announced_on"]), models.Index(fields=["pledger_type"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(pledger_type=PledgerType.STATE) | Q(pledger_state__isnull=False),
                name="state_pledge_has_state",
            ),
            models.CheckConstraint(
                condition=~Q(pledger_type=PledgerType.ISCM) | Q(pledger_mechanism__isnull=False),
                name="iscm_pledge_has_mechanism",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pledges:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """The stable reference exports carry, so re-importing them updates this pledge; "" for a hash key."""
        if self.import_key and self.import_key.startswith(REFERENCE_KEY_PREFIX):
            return self.import_key.removeprefix(REFERENCE_KEY_PREFIX)
        return ""

    @property
    def pledger_display(self) -> str:
        if self.pledger_type == PledgerType.STATE and self.pledger_state_id:
            return self.pledger_state.name
        if self.pledger_type == PledgerType.ISCM and self.pledger_mechanism_id:
            return self.pledger_mechanism.acronym
        return self.pledger_name


class PledgeUpdate(models.Model):
    """A dated progress report on a pledge, written by its owner."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status = models.CharField(_("status after this update"), max_length=15, choices=PledgeStatus.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["pledge", "date"])]

    def __str__(self):
        return f"{self.pledge} – {self.date}"


class PledgeReminder(models.Model):
    """Proof that owners were reminded once for a given last sign of life, so a retry never e-mails twice."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reminders")
    last_activity_on = models.DateField(_("last activity"))
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "last_activity_on"], name="one_reminder_per_period"),
        ]

    def __str__(self):
        return f"{self.pledge_id} @ {self.last_activity_on}"
