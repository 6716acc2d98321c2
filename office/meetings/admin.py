from django.contrib import admin

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Meeting,
    MeetingIncident,
    MeetingType,
    Room,
)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "location", "capacity", "is_active")


class ChecklistTemplateInline(admin.StackedInline):
    model = ChecklistTemplate
    extra = 0


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "is_active")
    inlines = [ChecklistTemplateInline]


class ChecklistTemplateItemInline(admin.TabularInline):
    model = ChecklistTemplateItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "meeting_type")
    inlines = [ChecklistTemplateItemInline]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("name", "owner", "due_at", "done_at", "done_by")
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-mostly: meetings are made and changed on the portal (the services keep the clock in step)."""

    list_display = ("title", "meeting_type", "starts_at", "room", "status")
    list_filter = ("meeting_type", "status")
    search_fields = ("title",)
    inlines = [ChecklistItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MeetingIncident)
class MeetingIncidentAdmin(admin.ModelAdmin):
    list_display = ("meeting", "category", "started_at", "minutes_lost")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
