from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Heartbeat, OutboxMessage
from .outbox import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Side effects of the portal; the failed ones (an e-mail after its last retry) can be handed over again."""

    list_display = ["task", "args", "status", "created_at", "handovers", "finished_at", "error"]
    list_filter = ["status", "task"]
    date_hierarchy = "created_at"
    actions = ["hand_over_again"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("operations.change_outboxmessage")

    @admin.action(description=_("Hand over again (failed messages)"), permissions=["retry"])
    def hand_over_again(self, request, queryset):
        count = outbox_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d message handed over again.", "%(count)d messages handed over again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
