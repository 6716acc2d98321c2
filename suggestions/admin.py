"""Admin: campaigns, prompts and tags are editable; items are shown read-only WITHOUT the author, the
blind token or who entered them (the admin must not reveal an anonymous author, and a named one is for
the director's eyes); talks without their notes (TalkNote is not registered at all)."""

from django.contrib import admin

from .models import Campaign, Prompt, Submission, Tag, Talk


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Opened and closed on the portal (the services start and stop the reminders); the admin edits the
    wording and the clerks, not the deadline or the state."""

    list_display = ("title", "opened_at", "deadline", "status", "min_per_person")
    inlines = [PromptInline]
    filter_horizontal = ("units", "clerks")
    readonly_fields = ("opened_at", "deadline", "status", "opened_by", "min_per_person")

    def has_add_permission(self, request):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("pk", "campaign", "prompt", "visibility", "status", "reply_code")
    list_filter = ("campaign", "status", "reply_code")
    fields = ("campaign", "prompt", "text", "visibility", "channel", "status", "reply_code", "reply_text")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ("pk", "scheduled_at", "status")
    fields = ("scheduled_at", "place", "status")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
