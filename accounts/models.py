import hashlib
from functools import cached_property

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import TokenScope


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
        # From the link table alone: no join to the mechanisms, no ordering by their name.
        links = User.secretariat_mechanisms.through.objects.filter(user_id=self.pk)
        return frozenset(links.values_list("mechanism_id", flat=True))

    @property
    def roles_key(self) -> str:
        """The user and the roles held on the account itself, as text: part of the cache key of anything cached
        per user (iscm_portal/page_cache.py), so a change of role is never answered with the old role's page.
        Costs no query; what also depends on the mechanisms the user works for takes `roles_and_mechanisms_key`."""
        return repr(
            (self.pk, self.is_superuser, self.is_staff, self.is_active, self.is_iom_staff, self.focal_point_state_id)
        )

    @property
    def roles_and_mechanisms_key(self) -> str:
        """`roles_key` with the mechanisms the user works for (their ids, loaded once per request)."""
        return f"{self.roles_key}{sorted(self.secretariat_mechanism_ids)}"

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


def api_token_hash(secret: str) -> str:
    """The stored form of a token's secret (sha256: the secret is random, so no slow hash is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: the API acts as its user, within its scope, until the user revokes it.

    Only a hash of the secret is stored (`api_token_hash`); the secret is shown once, when it is made. The
    prefix (the secret's first characters) tells the user's tokens apart.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, to recognise it later."))
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    # Who made and who revoked it, and when (the secret's hash and the last use are not history).
    history = HistoricalRecords(excluded_fields=["secret_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE
