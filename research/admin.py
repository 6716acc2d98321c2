"""Admin: read-only views of 政研's records (every change goes through the services on the portal, which
audit it and keep the clock in step)."""

from django.contrib import admin

from .models import Adoption, Proposal, ResearchOutput, ResearchPlan, Topic, TopicCall, TopicMilestone


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TopicCall)
class TopicCallAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "deadline", "status")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "call", "status", "submitted_at")
    list_filter = ("status", "call")


@admin.register(ResearchPlan)
class ResearchPlanAdmin(ReadOnlyAdmin):
    list_display = ("year", "status", "decided_at")


class MilestoneInline(admin.TabularInline):
    model = TopicMilestone
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "due_at", "done_at", "done_by")
    fields = readonly_fields


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "kind", "lead", "status")
    list_filter = ("year", "kind", "status")
    inlines = [MilestoneInline]


@admin.register(ResearchOutput)
class ResearchOutputAdmin(ReadOnlyAdmin):
    list_display = ("title", "topic", "grade", "created_at")


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ("output", "kind", "date")
    list_filter = ("kind",)
