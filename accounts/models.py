from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal user. Roles are bindings, not exclusive types: one person can hold several."""

    is_iom_staff = models.BooleanField(
        _("IOM staff"), default=False, help_text=_("Reviews and approves regional reviews, compiles IMRF packages.")
    )
    secretariat_mechanisms = models.ManyToManyField(
        "mechanisms.Mechanism",
        verbose_name=_("secretariat of"),
        related_name="secretariat_users",
        blank=True,
    )
    focal_point_state = models.ForeignKey(
        "mechanisms.State",
        verbose_name=_("focal point for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="focal_points",
    )
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def secretariat_mechanism_ids(self) -> frozenset[int]:
        """Ids of the mechanisms this user works for, loaded once per request."""
        return frozenset(self.secretariat_mechanisms.values_list("pk", flat=True))
