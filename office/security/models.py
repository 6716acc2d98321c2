"""The security log (安全审计) and each account's security state (passwords, sessions).

``SecurityEvent`` rows are append-only and hash-chained like the business audit trail: they reuse
``office.audit.models.ChainedRow`` (refusing updates and deletes; linked after commit) and the chain head
``AuditChain`` under the name ``security_event`` (office/audit/chain.py links and verifies them); on
PostgreSQL a trigger refuses UPDATE and DELETE in the database (migrations 0002, 0003)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.audit.models import ChainedRow


class EventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKOUT = "lockout", _("账号锁定")
    OTP_ENROLLED = "otp_enrolled", _("绑定动态口令")
    OTP_VERIFIED = "otp_verified", _("动态口令验证")
    OTP_FAILED = "otp_failed", _("动态口令错误")
    OTP_RESET = "otp_reset", _("重置动态口令")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    SESSION_TIMEOUT = "session_timeout", _("会话超时结束")
    SESSION_REPLACED = "session_replaced", _("会话被再次登录结束")
    ROLE_CHANGED = "role_changed", _("角色变更")
    PERMISSION_CHANGED = "permission_changed", _("权限变更")
    ACCOUNT_CHANGED = "account_changed", _("账号变更")
    CLEARANCE_CHANGED = "clearance_changed", _("密级授权变更")
    API_KEY_ISSUED = "api_key_issued", _("签发 API 密钥")
    API_KEY_REVOKED = "api_key_revoked", _("吊销 API 密钥")
    CLASSIFIED_READ = "classified_read", _("读取涉密对象")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出")
    ADMIN_CHANGE = "admin_change", _("管理操作")
    AUDIT_ARCHIVED = "audit_archived", _("审计日志归档")


class EventResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class SecurityEvent(ChainedRow):
    """One row of the security log: when, what, who, on what object, with what result, from where."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("类型"), max_length=30, choices=EventKind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the name typed at a failed sign-in (the account may not exist), an API key's unit, "系统"
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
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
    result = models.CharField(_("结果"), max_length=10, choices=EventResult.choices, default="success")
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    path = models.CharField(_("请求路径"), max_length=255, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="security_actor_idx"),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="security_unlinked_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_display} {self.get_kind_display()}"

    @property
    def actor_display(self) -> str:
        if self.actor_id:
            staff = getattr(self.actor, "staff", None)
            return f"{staff.name}（{self.actor.get_username()}）" if staff else self.actor.get_username()
        return self.actor_label or str(_("系统"))


class AccountSecurity(models.Model):
    """The security state of one account: when its password was set, whether it must change it, which
    session is its current one (one session per account)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="security"
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    session_key = models.CharField(_("当前会话"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self):
        return str(self.user)


class PasswordHistory(models.Model):
    """The hashes of an account's previous passwords (a new one may not repeat the last N)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
