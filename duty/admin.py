from django.contrib import admin

from .models import (
    CoverageAlert,
    DutyAlert,
    Handover,
    PhoneRecord,
    Roster,
    RotationMember,
    Shift,
    SwapRequest,
    UrgentReport,
)


@admin.register(RotationMember)
class RotationMemberAdmin(admin.ModelAdmin):
    list_display = ["pool", "order", "user", "is_active"]
    list_filter = ["pool", "is_active"]
    list_editable = ["order", "is_active"]
    raw_id_fields = ["user"]


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "published_at", "published_by"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "published_by", "version"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "leader", "main_officer", "deputy_officer", "is_holiday"]
    list_filter = ["roster", "is_holiday"]
    list_select_related = ["leader", "main_officer", "deputy_officer"]
    raw_id_fields = ["leader", "main_officer", "deputy_officer"]

    def has_change_permission(self, request, obj=None):
        return False  # edited through the roster page (services), never directly


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: read in admin, written by services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UrgentReport)
class UrgentReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "level", "status", "received_at", "phone_late", "written_late", "completeness"]
    list_filter = ["level", "status", "phone_late", "written_late"]
    search_fields = ["title"]


@admin.register(PhoneRecord)
class PhoneRecordAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "caller_unit", "caller_name", "importance", "status"]
    list_filter = ["importance", "status"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["to_shift", "outgoing_officer", "incoming_officer", "status", "acknowledged_late"]


@admin.register(SwapRequest)
class SwapRequestAdmin(ReadOnlyAdmin):
    list_display = ["shift", "position", "proposer", "acceptor", "status"]


@admin.register(DutyAlert)
class DutyAlertAdmin(ReadOnlyAdmin):
    list_display = ["fired_at", "kind", "step", "title", "recipients"]
    list_filter = ["kind"]


@admin.register(CoverageAlert)
class CoverageAlertAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "kind", "message", "detected_at"]
