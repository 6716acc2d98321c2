"""办会: rooms, meeting types with their service checklists, meetings, notices and receipts, sign-in,
the checklist, incidents, minutes decisions and the seating plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import Classification

# The devices the 视频音响 test ticks one by one; the item is done only when every one is ticked.
DEVICES = (
    ("microphones", _("话筒")),
    ("speakers", _("音箱")),
    ("projector", _("投影")),
    ("video_link", _("视频会议链路")),
    ("recording", _("录音录像")),
)
DEVICE_CODES = tuple(code for code, _label in DEVICES)


class Room(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    equipment = models.TextField(_("设备"), blank=True, help_text=_("每行一项，如：话筒 12 支"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会议室")
        verbose_name_plural = _("会议室")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class MeetingType(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class OwnerKind(models.TextChoices):
    ORGANIZER = "organizer", _("会务负责人")
    TECHNICIAN = "technician", _("技术保障人员")
    SECTION_CHIEF = "section_chief", _("承办科室科长")


class ChecklistTemplate(models.Model):
    meeting_type = models.OneToOneField(
        MeetingType, verbose_name=_("会议类型"), on_delete=models.CASCADE, related_name="checklist"
    )
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        verbose_name = _("会务清单模板")
        verbose_name_plural = _("会务清单模板")

    def __str__(self):
        return self.name


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    offset_minutes = models.PositiveIntegerField(_("会前分钟数"), help_text=_("开会前多少分钟必须完成。"))
    owner_kind = models.CharField(_("责任人"), max_length=20, choices=OwnerKind.choices)
    needs_devices = models.BooleanField(
        _("需逐项检查设备"),
        default=False,
        help_text=_("指定技术保障人员，逐项勾选话筒、音箱、投影、视频链路、录音录像。"),
    )
    ladder_code = models.CharField(
        _("督促流程模板"),
        max_length=60,
        default="meetings-checklist",
        help_text=_("时钟与督促中的模板代码。"),
    )

    class Meta:
        verbose_name = _("会务清单模板项")
        verbose_name_plural = _("会务清单模板项")
        ordering = ["template", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="meetings_tpl_item_code")]

    def __str__(self):
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    NOTICED = "noticed", _("已发通知")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    meeting_type = models.ForeignKey(
        MeetingType, verbose_name=_("会议类型"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=200)
    # Optimistic locking: two people editing the same meeting; the second is told, not overwritten.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("会议室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    section = models.ForeignKey(
        "org.Unit",
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presiding = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主持领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会务负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("技术保障人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("会务人员"), blank=True, related_name="meetings_served"
    )
    units = models.ManyToManyField("org.Unit", verbose_name=_("参会单位"), blank=True, related_name="+")
    classification = models.CharField(
        _("密级"), max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    description = models.TextField(_("会议内容"), blank=True)
    minutes_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("会议纪要"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="meetings_room_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meetings_ends_after")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def kind(self) -> str:
        """The meeting type's code (常委会 standing-committee, 培训会 training …): what the risk review reads."""
        return self.meeting_type.code


class MeetingLeader(models.Model):
    """An attending leader, in the order the notice lists them (their rank on the rostrum comes from the org)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leaders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("领导"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("出席领导")
        verbose_name_plural = _("出席领导")
        ordering = ["meeting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_leader_once")]

    def __str__(self):
        return f"{self.meeting_id}:{self.user_id}"


class MeetingNotice(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="notice")
    text = models.TextField(_("通知内容"))
    deadline = models.DateTimeField(_("回执截止时间"))
    sent_at = models.DateTimeField(_("发出时间"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("会议通知")
        verbose_name_plural = _("会议通知")

    def __str__(self):
        return _("%(title)s的通知") % {"title": self.meeting.title}

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class Response(models.TextChoices):
    PENDING = "pending", _("未回执")
    ATTEND = "attend", _("参会")
    SUBSTITUTE = "substitute", _("代会")
    ABSENT = "absent", _("请假")


class Receipt(models.Model):
    """回执: one per attending unit and one per invited person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response = models.CharField(_("回执"), max_length=20, choices=Response.choices, default=Response.PENDING)
    attendee_name = models.CharField(_("参会人"), max_length=50, blank=True)
    attendee_post = models.CharField(_("职务"), max_length=60, blank=True)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("回执时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by_label = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("回执")
        verbose_name_plural = _("回执")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "unit"], condition=Q(unit__isnull=False), name="meetings_receipt_unit"
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="meetings_receipt_person",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True, person__isnull=False)
                | Q(unit__isnull=False, person__isnull=True),
                name="meetings_receipt_one_addressee",
            ),
        ]

    def __str__(self):
        return self.addressee

    @property
    def addressee(self) -> str:
        if self.unit_id:
            return self.unit.name
        staff = getattr(self.person, "staff", None)
        return staff.name if staff else self.person.get_username()

    @property
    def expected_name(self) -> str:
        """Who is expected at the door for this receipt ("" when nobody comes)."""
        if self.response in (Response.ATTEND, Response.SUBSTITUTE):
            return self.attendee_name or (self.addressee if self.person_id else "")
        if self.response == Response.PENDING and self.person_id:
            return self.addressee  # an invited leader is expected unless he sends word
        return ""


class SignIn(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sign_ins")
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_ins"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit_name = models.CharField(_("单位"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("签到时间"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["meeting", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="meetings_signin_person"
            ),
            models.UniqueConstraint(
                fields=["meeting", "receipt"],
                condition=Q(receipt__isnull=False),
                name="meetings_signin_receipt",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.signed_at:%H:%M}"


class ChecklistItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checklist_items")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    code = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("事项"), max_length=100)
    owner_kind = models.CharField(
        _("责任人类别"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.ORGANIZER
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("完成时限"))
    offset_minutes = models.PositiveIntegerField(_("会前分钟数"), null=True, blank=True)
    needs_devices = models.BooleanField(_("需逐项检查设备"), default=False)
    devices = models.JSONField(_("设备检查"), default=dict, blank=True)
    ladder_code = models.CharField(max_length=60, default="meetings-checklist")
    is_follow_up = models.BooleanField(_("整改任务"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("会务事项")
        verbose_name_plural = _("会务事项")
        ordering = ["meeting", "due_at", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "code"], name="meetings_item_code")]

    def __str__(self):
        return f"{self.meeting.title}：{self.name}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + "#checklist"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def device_rows(self) -> list[tuple[str, str, bool]]:
        return [(code, str(label), bool(self.devices.get(code))) for code, label in DEVICES]


class IncidentCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("设备故障")
    NOTICE = "notice", _("通知差错")
    SEATING = "seating", _("座次差错")
    SERVICE = "service", _("会务服务")
    OTHER = "other", _("其他")


class MeetingIncident(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="incidents")
    category = models.CharField(_("类别"), max_length=20, choices=IncidentCategory.choices)
    description = models.CharField(_("什么出了问题"), max_length=300)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    minutes_lost = models.PositiveIntegerField(_("中断分钟数"), default=0)
    action_taken = models.CharField(_("处置措施"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.OneToOneField(
        ChecklistItem,
        verbose_name=_("整改任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议事故记录")
        verbose_name_plural = _("会议事故记录")
        ordering = ["meeting", "started_at", "id"]

    def __str__(self):
        return f"{self.meeting.title}：{self.description}"


class MinutesDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveIntegerField(_("序号"), default=1)
    text = models.TextField(_("议定事项"))
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    supervision_item = models.OneToOneField(
        "supervision.SupervisionItem",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decision",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("纪要议定事项")
        verbose_name_plural = _("纪要议定事项")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.text[:40]


class SeatZone(models.TextChoices):
    ROSTRUM = "rostrum", _("主席台")
    AUDIENCE = "audience", _("台下")


class SeatAssignment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    key = models.CharField(max_length=40)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=100)
    zone = models.CharField(_("区域"), max_length=20, choices=SeatZone.choices)
    row = models.PositiveIntegerField(_("排"))
    index = models.PositiveIntegerField(_("座号"), help_text=_("从台下看，0 为最左。"))

    class Meta:
        verbose_name = _("座次")
        verbose_name_plural = _("座次")
        ordering = ["meeting", "zone", "row", "index"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="meetings_seat_key"),
            models.UniqueConstraint(fields=["meeting", "zone", "row", "index"], name="meetings_seat_place"),
        ]

    def __str__(self):
        return f"{self.name} {self.get_zone_display()} {self.row + 1}-{self.index + 1}"
