from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_display", "verb", "subject_type", "subject_repr"]
    list_filter = ["verb", "subject_type"]
    search_fields = ["subject_repr", "verb", "actor__username", "actor_label"]
    date_hierarchy = "created_at"
    list_select_related = ["actor__staff", "subject_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
