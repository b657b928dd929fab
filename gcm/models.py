from django.db import models
from django.utils.translation import gettext_lazy as _


class Objective(models.Model):
    """One of the 23 objectives of the GCM (A/RES/73/195, annex)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    short_label = models.CharField(_("short label"), max_length=100)
    annex_paragraph = models.PositiveSmallIntegerField(_("annex paragraph"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")

    def __str__(self):
        return f"{self.number}. {self.short_label}"


class GuidingPrinciple(models.Model):
    """One of the ten cross-cutting guiding principles (annex para. 15 (a)-(j))."""

    slug = models.SlugField(_("slug"), unique=True)
    letter = models.CharField(_("letter"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=100)
    annex_paragraph = models.PositiveSmallIntegerField(_("annex paragraph"))

    class Meta:
        ordering = ["letter"]
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")

    def __str__(self):
        return self.name
