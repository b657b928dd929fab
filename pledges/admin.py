from django.contrib import admin

from .models import Pledge, PledgeReminder, PledgeUpdate


class PledgeUpdateInline(admin.TabularInline):
    model = PledgeUpdate
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "pledger_type", "pledger_state", "pledger_mechanism", "imrf_edition", "status", "is_demo"]
    list_filter = ["pledger_type", "status", "imrf_edition", "is_published", "is_demo"]
    search_fields = ["title", "pledger_name", "pledger_state__name"]
    raw_id_fields = ["matches", "created_by"]
    filter_horizontal = ["objectives", "guiding_principles", "regions", "states", "co_pledger_states"]
    list_select_related = ["pledger_state", "pledger_mechanism"]
    inlines = [PledgeUpdateInline]


@admin.register(PledgeReminder)
class PledgeReminderAdmin(admin.ModelAdmin):
    list_display = ["pledge", "last_activity_on", "sent_at"]
    raw_id_fields = ["pledge"]
