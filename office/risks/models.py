"""岗位风险排查: the register of posts (岗位) and their risks, the controls, the incidents that test them,
and the review campaigns in which staff review their own posts' risks and section chiefs approve.

A risk's ``score`` is likelihood × impact and its ``level`` follows from the thresholds in ``conf``
(高 ≥ 15, 中 8–14, 低 ≤ 7 by default); both are written by ``Risk.save`` so no path (a service, the
admin, the demo) can leave a level that does not match its numbers.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import conf


class Area(models.TextChoices):
    DOCUMENTS = "documents", _("办文")
    AFFAIRS = "affairs", _("办事")
    MEETINGS = "meetings", _("办会")
    DUTY = "duty", _("值班")
    SUPERVISION = "supervision", _("督办")
    CONFIDENTIAL = "confidential", _("机要")


class Level(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


LEVEL_ORDER = {Level.HIGH: 0, Level.MEDIUM: 1, Level.LOW: 2}


def level_for(score: int) -> str:
    if score >= conf.high_threshold():
        return Level.HIGH
    if score >= conf.medium_threshold():
        return Level.MEDIUM
    return Level.LOW


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Post(models.Model):
    code = models.SlugField(_("岗位代码"), max_length=40, unique=True)
    name = models.CharField(_("岗位名称"), max_length=100)
    section = models.ForeignKey(
        "org.Unit", verbose_name=_("所在科室"), on_delete=models.PROTECT, related_name="+"
    )
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("在岗人员"), blank=True, related_name="risk_posts"
    )
    duties = models.TextField(_("岗位职责"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Risk(models.Model):
    post = models.ForeignKey(Post, verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="risks")
    code = models.SlugField(_("风险代码"), max_length=40)
    area = models.CharField(_("领域"), max_length=20, choices=Area.choices)
    title = models.CharField(_("风险点"), max_length=120)
    description = models.TextField(_("风险描述"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("可能性（1–5）"), validators=SCALE, default=2)
    impact = models.PositiveSmallIntegerField(_("影响（1–5）"), validators=SCALE, default=2)
    score = models.PositiveSmallIntegerField(_("风险值"), default=4, editable=False)
    level = models.CharField(
        _("风险等级"), max_length=10, choices=Level.choices, default=Level.LOW, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("复核到期时提醒此人；不填则提醒岗位在岗人员。"),
    )
    last_reviewed_at = models.DateTimeField(_("上次复核"), null=True, blank=True)
    next_review_at = models.DateTimeField(_("下次复核"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["-score", "post__sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["post", "code"], name="risks_risk_post_code")]
        indexes = [models.Index(fields=["area", "level"], name="risks_area_level_idx")]

    def __str__(self):
        return f"{self.post.name}：{self.title}"

    def save(self, *args, **kwargs):
        self.score = int(self.likelihood) * int(self.impact)
        self.level = level_for(self.score)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"likelihood", "impact"} & set(update_fields)):
            kwargs["update_fields"] = list({*update_fields, "score", "level"})
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("risks:risk", kwargs={"pk": self.pk})


class Control(models.Model):
    risk = models.ForeignKey(
        Risk, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="controls"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    description = models.TextField(_("防控措施"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("防控措施")
        verbose_name_plural = _("防控措施")
        ordering = ["risk", "order", "id"]

    def __str__(self):
        return self.description[:40]


class IncidentKind(models.TextChoices):
    MEETING_INTERRUPTION = "meeting_interruption", _("会议中断或保障失误")
    DUTY_LATE_REPORT = "duty_late_report", _("紧急信息迟报")
    DOCUMENT_UNREVIEWED = "document_unreviewed", _("公文未经核稿签发")
    SUPERVISION_CIRCULAR = "supervision_circular", _("督办事项被通报批评")
    DUTY_MISSED_HANDOVER = "duty_missed_handover", _("值班交接未落实")
    OTHER = "other", _("其他")


class RiskIncident(models.Model):
    """An event that shows a risk's controls failed. ``source`` is a generic reference (content type,
    id, label, url) to the object where it happened; one incident per (kind, source)."""

    risk = models.ForeignKey(
        Risk,
        verbose_name=_("风险点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        help_text=_("为空表示尚未归入任何风险点。"),
    )
    kind = models.CharField(_("类别"), max_length=40, choices=IncidentKind.choices)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    summary = models.TextField(_("情况"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_likelihood = models.BooleanField(_("提高了可能性"), default=False)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("风险事件")
        verbose_name_plural = _("风险事件")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=models.Q(source_type__isnull=False),
                name="risks_incident_once_per_source",
            )
        ]
        indexes = [models.Index(fields=["risk", "occurred_at"], name="risks_incident_risk_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.source_label or self.summary[:30]}"


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class ReviewCampaign(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    sections = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("参加科室"),
        blank=True,
        related_name="+",
        help_text=_("不选则为全部岗位。"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    deadline = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )

    class Meta:
        verbose_name = _("风险排查活动")
        verbose_name_plural = _("风险排查活动")
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("risks:campaign", kwargs={"pk": self.pk})


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待自查")
    SUBMITTED = "submitted", _("待科长审核")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


OPEN_REVIEW_STATUSES = (ReviewStatus.PENDING, ReviewStatus.RETURNED)


class RiskReview(models.Model):
    """One risk's review in a campaign: a holder of the post assesses it (likelihood, impact, whether the
    controls work); the section chief approves (the risk takes the reviewed numbers) or returns it."""

    campaign = models.ForeignKey(
        ReviewCampaign, verbose_name=_("排查活动"), on_delete=models.CASCADE, related_name="reviews"
    )
    risk = models.ForeignKey(Risk, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(
        _("状态"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    likelihood = models.PositiveSmallIntegerField(_("可能性（1–5）"), validators=SCALE, null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("影响（1–5）"), validators=SCALE, null=True, blank=True)
    controls_effective = models.BooleanField(_("现有措施有效"), null=True, blank=True)
    assessment = models.TextField(_("自查情况"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("自查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("风险自查")
        verbose_name_plural = _("风险自查")
        ordering = ["campaign", "risk__post__sort_order", "risk__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "risk"], name="risks_review_once")]

    def __str__(self):
        return f"{self.campaign}：{self.risk}"
