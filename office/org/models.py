"""Organisation: units in a hierarchy, staff profiles, roles and unit API keys."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager


class Role(models.TextChoices):
    """Roles are Django groups named by these codes; see office.org.roles for what each may do."""

    DIRECTOR = "director", _("主任")
    DEPUTY_DIRECTOR = "deputy_director", _("副主任")
    SECTION_CHIEF = "section_chief", _("科长")
    STAFF = "staff", _("工作人员")
    DUTY_LEADER = "duty_leader", _("带班领导")
    DUTY_OFFICER = "duty_officer", _("值班员")
    SUPERVISION_COMMISSIONER = "supervision_commissioner", _("督查专员")
    RESEARCHER = "researcher", _("研究人员")
    EXTERNAL_UNIT = "external_unit", _("外部单位")
    # 三员分立 (等保 2.0): three administrators instead of one all-powerful account (office/security).
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class UnitKind(models.TextChoices):
    OFFICE = "office", _("办公室")
    SECTION = "section", _("内设科室")
    DEPARTMENT = "department", _("市直单位")
    TOWNSHIP = "township", _("乡镇")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def internal(self):
        return self.filter(kind__in=[UnitKind.OFFICE, UnitKind.SECTION])

    def external(self):
        return self.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.TOWNSHIP])


class Unit(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_external(self) -> bool:
        return self.kind in (UnitKind.DEPARTMENT, UnitKind.TOWNSHIP)

    def clean(self):
        from django.core.exceptions import ValidationError

        # A unit may not sit under itself, directly or through its ancestors.
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None or node.pk in seen:
                raise ValidationError({"parent": _("上级单位不能形成循环。")})
            seen.add(node.pk)
            node = node.parent


class Staff(models.Model):
    """The profile of a person who signs in: every user of the system has one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="staff"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="staff")
    position = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    sections_in_charge = models.ManyToManyField(
        Unit,
        verbose_name=_("分管科室"),
        blank=True,
        related_name="deputies_in_charge",
        help_text=_("副主任分管的科室。"),
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__sort_order", "id"]

    def __str__(self):
        return f"{self.name}（{self.unit.short_name or self.unit.name}）"


class UnitAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        # the unit comes with the key: authentication asks whether it is active, scoping reads it
        return super().get_usable_keys().select_related("unit")


class UnitAPIKey(AbstractAPIKey):
    """A key another office's system uses; stored hashed, tied to one unit, revocable in admin."""

    objects = UnitAPIKeyManager()
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="api_keys")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("单位 API 密钥")
        verbose_name_plural = _("单位 API 密钥")
