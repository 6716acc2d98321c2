"""The clock's rows: timers (the deadlines of every app), its own state, and escalation ladders."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimerState(models.TextChoices):
    PENDING = "pending", _("待触发")
    RETRYING = "retrying", _("重试中")
    FIRED = "fired", _("已触发")
    CANCELLED = "cancelled", _("已取消")
    FAILED = "failed", _("失败")


# Unfired, uncancelled and not given up: the only timers the tick ever looks at.
PENDING_Q = Q(fired_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True)


class Timer(models.Model):
    """One deadline of one subject. (subject, kind, step) is unique, so a step can only ever fire once."""

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.CharField(_("对象编号"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("类型"), max_length=100, help_text=_("由所属模块登记的处理程序名称。"))
    step = models.BigIntegerField(_("步骤"), default=0)
    due_at = models.DateTimeField(_("到期时间"))
    fired_at = models.DateTimeField(_("触发时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    failed_at = models.DateTimeField(
        _("放弃时间"), null=True, blank=True, help_text=_("重试次数用尽后标记失败，需管理员处理。")
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次重试时间"), null=True, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "step"], name="clock_timer_one_per_step"
            ),
        ]
        indexes = [
            # Only timers still waiting are indexed by due time: the sweep cost follows the due ones,
            # not the millions already fired or far in the future.
            models.Index(fields=["due_at"], name="clock_timer_pending_due", condition=PENDING_Q),
            models.Index(
                fields=["-updated_at"],
                name="clock_timer_troubled",
                condition=Q(fired_at__isnull=True, cancelled_at__isnull=True, attempts__gt=0),
            ),
        ]

    def __str__(self):
        return (
            f"{self.kind}#{self.step} {self.subject_type_id}:{self.subject_id} @ {self.due_at:%Y-%m-%d %H:%M}"
        )

    @property
    def state(self) -> str:
        if self.fired_at:
            return TimerState.FIRED
        if self.cancelled_at:
            return TimerState.CANCELLED
        if self.failed_at:
            return TimerState.FAILED
        if self.attempts:
            return TimerState.RETRYING
        return TimerState.PENDING

    def get_state_display(self) -> str:
        return str(TimerState(self.state).label)


class ClockState(models.Model):
    """One row (pk 1) every process reads: when the last tick ran and what the clock has done."""

    last_tick_at = models.DateTimeField(_("最近一次巡检"), null=True, blank=True)
    last_tick_duration_ms = models.PositiveIntegerField(_("巡检耗时（毫秒）"), default=0)
    last_tick_fired = models.PositiveIntegerField(_("最近一次触发数"), default=0)
    ticks_total = models.PositiveBigIntegerField(_("巡检次数"), default=0)
    fired_total = models.PositiveBigIntegerField(_("触发总数"), default=0)
    failures_total = models.PositiveBigIntegerField(_("失败总数"), default=0)

    class Meta:
        verbose_name = _("时钟状态")
        verbose_name_plural = _("时钟状态")

    def __str__(self):
        return f"clock state {self.last_tick_at}"


# --- escalation ladders ---------------------------------------------------------------------------


def _check_wait(obj) -> None:
    if obj.wait_hours is not None and obj.wait_working_days is not None:
        raise ValidationError(_("等待时间只能填写小时数或工作日数其中一项。"))
    if obj.wait_hours is None and obj.wait_working_days is None:
        raise ValidationError(_("请填写等待的小时数或工作日数。"))


class LadderTemplate(models.Model):
    """An escalation ladder as the office defines it. Subjects freeze a copy when they start one."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("督促流程模板")
        verbose_name_plural = _("督促流程模板")
        ordering = ["code"]

    def __str__(self):
        return self.name


class LadderStepFields(models.Model):
    name = models.CharField(_("步骤名称"), max_length=100)
    wait_hours = models.DecimalField(_("等待小时数"), max_digits=8, decimal_places=2, null=True, blank=True)
    wait_working_days = models.PositiveIntegerField(
        _("等待工作日数"), null=True, blank=True, help_text=_("到第 N 个工作日的下班时间。")
    )
    recipients = models.CharField(
        _("接收人"),
        max_length=200,
        help_text=_("接收人规则，如 director、deputy_directors、role:duty_leader；多个用逗号分隔。"),
    )
    action = models.CharField(_("动作"), max_length=100, default="clock.notify")

    class Meta:
        abstract = True

    def wait_display(self) -> str:
        if self.wait_working_days is not None:
            return _("%(n)s 个工作日") % {"n": self.wait_working_days}
        if self.wait_hours is not None:
            return _("%(n)s 小时") % {"n": self.wait_hours.normalize()}
        return ""


class LadderTemplateStep(LadderStepFields):
    template = models.ForeignKey(
        LadderTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("督促步骤")
        verbose_name_plural = _("督促步骤")
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="clock_template_step_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        _check_wait(self)
        from .registry import check_ladder_action, check_recipients

        errors = {}
        try:
            check_recipients(self.recipients)
        except LookupError as exc:
            errors["recipients"] = str(exc)
        try:
            check_ladder_action(self.action)
        except LookupError as exc:
            errors["action"] = str(exc)
        if errors:
            raise ValidationError(errors)


class LadderStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    PAUSED = "paused", _("已暂停")
    STOPPED = "stopped", _("已终止")
    COMPLETED = "completed", _("已走完")


class SubjectLadder(models.Model):
    """A ladder started on one subject, with the template's steps frozen at start."""

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.CharField(_("对象编号"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    template = models.ForeignKey(
        LadderTemplate, verbose_name=_("模板"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    template_code = models.CharField(_("模板代码"), max_length=60)
    template_name = models.CharField(_("模板名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=20, choices=LadderStatus.choices)
    anchor_at = models.DateTimeField(_("起算时间"))
    started_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("启动人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("对象督促流程")
        verbose_name_plural = _("对象督促流程")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(status__in=["running", "paused"]),
                name="clock_one_live_ladder_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-started_at"], name="clock_ladder_subj")
        ]

    def __str__(self):
        return f"{self.template_name} ({self.get_status_display()})"


class LadderStepStatus(models.TextChoices):
    PENDING = "pending", _("待执行")
    FIRED = "fired", _("已执行")
    SKIPPED = "skipped", _("已跳过")
    CANCELLED = "cancelled", _("已取消")


class SubjectLadderStep(LadderStepFields):
    ladder = models.ForeignKey(
        SubjectLadder, verbose_name=_("督促流程"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField(_("顺序"))
    status = models.CharField(
        _("状态"), max_length=20, choices=LadderStepStatus.choices, default=LadderStepStatus.PENDING
    )
    due_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    fired_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    recipients_resolved = models.JSONField(_("实际接收人"), default=list, blank=True)

    class Meta:
        verbose_name = _("督促步骤（已固化）")
        verbose_name_plural = _("督促步骤（已固化）")
        ordering = ["ladder", "order"]
        constraints = [models.UniqueConstraint(fields=["ladder", "order"], name="clock_ladder_step_order")]

    def __str__(self):
        return f"{self.order + 1}. {self.name}"
