from functools import cached_property

import rules
from django.conf import settings
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
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal's language at login. Empty: follow the browser's language."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def secretariat_mechanism_ids(self) -> frozenset[int]:
        """Ids of the mechanisms this user works for, loaded once per request."""
        return frozenset(self.secretariat_mechanisms.values_list("pk", flat=True))

    def has_perm(self, perm, obj=None):
        """A permission declared in a rules.py is answered by its rule alone, for superusers too.

        Django's `PermissionsMixin.has_perm` says yes to every active superuser before asking any backend,
        which would let an administrator edit an approved review or start another mechanism's review; each
        rules.py says instead what administrators may do (`accounts.rules.is_site_admin`). Permissions no
        rule declares (the Django admin's add/change/delete/view of each model) keep Django's answer, so
        the admin site works for superusers as before. Where a rule shares its name with a model
        permission (`reviews.change_review`), the rule answers the admin's question too.
        """
        if rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)
