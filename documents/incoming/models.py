"""Incoming documents (收文): what another body sent the office, from signing for it to the archive.

Sign for → register (with an incoming serial number, e.g. 收〔2026〕12号) → first check (or return to
the sender) → 拟办 → a leader's 批示 → assignment to a handler with a deadline on the office clock →
reply (办理结果) → close → archive; 传阅 with read tracking runs beside the handling. A 批示 can be
turned into a supervision item: the item's id is kept here as a plain integer (documents never import
supervision).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Classification, Urgency


class IncomingChannel(models.TextChoices):
    PAPER = "paper", _("纸质")
    COURIER = "courier", _("机要交通")
    API = "api", _("系统接口")


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("待初审")
    RETURNED = "returned", _("已退回")
    CHECKED = "checked", _("待拟办")
    PROPOSED = "proposed", _("待批示")
    INSTRUCTED = "instructed", _("待交办")
    ASSIGNED = "assigned", _("办理中")
    REPLIED = "replied", _("已办复")
    CLOSED = "closed", _("已办结")
    ARCHIVED = "archived", _("已归档")


# Where 传阅 may be started: after the first check and until the archive.
CIRCULATION_STATUSES = (
    IncomingStatus.CHECKED,
    IncomingStatus.PROPOSED,
    IncomingStatus.INSTRUCTED,
    IncomingStatus.ASSIGNED,
    IncomingStatus.REPLIED,
    IncomingStatus.CLOSED,
)


def incoming_file_path(instance, filename):
    """An unguessable stored name; the original name is kept in ``file_name`` and served only by the
    protected download (``/files/documents-incoming/<pk>``)."""
    from office.files.validation import stored_name

    return stored_name("documents/incoming", filename)


class IncomingDocument(models.Model):
    # 签收
    channel = models.CharField(_("来文方式"), max_length=10, choices=IncomingChannel.choices)
    received_at = models.DateTimeField(_("签收时间"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_label = models.CharField(_("签收方"), max_length=100, blank=True)
    sender_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("来文单位（系统）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 登记
    serial = models.CharField(_("收文编号"), max_length=60, blank=True, db_index=True)
    prefix = models.CharField(_("收文代字"), max_length=40, blank=True)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    issuing_body = models.CharField(_("来文机关"), max_length=100)
    their_number = models.CharField(_("来文字号"), max_length=60, blank=True)
    their_date = models.DateField(_("成文日期"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    classification = models.CharField(
        _("密级"), max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, blank=True, default="")
    pages = models.PositiveIntegerField(_("页数"), default=1)
    copies = models.PositiveIntegerField(_("份数"), default=1)
    file = models.FileField(_("文件"), upload_to=incoming_file_path, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED
    )
    # 初审
    checked_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    # 拟办
    proposal = models.TextField(_("拟办意见"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("拟办时间"), null=True, blank=True)
    # 批示
    instruction = models.TextField(_("领导批示"), blank=True)
    instruction_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批示领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instructed_on = models.DateField(_("批示日期"), null=True, blank=True)
    instruction_deadline = models.DateField(_("批示办理时限"), null=True, blank=True)
    # 交办
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    # 办复 / 办结 / 归档
    reply = models.TextField(_("办理结果"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("办复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    # 转督办: the supervision item's id (an integer, no foreign key into supervision)
    supervision_item_id = models.PositiveIntegerField(_("督办事项编号"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("收文")
        verbose_name_plural = _("收文")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year", "seq"],
                condition=models.Q(seq__isnull=False),
                name="documents_incoming_serial_uniq",
            ),
            # a retry of another office's system never registers the same document twice
            models.UniqueConstraint(
                fields=["sender_unit", "their_number"],
                condition=models.Q(sender_unit__isnull=False),
                name="documents_incoming_sender_number_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="documents_incoming_status_idx"),
        ]

    def __str__(self):
        return f"{self.serial} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("documents:incoming-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (IncomingStatus.CLOSED, IncomingStatus.ARCHIVED, IncomingStatus.RETURNED)


class CirculationMode(models.TextChoices):
    PARALLEL = "parallel", _("同时传阅")
    SEQUENTIAL = "sequential", _("依次传阅")


class Circulation(models.Model):
    """One reader of an incoming document's 传阅. In sequential mode the next reader receives it when the
    previous one has read it; ``sent_at`` set and ``read_at`` empty means this reader holds it now."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="circulations")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("阅文人"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(_("顺序"), default=1)
    mode = models.CharField(_("传阅方式"), max_length=12, choices=CirculationMode.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅毕时间"), null=True, blank=True)
    note = models.CharField(_("阅文意见"), max_length=500, blank=True)
    urged_at = models.DateTimeField(_("最近催阅"), null=True, blank=True)
    urge_count = models.PositiveIntegerField(_("催阅次数"), default=0)
    # the day of the last 催阅 and how many that day (a daily limit, so nobody is spammed)
    urge_day = models.DateField(null=True, blank=True)
    urge_day_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("传阅")
        verbose_name_plural = _("传阅")
        ordering = ["document", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "reader"], name="documents_circulation_reader_uniq")
        ]
        indexes = [models.Index(fields=["reader", "read_at"], name="documents_circ_reader_idx")]

    def __str__(self):
        return f"{self.document_id} → {self.reader_id}"

    @property
    def holding(self) -> bool:
        return self.sent_at is not None and self.read_at is None


__all__ = [
    "CIRCULATION_STATUSES",
    "Circulation",
    "CirculationMode",
    "IncomingChannel",
    "IncomingDocument",
    "IncomingStatus",
]
