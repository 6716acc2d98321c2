from django.contrib import admin

from .models import Control, Post, ReviewCampaign, Risk, RiskIncident, RiskReview
from .services.common import schedule_review_timer


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "section", "sort_order", "is_active")
    list_filter = ("section", "is_active")
    search_fields = ("code", "name")
    filter_horizontal = ("holders",)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # the portal's editor of this post finds it changed
        super().save_model(request, obj, form, change)


class ControlInline(admin.TabularInline):
    model = Control
    extra = 0
    autocomplete_fields = ("owner",)


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "post",
        "area",
        "likelihood",
        "impact",
        "score",
        "level",
        "next_review_at",
        "is_active",
    )
    list_filter = ("area", "level", "post__section", "is_active")
    search_fields = ("title", "code", "post__name")
    readonly_fields = ("score", "level")
    autocomplete_fields = ("owner",)
    inlines = [ControlInline]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # the portal's editor of this risk finds it changed
        super().save_model(request, obj, form, change)
        schedule_review_timer(obj)  # a moved review date moves its reminder


@admin.register(RiskIncident)
class RiskIncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "risk", "source_label", "raised_likelihood")
    list_filter = ("kind", "raised_likelihood")
    search_fields = ("summary", "source_label")
    readonly_fields = ("source_type", "source_id", "raised_likelihood", "created_at")
    autocomplete_fields = ("risk",)


class ReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    fields = ("risk", "status", "likelihood", "impact", "reviewer", "decided_by")
    readonly_fields = fields
    can_delete = False


@admin.register(ReviewCampaign)
class ReviewCampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "opened_at", "deadline", "status")
    list_filter = ("status",)
    filter_horizontal = ("sections",)
    inlines = [ReviewInline]
