"""政研: the annual call for topics, proposals, the year's plan, topics with their milestones, field
research records, outputs (reports as documents of the documents app), their evaluation and their
adoption into decisions (a leader's 批示, a resulting document, a meeting decision, a supervision item).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


class TopicCall(models.Model):
    """选题征集: one call a year; its deadline is on the clock (reminder, then the call closes)."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("征集说明"), blank=True)
    opened_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    deadline = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=20, choices=CallStatus.choices, default=CallStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("选题征集")
        verbose_name_plural = _("选题征集")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("research:call", kwargs={"pk": self.pk})


class TopicKind(models.TextChoices):
    MAJOR = "major", _("重大课题")
    SPECIAL = "special", _("专项课题")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ADOPTED = "adopted", _("已列入计划")
    DECLINED = "declined", _("未列入")


class Proposal(models.Model):
    call = models.ForeignKey(
        TopicCall, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("建议选题"), max_length=200)
    reasons = models.TextField(_("选题理由"))
    kind = models.CharField(
        _("建议类别"), max_length=20, choices=TopicKind.choices, default=TopicKind.SPECIAL
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="research_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via_api = models.BooleanField(_("通过接口提交"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    is_late = models.BooleanField(_("逾期提交"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    topic = models.ForeignKey(
        "research.Topic",
        verbose_name=_("列入课题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("选题建议")
        verbose_name_plural = _("选题建议")
        ordering = ["call", "id"]
        indexes = [models.Index(fields=["unit", "call"], name="research_proposal_unit")]

    def __str__(self):
        return self.title


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("待主任审定")
    APPROVED = "approved", _("已审定")
    RETURNED = "returned", _("已退回")


class ResearchPlan(models.Model):
    """The year's plan of major and special topics: drafted by the 政研室, approved by the director."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("报审时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("年度调研计划")
        verbose_name_plural = _("年度调研计划")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s 年度调研计划") % {"year": self.year}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("research:plan", kwargs={"year": self.year})

    @property
    def editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class TopicStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("调研中")
    DONE = "done", _("已结题")
    CANCELLED = "cancelled", _("已撤销")


class Topic(models.Model):
    plan = models.ForeignKey(
        ResearchPlan, verbose_name=_("年度计划"), on_delete=models.PROTECT, related_name="topics"
    )
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("课题名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=TopicKind.choices)
    description = models.TextField(_("研究内容"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头研究人员"),
        on_delete=models.PROTECT,
        related_name="research_topics_led",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("课题组成员"), blank=True, related_name="research_topics"
    )
    external_members = models.CharField(
        _("其他成员"), max_length=500, blank=True, help_text=_("系统外成员，如专家学者，用顿号分隔。")
    )
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commissioned_by_name = models.CharField(_("交办领导（姓名）"), max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=TopicStatus.choices, default=TopicStatus.PLANNED
    )
    started_on = models.DateField(_("开题日期"), default=timezone.localdate)
    done_at = models.DateTimeField(_("结题时间"), null=True, blank=True)
    done_on_time = models.BooleanField(_("按期结题"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")
        ordering = ["year", "kind", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("research:topic", kwargs={"pk": self.pk})

    @property
    def commissioner_label(self) -> str:
        if self.commissioned_by_id:
            staff = getattr(self.commissioned_by, "staff", None)
            return staff.name if staff else self.commissioned_by.get_username()
        return self.commissioned_by_name


class MilestoneKind(models.TextChoices):
    OUTLINE = "outline", _("提纲")
    FIELD = "field", _("实地调研")
    DRAFT = "draft", _("初稿")
    FINAL = "final", _("定稿")


MILESTONE_ORDER = [MilestoneKind.OUTLINE, MilestoneKind.FIELD, MilestoneKind.DRAFT, MilestoneKind.FINAL]


class TopicMilestone(models.Model):
    """A milestone on the clock: reminded to the lead at the due time, escalated to the deputy in charge
    of the 政研室 if still open (ladder template ``research-milestone``); done stops its ladder."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("课题"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("节点"), max_length=20, choices=MilestoneKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    due_at = models.DateTimeField(_("完成期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("课题节点")
        verbose_name_plural = _("课题节点")
        ordering = ["topic", "order"]
        constraints = [models.UniqueConstraint(fields=["topic", "kind"], name="research_milestone_kind_uniq")]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(done_at__isnull=True), name="research_ms_open_due")
        ]

    def __str__(self):
        return f"{self.topic} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.topic.get_absolute_url()

    @property
    def is_late(self) -> bool:
        if self.done_at is not None:
            return self.done_at > self.due_at
        return timezone.now() > self.due_at


class FieldRecord(models.Model):
    topic = models.ForeignKey(Topic, verbose_name=_("课题"), on_delete=models.CASCADE, related_name="records")
    date = models.DateField(_("调研日期"))
    place = models.CharField(_("调研地点"), max_length=200)
    people_met = models.CharField(_("调研对象"), max_length=300)
    findings = models.TextField(_("调研发现"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调研记录")
        verbose_name_plural = _("调研记录")
        ordering = ["topic", "-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.place}"


def attachment_path(instance, filename):
    from office.files.validation import stored_name

    return stored_name("research", filename)


class FieldRecordAttachment(models.Model):
    record = models.ForeignKey(
        FieldRecord, verbose_name=_("调研记录"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)

    class Meta:
        verbose_name = _("调研记录附件")
        verbose_name_plural = _("调研记录附件")

    def __str__(self):
        return self.name


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ResearchOutput(models.Model):
    """An output of a topic: a report that is a document of the documents app (versions and review come
    with it), and its evaluation."""

    topic = models.ForeignKey(Topic, verbose_name=_("课题"), on_delete=models.CASCADE, related_name="outputs")
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("成果文稿"),
        on_delete=models.PROTECT,
        related_name="research_output",
    )
    title = models.CharField(_("成果名称"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    grade = models.CharField(_("评价等次"), max_length=20, choices=Grade.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remarks = models.TextField(_("评价意见"), blank=True)
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调研成果")
        verbose_name_plural = _("调研成果")
        ordering = ["topic", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.topic.get_absolute_url()


class AdoptionKind(models.TextChoices):
    INSTRUCTION = "instruction", _("领导肯定性批示")
    DOCUMENT = "document", _("转化为文件")
    MEETING = "meeting", _("会议决策")
    SUPERVISION = "supervision", _("督查督办事项")


class Adoption(models.Model):
    """What an output became. A meeting decision is a generic reference (content type + id + label +
    url): the meetings app is not imported."""

    output = models.ForeignKey(
        ResearchOutput, verbose_name=_("成果"), on_delete=models.CASCADE, related_name="adoptions"
    )
    kind = models.CharField(_("转化方式"), max_length=20, choices=AdoptionKind.choices)
    date = models.DateField(_("日期"), default=timezone.localdate)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批示领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader_name = models.CharField(_("批示领导（姓名）"), max_length=60, blank=True)
    text = models.TextField(_("批示内容 / 说明"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("形成文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervision_item = models.ForeignKey(
        "supervision.SupervisionItem",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("关联对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_id = models.PositiveBigIntegerField(_("关联对象编号"), null=True, blank=True)
    target_label = models.CharField(_("关联对象"), max_length=200, blank=True)
    target_url = models.CharField(_("关联对象链接"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("成果转化")
        verbose_name_plural = _("成果转化")
        ordering = ["output", "date", "id"]
        constraints = [
            models.CheckConstraint(
                name="research_adoption_has_target",
                condition=(
                    Q(kind="instruction") & (Q(leader__isnull=False) | ~Q(leader_name=""))
                    | Q(kind="document", document__isnull=False)
                    | Q(kind="meeting") & ~Q(target_label="")
                    | Q(kind="supervision", supervision_item__isnull=False)
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.label}"

    @property
    def leader_label(self) -> str:
        if self.leader_id:
            staff = getattr(self.leader, "staff", None)
            return staff.name if staff else self.leader.get_username()
        return self.leader_name

    @property
    def label(self) -> str:
        if self.kind == AdoptionKind.INSTRUCTION:
            return self.leader_label
        if self.kind == AdoptionKind.DOCUMENT and self.document_id:
            return str(self.document)
        if self.kind == AdoptionKind.SUPERVISION and self.supervision_item_id:
            return str(self.supervision_item)
        return self.target_label

    @property
    def url(self) -> str:
        if self.kind == AdoptionKind.DOCUMENT and self.document_id:
            from django.urls import reverse

            try:
                return reverse("documents:detail", kwargs={"pk": self.document_id})
            except Exception:
                return ""
        if self.kind == AdoptionKind.SUPERVISION and self.supervision_item_id:
            from django.urls import reverse

            return reverse("supervision:detail", kwargs={"pk": self.supervision_item_id})
        return self.target_url
