from django.db import models
from django.utils.translation import gettext_lazy as _

from iscm_portal.reference_languages import value_and_language


def _in_active_language(obj: models.Model, field: str) -> str:
    """The French or Spanish value of `field` for the active language, else the English one.

    The reference data leaves a translation blank where no official source was found
    (see gcm/data/SOURCES.md); those fall back to English rather than to a home-made translation.
    """
    return value_and_language(obj, field)[0]


class Objective(models.Model):
    """One of the 23 objectives of the GCM (A/RES/73/195, annex)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    title_fr = models.CharField(_("French title"), max_length=255, blank=True)
    title_es = models.CharField(_("Spanish title"), max_length=255, blank=True)
    short_label = models.CharField(_("short label"), max_length=100)
    annex_paragraph = models.PositiveSmallIntegerField(_("annex paragraph"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")

    def __str__(self):
        return f"{self.number}. {self.short_label}"

    @property
    def localized_title(self) -> str:
        """The official title in the active language; English where the source has none."""
        return _in_active_language(self, "title")

    @property
    def localized_title_language(self) -> str:
        """The language `localized_title` is written in ("en" where it falls back), for a `lang` attribute."""
        return value_and_language(self, "title")[1]


class GuidingPrinciple(models.Model):
    """One of the ten cross-cutting guiding principles (annex para. 15 (a)-(j))."""

    slug = models.SlugField(_("slug"), unique=True)
    letter = models.CharField(_("letter"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100, blank=True)
    name_es = models.CharField(_("Spanish name"), max_length=100, blank=True)
    annex_paragraph = models.PositiveSmallIntegerField(_("annex paragraph"))

    class Meta:
        ordering = ["letter"]
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")

    def __str__(self):
        return self.name

    @property
    def localized_name(self) -> str:
        """The official name in the active language; English where the source has none."""
        return _in_active_language(self, "name")

    @property
    def localized_name_language(self) -> str:
        """The language `localized_name` is written in ("en" where it falls back), for a `lang` attribute."""
        return value_and_language(self, "name")[1]
