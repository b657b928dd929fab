from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
