"""信息报送: information reports from the units, their versions, stage deadlines, adoptions and the
office's bulletin (信息专报 / 每日要情)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InfoType(models.TextChoices):
    DYNAMIC = "dynamic", _("动态")
    EXPERIENCE = "experience", _("经验")
    PROBLEM = "problem", _("问题")
    URGENT = "urgent", _("紧急")


class InfoStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_SIGN = "pending_sign", _("待单位负责人签发")
    SUBMITTED = "submitted", _("已报送待接收")
    RECEIVED = "received", _("信息科编辑中")
    PENDING_APPROVAL = "pending_approval", _("待副主任审批")
    APPROVED = "approved", _("已审批待报送")
    SENT = "sent", _("已上报")
    PUBLISHED = "published", _("已刊发")
    RETURNED = "returned", _("已退回单位")


class Outlet(models.TextChoices):
    MUNICIPAL = "municipal", _("报市级")
    PROVINCIAL = "provincial", _("报省级")
    CENTRAL = "central", _("报中央")
    SPECIAL = "special", _("信息专报")
    DAILY = "daily", _("每日要情")


UPWARD_OUTLETS = (Outlet.MUNICIPAL, Outlet.PROVINCIAL, Outlet.CENTRAL)
BULLETIN_OUTLETS = (Outlet.SPECIAL, Outlet.DAILY)


class Stage(models.IntegerChoices):
    """The four timed stages. Each one starts when the previous one ended (the first at the facts' time,
    or at the duty room's receipt of the linked urgent report)."""

    SUBMIT = 0, _("单位报送")
    EDIT = 1, _("信息科编辑")
    APPROVE = 2, _("领导审批")
    SEND = 3, _("报送上级/刊发")


STAGE_FIELDS = {
    Stage.SUBMIT: ("submit_due_at", "submitted_at", "submit_late"),
    Stage.EDIT: ("edit_due_at", "edited_at", "edit_late"),
    Stage.APPROVE: ("approve_due_at", "approved_at", "approve_late"),
    Stage.SEND: ("send_due_at", "sent_at", "send_late"),
}


class BulletinKind(models.TextChoices):
    SPECIAL = "special", _("信息专报")
    DAILY = "daily", _("每日要情")


class BulletinIssue(models.Model):
    """One issue of the office's bulletin, numbered per kind and year from the documents' register."""

    kind = models.CharField(_("刊物"), max_length=10, choices=BulletinKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("标题"), max_length=200)
    published_at = models.DateTimeField(_("刊发时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("刊发人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("信息刊物")
        verbose_name_plural = _("信息刊物")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="information_issue_number_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}〔{self.year}〕第{self.number}期"

    @property
    def label(self) -> str:
        return str(self)


class InfoReport(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="info_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="info_reports",
    )
    author_name = models.CharField(_("撰稿人姓名"), max_length=60, blank=True)
    info_type = models.CharField(_("类型"), max_length=12, choices=InfoType.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    facts_at = models.DateTimeField(_("事实发生时间"))
    status = models.CharField(_("状态"), max_length=20, choices=InfoStatus.choices, default=InfoStatus.DRAFT)
    urgent_report = models.ForeignKey(
        "duty.UrgentReport",
        verbose_name=_("关联紧急信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_label = models.CharField(_("签发"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outlet = models.CharField(_("去向"), max_length=12, choices=Outlet.choices, blank=True)
    issue = models.ForeignKey(
        BulletinIssue,
        verbose_name=_("刊发期号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    # the four stages: deadline, when it ended, and whether it ended (or is still open) past its deadline
    submit_due_at = models.DateTimeField(_("报送时限"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, db_index=True)
    submit_late = models.BooleanField(_("报送迟报"), default=False)
    edit_due_at = models.DateTimeField(_("编辑时限"), null=True, blank=True)
    edited_at = models.DateTimeField(_("编辑完成时间"), null=True, blank=True)
    edit_late = models.BooleanField(_("编辑迟报"), default=False)
    approve_due_at = models.DateTimeField(_("审批时限"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approve_late = models.BooleanField(_("审批迟报"), default=False)
    send_due_at = models.DateTimeField(_("上报时限"), null=True, blank=True)
    sent_at = models.DateTimeField(_("上报/刊发时间"), null=True, blank=True)
    send_late = models.BooleanField(_("上报迟报"), default=False)
    returns = models.PositiveIntegerField(_("退回次数"), default=0)
    return_reason = models.TextField(_("退回理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("信息")
        verbose_name_plural = _("信息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "submitted_at"], name="information_unit_submitted"),
            models.Index(fields=["status", "submitted_at"], name="information_status_submitted"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("information:detail", kwargs={"pk": self.pk})

    @property
    def late_stages(self) -> list[str]:
        return [str(Stage(s).label) for s, (_d, _e, late) in STAGE_FIELDS.items() if getattr(self, late)]


def attachment_path(instance, filename):
    from office.files.validation import stored_name

    return stored_name("information", filename)


class InfoAttachment(models.Model):
    report = models.ForeignKey(
        InfoReport, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)

    class Meta:
        verbose_name = _("信息附件")
        verbose_name_plural = _("信息附件")

    def __str__(self):
        return self.name


class InfoVersion(models.Model):
    """Every text the report had: the unit's submitted text is version 1, each edit of the information
    section one more, with who and when."""

    report = models.ForeignKey(
        InfoReport, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    editor_label = models.CharField(_("修改人"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("信息版本")
        verbose_name_plural = _("信息版本")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="information_version_unique")
        ]

    def __str__(self):
        return f"{self.report_id} v{self.number}"


class AdoptionKind(models.TextChoices):
    MUNICIPAL = "municipal", _("市委办公室采用")
    PROVINCIAL = "provincial", _("省委办公厅采用")
    STATE_COUNCIL = "state_council", _("国务院办公厅采用")
    CENTRAL = "central", _("中央办公厅采用")
    INSTRUCTION = "instruction", _("领导批示")


ADOPTION_LEVELS = (
    AdoptionKind.MUNICIPAL,
    AdoptionKind.PROVINCIAL,
    AdoptionKind.STATE_COUNCIL,
    AdoptionKind.CENTRAL,
)


class Adoption(models.Model):
    """Feedback on a sent or published report: adopted at a level (once per level), or a leader's
    instruction (批示, each one counts)."""

    report = models.ForeignKey(
        InfoReport, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="adoptions"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=AdoptionKind.choices)
    adopted_on = models.DateField(_("日期"))
    leader = models.CharField(_("批示领导"), max_length=60, blank=True)
    text = models.TextField(_("说明或批示内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("采用与批示")
        verbose_name_plural = _("采用与批示")
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"],
                condition=~Q(kind="instruction"),
                name="information_adoption_level_once",
            )
        ]

    def __str__(self):
        return f"{self.report_id} {self.get_kind_display()}"


class RankingMonth(models.Model):
    """The ranking's summary: one row per unit and month of submission (the month's first day, local time)
    with its reports submitted, late at each stage, adopted at any level, and its adoptions of each kind.

    The ranking, the timeliness table, the export, the API and the dashboard sum these rows (a year: at most
    twelve a unit) instead of every report of the period. The services keep a row right in the transaction
    of the change (``services.ranking``); ``manage.py information_rebuild_ranking`` recounts them all.
    Points are not stored: the score is summed from the counts with the settings' points when read."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("报送单位"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))
    submitted = models.PositiveIntegerField(_("报送数"), default=0)
    submit_late = models.PositiveIntegerField(_("单位报送迟报"), default=0)
    edit_late = models.PositiveIntegerField(_("编辑迟报"), default=0)
    approve_late = models.PositiveIntegerField(_("审批迟报"), default=0)
    send_late = models.PositiveIntegerField(_("上报迟报"), default=0)
    adopted = models.PositiveIntegerField(_("采用数"), default=0)
    # adoptions of each kind, named by AdoptionKind's values
    municipal = models.PositiveIntegerField(AdoptionKind.MUNICIPAL.label, default=0)
    provincial = models.PositiveIntegerField(AdoptionKind.PROVINCIAL.label, default=0)
    state_council = models.PositiveIntegerField(AdoptionKind.STATE_COUNCIL.label, default=0)
    central = models.PositiveIntegerField(AdoptionKind.CENTRAL.label, default=0)
    instruction = models.PositiveIntegerField(_("批示数"), default=0)

    class Meta:
        verbose_name = _("信息采用排名")
        verbose_name_plural = _("信息采用排名")
        constraints = [
            # (month, unit): a period's rows are one range of this index, a unit's month one entry of it
            models.UniqueConstraint(fields=["month", "unit"], name="information_ranking_month_unique")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"
