from django.contrib import admin

from .models import Attachment, ObjectiveReport, Review, ReviewCycle, ReviewMeeting


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "review_year", "imrf_year", "opens_on", "due_on"]
    prepopulated_fields = {"slug": ["name"]}


class ReviewMeetingInline(admin.TabularInline):
    model = ReviewMeeting
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "description", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["mechanism", "cycle", "status", "language", "updated_at"]
    list_filter = ["cycle", "status", "language"]
    search_fields = ["mechanism__acronym", "mechanism__name"]
    # Status changes go through the workflow, never through the admin.
    readonly_fields = ["status", "revision", "started_from", "submitted_at", "approved_at"]
    autocomplete_fields = []
    raw_id_fields = ["participating_states"]
    inlines = [ReviewMeetingInline, AttachmentInline]


@admin.register(ObjectiveReport)
class ObjectiveReportAdmin(admin.ModelAdmin):
    list_display = ["review", "objective", "is_regional_priority", "updated_at"]
    list_filter = ["review__cycle", "objective"]
    readonly_fields = ["revision", "updated_by"]

    # A review's text follows its review's rule (reviews.change_review), so the admin cannot edit it either.
    def has_add_permission(self, request):
        return request.user.has_perm("reviews.change_review")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("reviews.change_review", obj.review if obj else None)
