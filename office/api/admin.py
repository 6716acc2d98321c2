from django.contrib import admin

from .models import IdempotencyKey


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    """The stored answers of the API's Idempotency-Key, to look at only: they are written by the API and
    purged by beat (office/api/services.py)."""

    list_display = ["created_at", "principal_label", "principal", "key", "method", "path", "status_code"]
    list_filter = ["status_code", "method"]
    search_fields = ["key", "principal", "principal_label", "path"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
