"""Supervision (督查督办): items, the units on them, milestones, feedback, ladder steps, visits,
extensions. Rules live in services; this file holds fields, choices and constraints."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.files.validation import stored_name


def feedback_upload_to(instance, filename: str) -> str:
    """An unguessable name (the original is kept in ``attachment_name``); served by the download view."""
    return stored_name("supervision/feedback", filename)


def visit_photo_upload_to(instance, filename: str) -> str:
    return stored_name("supervision/visits", filename)


class Source(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("常委会")
    LEADERS_MEETING = "leaders_meeting", _("市级领导会")
    LEADER_INSTRUCTION = "leader_instruction", _("领导批示")
    DOCUMENT = "document", _("文件")
    INTERNAL = "internal", _("主任交办")


class Category(models.TextChoices):
    INVESTMENT = "investment", _("招商引资")
    PROJECT = "project", _("项目建设")
    URBAN = "urban", _("城市建设")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    SUBMITTED = "submitted", _("已报结果")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


ACTIVE_STATUSES = (Status.ISSUED, Status.IN_PROGRESS, Status.SUBMITTED)


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    NONE = "none", _("—")


class ItemNumberSequence(models.Model):
    """One row per year; numbers are taken under its row lock and never reused."""

    year = models.PositiveIntegerField(_("年份"), unique=True)
    last_value = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("督办编号序列")
        verbose_name_plural = _("督办编号序列")

    def __str__(self):
        return f"{self.year}: {self.last_value}"


class SupervisionItem(models.Model):
    number = models.CharField(_("编号"), max_length=40, unique=True)
    year = models.PositiveIntegerField(_("年份"))
    seq = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("事项名称"), max_length=200)
    requirement = models.TextField(_("督办要求"))
    source = models.CharField(_("来源"), max_length=30, choices=Source.choices)
    source_date = models.DateField(_("来源日期"), null=True, blank=True)
    source_ref = models.CharField(_("来源文号/出处"), max_length=120, blank=True)
    instructing_leader = models.CharField(_("批示领导"), max_length=60, blank=True, db_index=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_items_led",
    )
    lead_person = models.CharField(_("责任人"), max_length=60, blank=True)
    # Internal assignments (the director's work items) go to a person instead of a unit.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_assignments",
    )
    commissioners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督查专员"), blank=True, related_name="supervision_items"
    )
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    due_working_days = models.PositiveIntegerField(
        _("时限（工作日）"), null=True, blank=True, help_text=_("未填具体日期时，自交办起按工作日计算。")
    )
    due_revision = models.PositiveIntegerField(_("时限版本"), default=0)
    due_missed_revision = models.PositiveIntegerField(_("已计逾期的时限版本"), null=True, blank=True)
    expected_output = models.CharField(_("预期成果"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    escalation_level = models.PositiveSmallIntegerField(_("督办升级"), default=0)
    # The earliest milestone not yet reported: kept by the services so the light is a pure column test.
    next_milestone_due = models.DateTimeField(_("最近节点时间"), null=True, blank=True)
    last_feedback_at = models.DateTimeField(_("最近反馈时间"), null=True, blank=True)
    progress = models.TextField(_("进展情况"), blank=True)
    issued_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    status_note = models.TextField(_("状态说明"), blank=True, help_text=_("退回或撤销的理由。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="supervision_item_year_seq_uniq")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="sup_item_status_due_idx"),
            models.Index(fields=["status", "next_milestone_due"], name="sup_item_status_ms_idx"),
            models.Index(fields=["lead_unit", "status"], name="sup_item_unit_status_idx"),
            models.Index(fields=["category", "status"], name="sup_item_cat_status_idx"),
            models.Index(fields=["-created_at"], name="sup_item_created_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_internal_assignment(self) -> bool:
        return self.source == Source.INTERNAL and self.lead_unit_id is None


class UnitRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class ItemUnit(models.Model):
    """A unit on an item (lead or assisting) and its acknowledgement (签收)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=10, choices=UnitRole.choices)
    ack_due_at = models.DateTimeField(_("签收时限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.CharField(_("签收人"), max_length=100, blank=True)
    ack_missed_at = models.DateTimeField(_("逾期未签收时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="supervision_itemunit_uniq")]
        indexes = [models.Index(fields=["unit", "item"], name="sup_itemunit_unit_idx")]

    def __str__(self):
        return f"{self.item.number} {self.unit} {self.get_role_display()}"


class Milestone(models.Model):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("节点"), max_length=200)
    due_at = models.DateTimeField(_("节点时间"))
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    missed_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作节点")
        verbose_name_plural = _("工作节点")
        ordering = ["item", "due_at", "order"]

    def __str__(self):
        return f"{self.item.number} {self.title}"


class FeedbackKind(models.TextChoices):
    PROGRESS = "progress", _("进展反馈")
    RESULT = "result", _("办理结果")


class FeedbackReview(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已认可")
    RETURNED = "returned", _("退回")


class Feedback(models.Model):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="feedback")
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("节点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=FeedbackKind.choices)
    content = models.TextField(_("内容"))
    attachment = models.FileField(_("附件"), upload_to=feedback_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(_("附件名称"), max_length=120, blank=True)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by_label = models.CharField(_("报送人"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    review = models.CharField(
        _("审核"), max_length=10, choices=FeedbackReview.choices, default=FeedbackReview.PENDING
    )
    review_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.item.number} {self.get_kind_display()}"


class StepKind(models.TextChoices):
    COMMUNICATION = "communication", _("沟通")
    NOTICE = "notice", _("督办通知")
    CIRCULAR = "circular", _("通报批评")


STEP_LEVEL = {StepKind.COMMUNICATION: 1, StepKind.NOTICE: 2, StepKind.CIRCULAR: 3}


class ContactMode(models.TextChoices):
    CALL = "call", _("电话")
    VISIT = "visit", _("上门")
    MEETING = "meeting", _("约谈")


class LadderStep(models.Model):
    """One rung of the three-strike ladder taken on an item (沟通 → 督办通知 → 通报批评)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="ladder_steps")
    level = models.PositiveSmallIntegerField(_("级别"))
    kind = models.CharField(_("措施"), max_length=20, choices=StepKind.choices)
    trigger = models.CharField(_("触发原因"), max_length=200)
    opened_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    due_at = models.DateTimeField(_("整改时限"), help_text=_("本步骤给单位设定的新时限。"))
    resolved_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    resolution = models.CharField(_("结束原因"), max_length=200, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The commissioner's communication log (step 1).
    task_due_at = models.DateTimeField(_("沟通记录时限"), null=True, blank=True)
    contact_mode = models.CharField(_("方式"), max_length=10, choices=ContactMode.choices, blank=True)
    contact_person = models.CharField(_("沟通对象"), max_length=100, blank=True)
    contact_at = models.DateTimeField(_("沟通时间"), null=True, blank=True)
    agreed = models.TextField(_("商定事项"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办升级步骤")
        verbose_name_plural = _("督办升级步骤")
        ordering = ["item", "opened_at", "id"]
        indexes = [models.Index(fields=["item", "kind"], name="sup_step_item_kind_idx")]

    def __str__(self):
        return f"{self.item.number} {self.get_kind_display()}"


class SiteVisit(models.Model):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="visits")
    visited_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200)
    people_met = models.CharField(_("见面人员"), max_length=300)
    findings = models.TextField(_("发现情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("实地督查")
        verbose_name_plural = _("实地督查")
        ordering = ["-visited_at"]

    def __str__(self):
        return f"{self.item.number} {self.place}"


class SiteVisitPhoto(models.Model):
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=visit_photo_upload_to, max_length=200)
    name = models.CharField(_("文件名"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")

    def __str__(self):
        return self.name or self.file.name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class ExtensionRequest(models.Model):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_label = models.CharField(_("申请人"), max_length=100, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    reason = models.TextField(_("延期理由"))
    old_due_at = models.DateTimeField(_("原时限"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("申请延至"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.item.number} {self.get_status_display()}"
