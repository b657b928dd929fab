from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "is_iom_staff", "focal_point_state", "is_superuser", "is_demo"]
    list_filter = ["is_iom_staff", "is_superuser", "is_demo", "is_active"]
    autocomplete_fields = ["focal_point_state"]
    filter_horizontal = ["secretariat_mechanisms", "groups", "user_permissions"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            _("Portal roles"),
            {"fields": ["is_iom_staff", "secretariat_mechanisms", "focal_point_state", "is_demo", "language"]},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Administrators see and can revoke (delete) tokens; the secret is never shown, only its prefix."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # a token is made by its user on the account page, which shows the secret once
