"""Notifications: one row per (subject, step, recipient, channel), its delivery attempts, each
person's channel preferences and the robot webhooks of units and people."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import conf


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")


class Level(models.TextChoices):
    INFO = "info", _("一般")
    WARNING = "warning", _("提醒")
    URGENT = "urgent", _("紧急")


LEVEL_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.URGENT: 2}


class Status(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class Notification(models.Model):
    """One message to one recipient over one channel.

    The recipient is a person (``recipient``) or, for a unit's group robot, a unit (``recipient_unit``).
    (subject, step, recipient, channel) is unique: a second ``notify`` for the same key writes nothing,
    and delivery claims the row before sending, so a key is sent at most once (see docs/notifications.md
    for the one crash window).
    """

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(_("对象编号"), max_length=64)
    step = models.CharField(_("环节"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("接收单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.INFO)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    attempt_limit = models.PositiveIntegerField(_("尝试次数上限"), default=conf.max_attempts)
    # For a pending row: when the next attempt is due. For a sending row: when its lease runs out.
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息通知")
        verbose_name_plural = _("消息通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(recipient_unit__isnull=True))
                | (Q(recipient__isnull=True) & Q(recipient_unit__isnull=False)),
                name="notif_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "step", "recipient", "channel"],
                condition=Q(recipient__isnull=False),
                name="notif_dedupe_person",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "step", "recipient_unit", "channel"],
                condition=Q(recipient_unit__isnull=False),
                name="notif_dedupe_unit",
            ),
        ]
        indexes = [
            # The inbox page's order (newest first, id breaking ties), so a page is read straight off the index.
            models.Index(fields=["recipient", "channel", "-created_at", "-id"], name="notif_inbox_order_idx"),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(channel="inbox", read_at__isnull=True),
                name="notif_unread_order_idx",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="notif_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()}：{self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class AttemptOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("进行中")
    SENT = "sent", _("成功")
    FAILED = "failed", _("失败")
    EXPIRED = "expired", _("超时未回报")  # the worker's lease ran out before it recorded an outcome


class DeliveryAttempt(models.Model):
    """Every attempt to deliver a notification and how it ended (append-only log)."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    number = models.PositiveIntegerField(_("第几次"))
    # Copied from the notification so that the metrics count attempts per channel from one index.
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.IN_PROGRESS
    )
    error = models.TextField(_("错误"), blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True, help_text=_("如对方返回的状态。"))

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["notification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "number"], name="notif_attempt_number_uniq"),
        ]
        indexes = [models.Index(fields=["channel", "outcome"], name="notif_attempt_outcome_idx")]

    def __str__(self):
        return f"#{self.number} {self.get_outcome_display()}"


class ChannelPreference(models.Model):
    """Which channels besides the inbox a person wants, and from which level up. No row = defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("接收邮件"), default=True)
    email_min_level = models.CharField(
        _("邮件最低级别"), max_length=10, choices=Level.choices, default=Level.WARNING
    )
    webhook_enabled = models.BooleanField(_("接收群机器人消息"), default=False)
    webhook_min_level = models.CharField(
        _("机器人最低级别"), max_length=10, choices=Level.choices, default=Level.INFO
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self):
        return str(self.user)

    def wants(self, channel: str, level: str) -> bool:
        if channel == Channel.INBOX:
            return True
        if channel == Channel.EMAIL:
            return self.email_enabled and LEVEL_RANK[level] >= LEVEL_RANK[self.email_min_level]
        if channel == Channel.WEBHOOK:
            return self.webhook_enabled and LEVEL_RANK[level] >= LEVEL_RANK[self.webhook_min_level]
        return False


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


def validate_webhook_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("请输入以 http:// 或 https:// 开头的完整地址。"))
    allowed = conf.webhook_allowed_hosts()
    if "*" not in allowed and parts.hostname.lower() not in allowed:
        raise ValidationError(
            _("机器人地址的主机 %(host)s 不在允许范围内（%(allowed)s）。"),
            params={"host": parts.hostname, "allowed": "、".join(allowed)},
        )


class WebhookTarget(models.Model):
    """A WeCom or DingTalk group robot that receives a unit's or a person's messages."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_targets",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_targets",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices, default=WebhookKind.WECOM)
    url = models.URLField(_("机器人地址"), max_length=500, validators=[validate_webhook_url])
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人“加签”安全设置的密钥，可不填。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(user__isnull=True))
                | (Q(unit__isnull=True) & Q(user__isnull=False)),
                name="notif_webhook_one_owner",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(unit__isnull=False), name="notif_webhook_unit"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="notif_webhook_user"
            ),
        ]

    def __str__(self):
        owner = self.unit if self.unit_id else self.user
        return f"{owner}：{self.get_kind_display()}"

    def clean(self):
        if bool(self.unit_id) == bool(self.user_id):
            raise ValidationError(_("群机器人必须且只能属于一个单位或一个人。"))
