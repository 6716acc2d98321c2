from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import registry, services
from .models import LadderTemplate, LadderTemplateStep, SubjectLadder, SubjectLadderStep, Timer


class LadderTemplateStepForm(forms.ModelForm):
    class Meta:
        model = LadderTemplateStep
        fields = ["order", "name", "wait_hours", "wait_working_days", "recipients", "action"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].help_text = _("可用规则：%(names)s；多个用逗号分隔。") % {
            "names": "、".join(registry.resolver_names())
        }
        self.fields["action"] = forms.ChoiceField(
            label=_("动作"), choices=[(k, k) for k in registry.ladder_action_kinds()]
        )


class LadderTemplateStepInline(admin.TabularInline):
    model = LadderTemplateStep
    form = LadderTemplateStepForm
    extra = 0


@admin.register(LadderTemplate)
class LadderTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    inlines = [LadderTemplateStepInline]


class SubjectLadderStepInline(admin.TabularInline):
    model = SubjectLadderStep
    extra = 0
    can_delete = False
    fields = (
        "order",
        "name",
        "wait_hours",
        "wait_working_days",
        "recipients",
        "action",
        "status",
        "due_at",
        "fired_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SubjectLadder)
class SubjectLadderAdmin(admin.ModelAdmin):
    """Frozen ladders are changed through the services (pause, resume, stop), never edited here."""

    list_display = ("template_name", "subject_type", "subject_id", "status", "started_at", "ended_at")
    list_filter = ("status", "template_code")
    search_fields = ("subject_id", "template_code")
    inlines = [SubjectLadderStepInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


class TimerStateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("等待中")),
            ("retrying", _("重试中")),
            ("failed", _("失败")),
            ("fired", _("已触发")),
            ("cancelled", _("已取消")),
        ]

    def queryset(self, request, qs):
        unfired = {"fired_at__isnull": True, "cancelled_at__isnull": True}
        return {
            "waiting": lambda: qs.filter(**unfired, failed_at__isnull=True),
            "retrying": lambda: qs.filter(**unfired, failed_at__isnull=True, attempts__gt=0),
            "failed": lambda: qs.filter(**unfired, failed_at__isnull=False),
            "fired": lambda: qs.filter(fired_at__isnull=False),
            "cancelled": lambda: qs.filter(cancelled_at__isnull=False),
        }.get(self.value(), lambda: qs)()


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "step", "subject_type", "subject_id", "due_at", "fired_at", "attempts")
    list_filter = (TimerStateFilter, "kind")
    search_fields = ("kind", "subject_id")
    date_hierarchy = "due_at"
    list_select_related = ("subject_type",)
    actions = ["retry_now"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("立即重试所选定时任务"))
    def retry_now(self, request, queryset):
        done = 0
        for timer_id in queryset.values_list("pk", flat=True):
            try:
                services.timer_retry(actor=request.user, timer_id=timer_id)
                done += 1
            except services.ClockError as exc:
                self.message_user(request, f"#{timer_id}: {exc.message}", messages.WARNING)
        self.message_user(request, _("已安排重试 %(n)s 个定时任务。") % {"n": done})
