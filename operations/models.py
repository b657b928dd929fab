"""The outbox: side effects recorded with the step that causes them, and the heartbeats of the background."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import OutboxStatus


class OutboxMessage(models.Model):
    """One Celery task to run once the transaction that recorded it has committed."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.WAITING)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # When the relay next hands it over: now for a new message, later for one already handed over (it is
    # handed over again, harmlessly, if the broker lost it before a worker finished it).
    available_at = models.DateTimeField(_("next hand-over"))
    redeliver_after = models.PositiveIntegerField(_("hand over again after (seconds)"))
    handed_over_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    handovers = models.PositiveIntegerField(_("hand-overs"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["available_at"], condition=Q(status=OutboxStatus.WAITING), name="outbox_waiting_due"),
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"


class Heartbeat(models.Model):
    """The last sign of life of a background part: "worker" (any worker) or "beat"."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    beat_at = models.DateTimeField(_("last beat"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return self.name
