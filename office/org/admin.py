from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin

from .models import Staff, Unit, UnitAPIKey


class StaffInline(admin.TabularInline):
    model = Staff
    fk_name = "unit"
    fields = ["name", "position", "phone", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(GuardedModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "head", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent", "head"]
    autocomplete_fields = ["parent", "head"]
    inlines = [StaffInline]


@admin.register(Staff)
class StaffAdmin(GuardedModelAdmin):
    list_display = ["name", "unit", "position", "phone", "roles", "is_active"]
    list_filter = ["unit__kind", "is_active", "user__groups"]
    search_fields = ["name", "user__username", "phone"]
    list_select_related = ["unit", "user"]
    autocomplete_fields = ["unit", "user"]
    filter_horizontal = ["sections_in_charge"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description=_("角色"))
    def roles(self, obj):
        from .models import Role

        names = {g.name for g in obj.user.groups.all()}
        return "、".join(str(Role(r).label) for r in Role.values if r in names)


@admin.register(UnitAPIKey)
class UnitAPIKeyAdmin(APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "unit"]
    list_filter = [*APIKeyModelAdmin.list_filter, "unit__kind"]
    search_fields = [*APIKeyModelAdmin.search_fields, "unit__name"]
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        # The library shows the clear key once through messages; keep that behaviour.
        super().save_model(request, obj, form, change)
        if not change:
            messages.info(request, _("密钥只显示这一次，请立即交给该单位妥善保存。"))
