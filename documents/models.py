"""Official documents (公文), minimal for now: type, number, recipients, body, status, sign-off.

The documents issue grows this app later (versions, review chain, proofreading, incoming documents).
Other apps create documents through ``documents.services`` and hear about sign-off through hooks;
this app never imports them.
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


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待签发")
    SIGNED = "signed", _("已签发")
    PUBLISHED = "published", _("已印发")


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
