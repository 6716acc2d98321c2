from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The answer the API gave to the first POST that carried an ``Idempotency-Key``
    (office/api/idempotency.py), kept to be given again to the caller's retries.

    One row per caller and key: the unique constraint is what makes a second write impossible when two
    identical requests race. The row is written in the same transaction as the service's write, so it
    exists exactly when that write does. Rows older than ``OFFICE_API_IDEMPOTENCY_HOURS`` are purged.
    ``body`` is the JSON text exactly as it was sent, so that a replay is the same bytes.
    """

    principal = models.CharField(
        _("调用者"), max_length=64, help_text=_("unit:<单位编号>（API 密钥）或 user:<用户编号>（会话）。")
    )
    principal_label = models.CharField(_("调用者名称"), max_length=200, blank=True)
    key = models.CharField(_("幂等键"), max_length=100)
    method = models.CharField(_("方法"), max_length=10)
    path = models.CharField(_("路径"), max_length=4096)
    fingerprint = models.CharField(
        _("请求指纹"), max_length=64, help_text=_("方法、路径和请求体的 SHA-256。")
    )
    status_code = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    body = models.TextField(_("响应体"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("接口幂等键")
        verbose_name_plural = _("接口幂等键")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="api_idempotency_principal_key"),
        ]

    def __str__(self) -> str:
        return f"{self.principal_label or self.principal} {self.key}"
