from django.contrib import admin

from .models import GuidingPrinciple, Objective


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "short_label", "title", "annex_paragraph"]
    search_fields = ["title", "title_fr", "title_es", "short_label"]


@admin.register(GuidingPrinciple)
class GuidingPrincipleAdmin(admin.ModelAdmin):
    list_display = ["letter", "name", "name_fr", "name_es", "slug"]
