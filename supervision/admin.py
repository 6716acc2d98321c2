from django.contrib import admin

from .models import (
    ExtensionRequest,
    Feedback,
    ItemNumberSequence,
    ItemUnit,
    LadderStep,
    Milestone,
    SiteVisit,
    SupervisionItem,
)


class ItemUnitInline(admin.TabularInline):
    model = ItemUnit
    extra = 0
    readonly_fields = ["unit", "role", "ack_due_at", "acknowledged_at", "acknowledged_by", "ack_missed_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    # Dates arm clock timers: milestones are added on the item page (services), not here.
    readonly_fields = ["order", "title", "due_at", "reported_at", "missed_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionItem)
class SupervisionItemAdmin(admin.ModelAdmin):
    """Read mostly: transitions go through the pages (services), which write the audit trail."""

    list_display = [
        "number",
        "title",
        "category",
        "source",
        "lead_unit",
        "status",
        "due_at",
        "escalation_level",
    ]
    list_filter = ["status", "category", "source", "urgency"]
    search_fields = ["number", "title", "requirement"]
    list_select_related = ["lead_unit"]
    readonly_fields = [
        "number",
        "year",
        "seq",
        "status",
        "escalation_level",
        "next_milestone_due",
        "last_feedback_at",
        "issued_at",
        "closed_at",
        "due_at",
        "due_working_days",
        "lead_unit",
        "assignee",
        "due_revision",
        "due_missed_revision",
        "created_by",
        "created_at",
    ]
    inlines = [ItemUnitInline, MilestoneInline]
    filter_horizontal = ["commissioners"]


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "level", "opened_at", "due_at", "resolved_at", "document"]
    list_filter = ["kind"]
    list_select_related = ["item", "document"]
    readonly_fields = [f.name for f in LadderStep._meta.fields]


admin.site.register([Feedback, SiteVisit, ExtensionRequest])


@admin.register(ItemNumberSequence)
class ItemNumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["year", "last_value"]
    readonly_fields = ["year", "last_value"]
