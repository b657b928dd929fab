from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChairTerm, Mechanism, Membership, Organisation, Region, State, Theme


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "iso3", "un_status", "region", "subregion", "gcm_vote_2018"]
    list_filter = ["un_status", "region", "gcm_vote_2018"]
    search_fields = ["name", "iso3", "iso2"]
    list_select_related = ["region", "subregion"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ChairTermInline(admin.TabularInline):
    model = ChairTerm
    autocomplete_fields = ["state"]
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["state"]
    extra = 0


@admin.register(Mechanism)
class MechanismAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "name", "kind", "founded", "status"]
    list_filter = ["kind", "status", "themes"]
    search_fields = ["acronym", "name"]
    filter_horizontal = ["regions", "themes", "partners"]
    inlines = [ChairTermInline, MembershipInline]
