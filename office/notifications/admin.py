from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ChannelPreference, DeliveryAttempt, Notification, Status, WebhookTarget


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "finished_at", "outcome", "detail", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "title",
        "recipient",
        "recipient_unit",
        "channel",
        "level",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "read_at",
    ]
    list_filter = ["status", "channel", "level", "created_at"]
    search_fields = ["title", "step", "recipient__username", "recipient__staff__name", "recipient_unit__name"]
    list_select_related = ["recipient", "recipient_unit"]
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    actions = ["retry_failed"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新发送选中的失败消息"), permissions=["view"])
    def retry_failed(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(request, _("只有系统管理员可以重新发送。"), messages.ERROR)
            return
        done = 0
        for pk in queryset.filter(status=Status.FAILED).values_list("pk", flat=True):
            try:
                services.notification_retry(actor=request.user, notification_id=pk)
                done += 1
            except services.NotificationError:
                continue
        self.message_user(request, _("已重新安排 %(count)s 条消息发送。") % {"count": done}, messages.SUCCESS)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    list_display = ["notification", "number", "started_at", "finished_at", "outcome", "detail", "error"]
    list_filter = ["outcome", "started_at"]
    list_select_related = ["notification"]
    readonly_fields = [f.name for f in DeliveryAttempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "email_enabled",
        "email_min_level",
        "webhook_enabled",
        "webhook_min_level",
        "updated_at",
    ]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(WebhookTarget)
class WebhookTargetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "url", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["unit", "user"]
    raw_id_fields = ["user"]
    autocomplete_fields: list = []
