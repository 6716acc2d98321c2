"""Official documents (公文): outgoing documents with their versions, comments, review chain, number
register and distribution; the proofreader's word list. (Incoming documents: ``documents.incoming``.)

Other apps create documents through ``documents.services`` and hear about sign-off through hooks
registered in their ``AppConfig.ready()``; this app never imports them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class DocType(models.TextChoices):
    """The 15 types of the 2012 regulation on the handling of official documents of Party and state organs."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    CIRCULAR = "circular", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")


UPWARD_TYPES = frozenset({DocType.REPORT, DocType.REQUEST, DocType.MOTION})
PARALLEL_TYPES = frozenset({DocType.LETTER})


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    SIGNED = "signed", _("已签发")
    PUBLISHED = "published", _("已印发")
    ARCHIVED = "archived", _("已归档")


class Urgency(models.TextChoices):
    NONE = "", _("无")
    URGENT = "urgent", _("加急")
    EXTRA_URGENT = "extra_urgent", _("特急")


class Direction(models.TextChoices):
    DOWN = "down", _("下行文")
    UP = "up", _("上行文")
    PARALLEL = "parallel", _("平行文")


def default_direction(doc_type: str) -> str:
    """报告, 请示 and 议案 go up (签发人 printed, number on the left); 函 goes across; the rest go down."""
    if doc_type in UPWARD_TYPES:
        return Direction.UP.value
    if doc_type in PARALLEL_TYPES:
        return Direction.PARALLEL.value
    return Direction.DOWN.value


class Classification(models.TextChoices):
    PUBLIC = "public", _("公开")
    INTERNAL = "internal", _("内部")
    SECRET = "secret", _("秘密")
    CONFIDENTIAL = "confidential", _("机密")
    TOP_SECRET = "top_secret", _("绝密")


class DocumentNumberSequence(models.Model):
    """One counter per (prefix, year): numbers are handed out under a row lock, never max()+1."""

    prefix = models.CharField(_("机关代字"), max_length=40)
    year = models.PositiveIntegerField(_("年份"))
    last_value = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="documents_seq_prefix_year_uniq")
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last_value}号"


class Document(models.Model):
    doc_type = models.CharField(_("文种"), max_length=20, choices=DocType.choices)
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("发文字号"), max_length=60, blank=True, db_index=True)
    prefix = models.CharField(_("机关代字"), max_length=40, blank=True)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    main_recipients = models.CharField(_("主送机关"), max_length=500, blank=True)
    copy_to = models.CharField(_("抄送机关"), max_length=500, blank=True)
    body = models.TextField(_("正文"))
    issuing_body = models.CharField(_("发文机关"), max_length=100)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=DocStatus.choices, default=DocStatus.DRAFT)
    classification = models.CharField(
        _("密级"), max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    copy_no = models.CharField(_("份号"), max_length=6, blank=True)
    secrecy_period = models.CharField(_("保密期限"), max_length=20, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, blank=True, default="")
    direction = models.CharField(
        _("行文方向"), max_length=10, choices=Direction.choices, default=Direction.DOWN
    )
    title_lines = models.TextField(
        _("标题分行"), blank=True, help_text=_("每行一段；留空则按词自动分行，不在词语中间断开。")
    )
    attachments_list = models.TextField(_("附件说明"), blank=True, help_text=_("每行一个附件名称。"))
    note = models.TextField(_("附注"), blank=True)
    printed_by = models.CharField(_("印发机关"), max_length=100, blank=True)
    printed_on = models.DateField(_("印发日期"), null=True, blank=True)
    signers_label = models.CharField(_("签发人（上行文）"), max_length=100, blank=True)
    # Optimistic lock of the text: every save of the draft carries the revision it started from.
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    signed_without_review = models.BooleanField(_("未经核稿签发"), default=False)
    proofread_override_reason = models.TextField(_("校对意见未改理由"), blank=True)
    proofread_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定不改者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    origin = models.CharField(_("来源业务"), max_length=40, blank=True, db_index=True)
    origin_ref = models.CharField(_("来源对象"), max_length=80, blank=True)
    # Who may read it outside the office once published: named units, or every unit (e.g. a circular).
    recipient_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("送达单位"), blank=True, related_name="received_documents"
    )
    to_all_units = models.BooleanField(_("发至全部单位"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    sign_opinion = models.TextField(_("签发意见"), blank=True)
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year", "seq"],
                condition=models.Q(seq__isnull=False),
                name="documents_number_uniq",
            )
        ]
        indexes = [models.Index(fields=["origin", "origin_ref"], name="documents_origin_idx")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def is_upward(self) -> bool:
        return self.direction == Direction.UP

    @property
    def is_classified(self) -> bool:
        return self.classification in CLASSIFIED_LEVELS


# 秘密 and above: seen only by those granted it on the document or cleared by role; every read is logged.
CLASSIFIED_LEVELS = frozenset({Classification.SECRET, Classification.CONFIDENTIAL, Classification.TOP_SECRET})


class DocumentUserObjectPermission(UserObjectPermissionBase):
    """Guardian's per-document grants to a user (drafter, signer, named readers), with a real foreign
    key so that the list's scope is one join, not one query per row."""

    content_object = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("公文用户授权")
        verbose_name_plural = _("公文用户授权")


class DocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("公文角色授权")
        verbose_name_plural = _("公文角色授权")


class DocumentVersion(models.Model):
    """Every save of a draft's text: who, when, what. Never edited; the diff compares two of them."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    title_lines = models.TextField(_("标题分行"), blank=True)
    body = models.TextField(_("正文"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公文版本")
        verbose_name_plural = _("公文版本")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_number_uniq")
        ]

    def __str__(self):
        return f"{self.document_id} v{self.number}"


class DocumentComment(models.Model):
    """A comment anchored to a paragraph of a given version of the text (0-based index of its lines)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    version_number = models.PositiveIntegerField(_("版本号"))
    paragraph = models.PositiveIntegerField(_("段落"))
    quote = models.CharField(_("所评原文"), max_length=200, blank=True)
    text = models.TextField(_("意见"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("公文批注")
        verbose_name_plural = _("公文批注")
        ordering = ["document", "paragraph", "created_at", "id"]

    def __str__(self):
        return f"{self.document_id} ¶{self.paragraph}"


class StepKind(models.TextChoices):
    REVIEW = "review", _("核稿")
    COUNTERSIGN = "countersign", _("会签")
    SIGN_OFF = "sign_off", _("签发")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("未开始")
    PENDING = "pending", _("办理中")
    APPROVED = "approved", _("已同意")
    RETURNED = "returned", _("已退回")
    DELEGATED = "delegated", _("已转办")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STEP_STATUSES = (StepStatus.WAITING, StepStatus.PENDING)


class ReviewStep(models.Model):
    """One step of a document's review chain. Steps of the same ``stage`` run in parallel (会签 in
    parallel); stages run in order. A return sends the document back to an earlier stage (or to the
    drafter), and the chain is re-opened from there in a new ``round``."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="steps")
    stage = models.PositiveIntegerField(_("环节顺序"))
    kind = models.CharField(_("环节"), max_length=20, choices=StepKind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.PROTECT, related_name="+"
    )
    body_name = models.CharField(_("会签单位"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    round = models.PositiveIntegerField(_("轮次"), default=1)
    opinion = models.TextField(_("意见"), blank=True)
    returned_to_stage = models.PositiveIntegerField(_("退回至环节"), null=True, blank=True)
    delegated_from = models.ForeignKey(
        "self", verbose_name=_("转自"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_hours = models.PositiveIntegerField(_("办理时限（工作小时）"), default=8)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    acted_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")
        ordering = ["document", "round", "stage", "id"]
        indexes = [models.Index(fields=["assignee", "status"], name="documents_step_todo_idx")]

    def __str__(self):
        return f"{self.document_id} {self.get_kind_display()} {self.stage}"


class StepReminder(models.Model):
    """A manual 催办 of a pending step (limited per day so nobody is spammed)."""

    step = models.ForeignKey(ReviewStep, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("催办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")

    def __str__(self):
        return f"{self.step_id} {self.sent_at:%Y-%m-%d %H:%M}"


class DocumentReceipt(models.Model):
    """Distribution of a published document to one unit: delivered when, acknowledged when and by whom
    (through the page or the unit's system over the API)."""

    class Channel(models.TextChoices):
        PAGE = "page", _("网页")
        API = "api", _("接口")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("收文单位"), on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(_("分发时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_via = models.CharField(_("签收方式"), max_length=10, choices=Channel.choices, blank=True)

    class Meta:
        verbose_name = _("分发签收")
        verbose_name_plural = _("分发签收")
        ordering = ["document", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["document", "unit"], name="documents_receipt_uniq")]

    def __str__(self):
        return f"{self.document_id} → {self.unit_id}"


class NumberGap(models.Model):
    """A registered number that will never be used (a document withdrawn after registration), with why.
    Numbers are never reused; every gap in a register is explained here."""

    prefix = models.CharField(_("机关代字"), max_length=40)
    year = models.PositiveIntegerField(_("年份"))
    seq = models.PositiveIntegerField(_("序号"))
    reason = models.TextField(_("原因"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("空号说明")
        verbose_name_plural = _("空号说明")
        constraints = [models.UniqueConstraint(fields=["prefix", "year", "seq"], name="documents_gap_uniq")]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.seq}号"


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("提示")


class ProofreadTerm(models.Model):
    """The office's own word list for the proofreader (wrong → right), editable in the admin."""

    wrong = models.CharField(_("错误写法"), max_length=40, unique=True)
    right = models.CharField(_("正确写法"), max_length=40, blank=True)
    explanation = models.CharField(_("说明"), max_length=200, blank=True)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("校对词表")
        verbose_name_plural = _("校对词表")
        ordering = ["wrong"]

    def __str__(self):
        return f"{self.wrong} → {self.right}"


from .incoming.models import *  # noqa: E402,F401,F403
