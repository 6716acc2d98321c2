"""出点子、吐心声: campaigns, submissions (items), replies, one-on-one talks.

Anonymity: an anonymous submission has no author row and no ``entered_by`` of the author; it carries
only ``author_token``, a keyed HMAC of (campaign, person) computed in ``suggestions.tokens`` with a
server secret. See docs/suggestions.md for the threat model.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_PROMPTS = (
    "当前办公室最需要解决的问题",
    "个人最希望得到解决的问题",
    "最想对办公室主任说的话",
)
DEFAULT_TAGS = ("工作机制", "待遇保障", "硬件环境", "队伍建设")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


class Campaign(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("参加单位"),
        blank=True,
        related_name="+",
        help_text=_("不选则为办公室全体干部职工。"),
    )
    min_per_person = models.PositiveSmallIntegerField(_("每人最少条数"), default=2)
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    deadline = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代录人员"),
        blank=True,
        related_name="+",
        help_text=_("可代为录入通过微信、QQ邮箱或纸质材料提交的意见（如主任秘书）。"),
    )

    class Meta:
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("suggestions:campaign", kwargs={"pk": self.pk})


class Prompt(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="prompts"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.CharField(_("题目"), max_length=200)

    class Meta:
        verbose_name = _("征集题目")
        verbose_name_plural = _("征集题目")
        ordering = ["campaign", "order", "id"]

    def __str__(self):
        return self.text


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("分类标签")
        verbose_name_plural = _("分类标签")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Visibility(models.TextChoices):
    NAMED = "named", _("署名（仅主任可见）")
    ANONYMOUS = "anonymous", _("匿名（任何人都看不到作者）")


class Channel(models.TextChoices):
    WEB = "web", _("本系统")
    WECHAT = "wechat", _("微信")
    QQMAIL = "qqmail", _("QQ邮箱")
    PAPER = "paper", _("纸质材料")


class SubmissionStatus(models.TextChoices):
    NEW = "new", _("待处理")
    ASSIGNED = "assigned", _("已交办")
    REPLIED = "replied", _("已答复")
    MERGED = "merged", _("已合并")


class ReplyCode(models.TextChoices):
    A = "A", _("A 已解决")
    B = "B", _("B 正在解决")
    C = "C", _("C 列入计划")
    D = "D", _("D 留作参考")


class Submission(models.Model):
    """One item (一条意见). ``author`` is set for named items only; an anonymous item has only the
    blind ``author_token`` (never the author's id, anywhere)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="submissions"
    )
    prompt = models.ForeignKey(Prompt, verbose_name=_("题目"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"))
    visibility = models.CharField(
        _("可见范围"), max_length=20, choices=Visibility.choices, default=Visibility.NAMED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_token = models.CharField(_("匿名凭据"), max_length=64, blank=True, db_index=True)
    channel = models.CharField(_("提交方式"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    is_late = models.BooleanField(_("逾期提交"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.NEW
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="submissions")
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    is_marked = models.BooleanField(_("主任标记"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    # the reply
    reply_code = models.CharField(_("答复结果"), max_length=1, choices=ReplyCode.choices, blank=True)
    reply_refused = models.BooleanField(_("不予采纳"), default=False)
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_reason = models.TextField(_("理由"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # the author's one answer to the reply
    answer_satisfied = models.BooleanField(_("是否满意"), null=True, blank=True)
    answer_comment = models.TextField(_("作者意见"), blank=True)
    answered_at = models.DateTimeField(_("作者回应时间"), null=True, blank=True)
    # became a supervision item or internal assignment (its id and number; supervision is not written)
    supervision_item_id = models.PositiveIntegerField(_("督办事项编号"), null=True, blank=True)
    supervision_item_number = models.CharField(_("督办事项文号"), max_length=40, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(
                name="suggestions_anonymous_has_no_author",
                condition=(
                    Q(visibility="named", author__isnull=False, author_token="")
                    | Q(visibility="anonymous", author__isnull=True) & ~Q(author_token="")
                ),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "author"], name="suggestions_sub_author")]

    def __str__(self):
        return _("意见 %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("suggestions:submission", kwargs={"pk": self.pk})

    @property
    def is_anonymous(self) -> bool:
        return self.visibility == Visibility.ANONYMOUS

    @property
    def reply_on_time(self) -> bool | None:
        if self.replied_at is None or self.reply_due_at is None:
            return None
        return self.replied_at <= self.reply_due_at


def attachment_path(instance, filename):
    from office.files.validation import stored_name

    return stored_name("suggestions", filename)


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("意见"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)

    class Meta:
        verbose_name = _("意见附件")
        verbose_name_plural = _("意见附件")

    def __str__(self):
        return self.name


class TalkStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    ACCEPTED = "accepted", _("已确认")
    RESCHEDULE = "reschedule", _("建议改期")
    DONE = "done", _("已谈话")
    CANCELLED = "cancelled", _("已取消")


class Talk(models.Model):
    """A one-on-one talk of the director with a staff member. Its notes live in ``TalkNote``."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("意见"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("主任"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("谈话时间"))
    place = models.CharField(_("地点"), max_length=100)
    topics = models.TextField(_("谈话主题"))
    status = models.CharField(
        _("状态"), max_length=20, choices=TalkStatus.choices, default=TalkStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("建议时间"), null=True, blank=True)
    proposal_note = models.CharField(_("改期说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-scheduled_at", "-id"]

    def __str__(self):
        return _("谈话 %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("suggestions:talk", kwargs={"pk": self.pk})


class TalkNote(models.Model):
    """The notes of a talk: the director and the staff member only. Never registered in the admin,
    never serialised by the API, never copied into audit data or exports."""

    talk = models.OneToOneField(Talk, verbose_name=_("谈话"), on_delete=models.CASCADE, related_name="note")
    text = models.TextField(_("谈话记录"))
    written_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("谈话记录")
        verbose_name_plural = _("谈话记录")

    def __str__(self):
        return _("谈话记录 %(pk)s") % {"pk": self.pk}


class TalkFollowUp(models.Model):
    talk = models.ForeignKey(Talk, verbose_name=_("谈话"), on_delete=models.CASCADE, related_name="followups")
    title = models.CharField(_("事项"), max_length=200)
    supervision_item_id = models.PositiveIntegerField(_("交办事项编号"))
    supervision_item_number = models.CharField(_("交办事项文号"), max_length=40)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("谈话后续事项")
        verbose_name_plural = _("谈话后续事项")
        ordering = ["id"]

    def __str__(self):
        return self.title
