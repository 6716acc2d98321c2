"""The one audit trail. Rows are append-only: the model refuses updates and deletes, and on
PostgreSQL a trigger refuses them in the database as well."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    pass


class AuditChain(models.Model):
    """The head of a tamper-evident chain (office/audit/chain.py): last row, its hash, the row count."""

    name = models.CharField(_("日志"), max_length=20, primary_key=True)
    last_id = models.BigIntegerField(_("最后一条记录"), null=True, blank=True)
    last_seq = models.BigIntegerField(_("最后序号"), default=0)
    last_hash = models.CharField(_("链头哈希"), max_length=64)
    rows = models.BigIntegerField(_("记录数"), default=0)
    # The business audit's chain only: rows linked so far per app, the part of the verb before its first
    # dot ({"duty": 1204, "supervision": 87, ...}). Only grows; written with the head, under its lock.
    tallies = models.JSONField(_("各应用已链接记录数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self):
        return f"{self.name} {self.rows} {self.last_hash[:12]}"


class AuditArchive(models.Model):
    """A prefix of a chain moved to a file by ``manage.py audit_archive`` (rows older than the retention
    period only): the file's checksum and the hash of its last row, where the chain in the table resumes."""

    chain = models.CharField(_("日志"), max_length=20)
    first_id = models.BigIntegerField(_("起始记录"))
    last_id = models.BigIntegerField(_("末尾记录"))
    last_seq = models.BigIntegerField(_("末尾序号"), default=0)
    rows = models.BigIntegerField(_("记录数"))
    first_prev_hash = models.CharField(_("起始前哈希"), max_length=64)
    last_hash = models.CharField(_("末尾哈希"), max_length=64)
    cutoff = models.DateTimeField(_("归档截止时间"))
    file_name = models.CharField(_("归档文件"), max_length=255)
    file_sha256 = models.CharField(_("文件校验值"), max_length=64)
    created_at = models.DateTimeField(_("归档时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审计归档")
        verbose_name_plural = _("审计归档")
        ordering = ["chain", "last_seq"]

    def __str__(self):
        return f"{self.chain} {self.first_id}–{self.last_id} {self.file_name}"


class ChainedRow(models.Model):
    """A row of an append-only, hash-chained log: inserted once, never changed — but for its link
    (``seq`` and the two hashes), written once by ``office.audit.chain.chain_link`` after it commits."""

    seq = models.BigIntegerField(_("序号"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("本条哈希"), max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditImmutableError(f"{self._meta.db_table} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError(f"{self._meta.db_table} rows are append-only")


class AuditEvent(ChainedRow):
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(
        _("操作人"), max_length=100, blank=True, help_text=_("系统、API 密钥等非人员操作者的名称。")
    )
    verb = models.CharField(_("动作"), max_length=80, db_index=True)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    subject_repr = models.CharField(_("对象"), max_length=255, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-created_at"], name="audit_subject_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
            # The trail page's order and its keyset pages; the same by verb for the verb and app filters.
            models.Index(fields=["-created_at", "-id"], name="audit_order_idx"),
            models.Index(fields=["verb", "-created_at", "-id"], name="audit_verb_order_idx"),
            # the rows the chainer has still to link (a handful at any moment)
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_unlinked_idx"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_display} {self.verb} {self.subject_repr}"

    @property
    def actor_display(self) -> str:
        if self.actor_id:
            staff = getattr(self.actor, "staff", None)
            return staff.name if staff else self.actor.get_username()
        return self.actor_label or str(_("系统"))


class AccessLog(ChainedRow):
    """One read of a need-to-know object (秘密 and above): who, when, what, from where. Append-only."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("读取人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("读取人"), max_length=100, blank=True)
    action = models.CharField(_("方式"), max_length=20)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(_("对象编号"), max_length=64)
    subject_repr = models.CharField(_("对象"), max_length=255, blank=True)
    classification = models.CharField(_("密级"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    path = models.CharField(_("请求路径"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("涉密访问记录")
        verbose_name_plural = _("涉密访问记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-created_at"], name="audit_access_subj_idx"),
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_access_unlinked_idx"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_display} {self.action} {self.subject_repr}"

    @property
    def actor_display(self) -> str:
        if self.actor_id:
            staff = getattr(self.actor, "staff", None)
            return staff.name if staff else self.actor.get_username()
        return self.actor_label or "—"

    @property
    def action_display(self) -> str:
        return str(ACCESS_ACTION_LABELS.get(self.action, self.action))

    @property
    def classification_display(self) -> str:
        return str(CLASSIFICATION_LABELS.get(self.classification, self.classification or "—"))


ACCESS_ACTION_LABELS = {"view": _("查看"), "download": _("下载"), "export": _("导出")}
# The levels as any app that carries 密级 stores them (documents.models.Classification uses these codes).
CLASSIFICATION_LABELS = {"secret": _("秘密"), "confidential": _("机密"), "top_secret": _("绝密")}
