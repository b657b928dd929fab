from django.contrib import admin

from .models import Practice


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    """Read-only: entries are rebuilt from the reviews (`manage.py rebuild_library`), never edited by hand."""

    list_display = ["title", "kind", "mechanism", "cycle", "objective", "indexed_at"]
    list_filter = ["kind", "cycle", "objective"]
    list_select_related = ["mechanism", "cycle", "objective"]
    search_fields = ["title", "body"]
    readonly_fields = [field.name for field in Practice._meta.fields if field.name != "search_vector"]
    exclude = ["search_vector"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
