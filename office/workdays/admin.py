from django.contrib import admin

from .models import WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note", "updated_at")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"
