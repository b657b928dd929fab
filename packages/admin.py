from django.contrib import admin

from .models import Package, PackageVersion


class PackageVersionInline(admin.TabularInline):
    model = PackageVersion
    extra = 0
    can_delete = False
    fields = ["number", "status", "progress", "requested_by", "requested_at", "finished_at", "pdf_pages", "error"]
    readonly_fields = fields


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "created_by", "created_at"]
    list_filter = ["cycle"]
    search_fields = ["title"]
    filter_horizontal = ["regions", "mechanisms"]
    inlines = [PackageVersionInline]
