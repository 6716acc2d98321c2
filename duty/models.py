"""The duty room (值班): roster and shifts, swaps, handover, duty log, phone records, urgent reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


# --- roster ---------------------------------------------------------------------------------------
class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Pool(models.TextChoices):
    LEADER = "leader", _("带班领导")
    OFFICER = "officer", _("值班员")


class RotationMember(models.Model):
    """Who takes part in the rotation, in which order: the rule the monthly roster is generated from."""

    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    pool = models.CharField(_("轮值序列"), max_length=10, choices=Pool.choices)
    order = models.PositiveIntegerField(_("顺序"), default=100)
    is_active = models.BooleanField(_("参加轮值"), default=True)

    class Meta:
        verbose_name = _("轮值人员")
        verbose_name_plural = _("轮值人员")
        ordering = ["pool", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "pool"], name="duty_rotation_user_pool_uniq")]

    def __str__(self):
        return f"{self.get_pool_display()} {self.order} {self.user}"


class Roster(models.Model):
    year = models.PositiveIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        User, verbose_name=_("编排人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        User, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("值班表")
        verbose_name_plural = _("值班表")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="duty_roster_month_uniq"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="duty_roster_month_range"),
        ]

    def __str__(self):
        return str(_("{year}年{month}月值班表").format(year=self.year, month=self.month))


class Shift(models.Model):
    roster = models.ForeignKey(
        Roster, verbose_name=_("值班表"), on_delete=models.CASCADE, related_name="shifts"
    )
    day = models.DateField(_("值班日期"))
    slot = models.PositiveSmallIntegerField(_("班次序号"), default=0)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    leader = models.ForeignKey(
        User, verbose_name=_("带班领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    main_officer = models.ForeignKey(
        User, verbose_name=_("主班"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deputy_officer = models.ForeignKey(
        User, verbose_name=_("副班"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_holiday = models.BooleanField(_("节假日"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["day", "slot"], name="duty_shift_day_slot_uniq"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="duty_shift_positive"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="duty_shift_span_idx")]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}"


class SwapPosition(models.TextChoices):
    MAIN = "main", _("主班")
    DEPUTY = "deputy", _("副班")


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", _("待接替")
    ACCEPTED = "accepted", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已撤回")


class SwapRequest(models.Model):
    """An officer offers their place on a shift; a colleague takes it; the duty leader approves."""

    shift = models.ForeignKey(Shift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="swaps")
    position = models.CharField(_("岗位"), max_length=10, choices=SwapPosition.choices)
    proposer = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=SwapStatus.choices, default=SwapStatus.PROPOSED
    )
    acceptor = models.ForeignKey(
        User, verbose_name=_("接替人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("接替时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "position"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="duty_swap_one_open_per_place",
            )
        ]

    def __str__(self):
        return f"{self.shift} {self.get_position_display()} {self.get_status_display()}"


# --- urgent reports -------------------------------------------------------------------------------
class ReportLevel(models.TextChoices):
    ESPECIALLY_MAJOR = "especially_major", _("特别重大")
    MAJOR = "major", _("重大")
    LARGE = "large", _("较大")
    GENERAL = "general", _("一般")


class ReportKind(models.TextChoices):
    """The two limits of a report: the phone report upward and the written report."""

    PHONE = "phone", _("电话报告")
    WRITTEN = "written", _("书面报告")


class ReportChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    WRITTEN = "written", _("书面")
    SYSTEM = "system", _("系统报送")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已终报")


class ReportSource(models.TextChoices):
    DUTY_ROOM = "duty_room", _("值班室录入")
    API = "api", _("单位接口报送")


# The required elements (报实、报准、报全): key, label, key fact (to be reported first).
REPORT_ELEMENTS: list[tuple[str, str, bool]] = [
    ("time", _("时间"), True),
    ("place", _("地点"), True),
    ("source", _("信息来源"), True),
    ("nature_cause", _("事件性质和原因"), True),
    ("course", _("事件经过"), False),
    ("casualties", _("伤亡情况（含失联）"), True),
    ("losses", _("损失情况"), False),
    ("scope", _("影响范围"), False),
    ("trend", _("发展趋势"), False),
    ("measures", _("已采取的措施"), True),
    ("leaders_on_site", _("到场领导"), False),
    ("requests", _("请求事项"), False),
    ("onsite_contact", _("现场联系人及电话"), False),
]
ELEMENT_KEYS = [key for key, _label, _key in REPORT_ELEMENTS]


class UrgentReport(models.Model):
    """One emergency (紧急信息): its consolidated facts, its two limits and how they were met."""

    title = models.CharField(_("标题"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=ReportLevel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    source_kind = models.CharField(
        _("来源方式"), max_length=12, choices=ReportSource.choices, default=ReportSource.DUTY_ROOM
    )
    source_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接报时间"), db_index=True)
    received_by = models.ForeignKey(
        User, verbose_name=_("接报人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("责任班次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    duty_officer = models.ForeignKey(
        User,
        verbose_name=_("接报时主班"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("接报时在班的主班，统计按人考核用。"),
    )
    elements = models.JSONField(_("要素"), default=dict, blank=True)
    completeness = models.PositiveSmallIntegerField(_("要素完整度"), default=0)
    update_count = models.PositiveIntegerField(_("报告次数"), default=0)
    phone_due_at = models.DateTimeField(_("电话报告时限"))
    written_due_at = models.DateTimeField(_("书面报告时限"))
    phone_reported_at = models.DateTimeField(_("电话报告时间"), null=True, blank=True)
    written_reported_at = models.DateTimeField(_("书面报告时间"), null=True, blank=True)
    phone_late = models.BooleanField(_("电话迟报"), default=False)
    written_late = models.BooleanField(_("书面迟报"), default=False)
    phone_minutes_late = models.PositiveIntegerField(_("电话迟报分钟"), default=0)
    written_minutes_late = models.PositiveIntegerField(_("书面迟报分钟"), default=0)
    closed_at = models.DateTimeField(_("终报时间"), null=True, blank=True)
    # 值班信息〔2026〕3号: taken from the documents' number register the first time the written report is
    # printed, then kept (duty.rendering.report_info_number), never the database id.
    info_number = models.CharField(_("值班信息编号"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("紧急信息")
        verbose_name_plural = _("紧急信息")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="duty_report_status_idx"),
            models.Index(fields=["source_unit", "-received_at"], name="duty_report_unit_idx"),
            # The board reads only the reports still needing the duty room: a small partial index
            # keeps that read constant however many reports the years pile up.
            models.Index(
                fields=["received_at"],
                condition=Q(status="open")
                | Q(phone_reported_at__isnull=True)
                | Q(written_reported_at__isnull=True),
                name="duty_report_needing_action",
            ),
        ]

    def __str__(self):
        return f"[{self.get_level_display()}] {self.title}"

    @property
    def is_late(self) -> bool:
        return self.phone_late or self.written_late


class UpdateKind(models.TextChoices):
    FIRST = "first", _("首报")
    FOLLOWUP = "followup", _("续报")
    FINAL = "final", _("终报")


CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n]
    if n < 20:
        return "十" + (CHINESE_NUMERALS[n - 10] if n % 10 else "")
    if n < 100:
        return CHINESE_NUMERALS[n // 10] + "十" + (CHINESE_NUMERALS[n % 10] if n % 10 else "")
    return str(n)


class ReportUpdate(models.Model):
    """One submission about a report: the first, a follow-up carrying only what is new, or the final."""

    report = models.ForeignKey(
        UrgentReport, verbose_name=_("紧急信息"), on_delete=models.CASCADE, related_name="updates"
    )
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=10, choices=UpdateKind.choices)
    followup_no = models.PositiveIntegerField(_("续报次序"), default=0)
    elements = models.JSONField(_("新增要素"), default=dict, blank=True)
    text = models.TextField(_("内容"), blank=True)
    received_at = models.DateTimeField(_("接报时间"))
    submitted_by = models.ForeignKey(
        User, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_label = models.CharField(_("报送方"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["report", "seq"]
        constraints = [models.UniqueConstraint(fields=["report", "seq"], name="duty_update_seq_uniq")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == UpdateKind.FOLLOWUP:
            return f"续报{chinese_number(self.followup_no)}"
        return str(self.get_kind_display())


def report_attachment_path(instance, filename):
    """An unguessable stored name (``duty/reports/YYYY/MM/<uuid>.<ext>``); the original name is
    kept in ``name`` and served only through the protected download."""
    from office.files.validation import stored_name

    return stored_name("duty/reports", filename)


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        UrgentReport, verbose_name=_("紧急信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    update = models.ForeignKey(
        ReportUpdate,
        verbose_name=_("报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("附件"), upload_to=report_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self):
        return self.name


class UpwardReport(models.Model):
    """A report made upward: to whom, how, when; late (迟报) is decided when recorded and never changes."""

    report = models.ForeignKey(
        UrgentReport, verbose_name=_("紧急信息"), on_delete=models.CASCADE, related_name="upward_reports"
    )
    kind = models.CharField(_("报告类别"), max_length=10, choices=ReportKind.choices)
    channel = models.CharField(_("报告方式"), max_length=10, choices=ReportChannel.choices)
    recipients = models.CharField(_("报告对象"), max_length=200)
    reported_at = models.DateTimeField(_("报告时间"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(_("迟报"), default=False)
    minutes_late = models.PositiveIntegerField(_("迟报分钟"), default=0)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("上报记录")
        verbose_name_plural = _("上报记录")
        ordering = ["reported_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipients}"


# --- duty log, phone records, handover -----------------------------------------------------------
class LogEntry(models.Model):
    shift = models.ForeignKey(
        Shift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="log_entries"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    author = models.ForeignKey(
        User, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("内容"))
    carried = models.BooleanField(_("交接带入"), default=False)

    class Meta:
        verbose_name = _("值班日志")
        verbose_name_plural = _("值班日志")
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:40]


class Importance(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    IMPORTANT = "important", _("重要")


class PhoneStatus(models.TextChoices):
    OPEN = "open", _("待办理")
    HANDLED = "handled", _("已办理")


class PhoneRecord(models.Model):
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("责任班次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phone_records",
    )
    received_at = models.DateTimeField(_("来电时间"))
    caller_unit = models.CharField(_("来电单位"), max_length=100)
    caller_name = models.CharField(_("来电人"), max_length=50)
    caller_title = models.CharField(_("职务"), max_length=50, blank=True)
    caller_number = models.CharField(_("来电号码"), max_length=40)
    content = models.TextField(_("来电内容"))
    others_informed = models.CharField(_("已告知人员"), max_length=200, blank=True)
    recorder = models.ForeignKey(User, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    importance = models.CharField(
        _("重要程度"), max_length=10, choices=Importance.choices, default=Importance.ORDINARY
    )
    due_at = models.DateTimeField(_("办理时限"))
    status = models.CharField(_("状态"), max_length=10, choices=PhoneStatus.choices, default=PhoneStatus.OPEN)
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        User, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling_note = models.TextField(_("办理情况"), blank=True)
    handled_late = models.BooleanField(_("超时办理"), default=False)

    class Meta:
        verbose_name = _("电话记录")
        verbose_name_plural = _("电话记录")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="duty_phone_status_idx")]

    def __str__(self):
        return f"{self.caller_unit} {self.caller_name} {timezone.localtime(self.received_at):%m-%d %H:%M}"


class HandoverStatus(models.TextChoices):
    WRITTEN = "written", _("待接班确认")
    ACKNOWLEDGED = "acknowledged", _("已接班")


class Handover(models.Model):
    """The handover into ``to_shift``: written by the outgoing officer, acknowledged by the incoming one."""

    to_shift = models.OneToOneField(
        Shift, verbose_name=_("接班班次"), on_delete=models.CASCADE, related_name="handover_in"
    )
    from_shift = models.ForeignKey(
        Shift, verbose_name=_("交班班次"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=14, choices=HandoverStatus.choices, default=HandoverStatus.WRITTEN
    )
    notes = models.TextField(_("交班说明"), blank=True)
    outgoing_officer = models.ForeignKey(
        User, verbose_name=_("交班人"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("交班时间"))
    incoming_officer = models.ForeignKey(
        User, verbose_name=_("接班人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("接班确认时间"), null=True, blank=True)
    acknowledged_late = models.BooleanField(_("接班确认超时"), default=False)

    class Meta:
        verbose_name = _("交接班")
        verbose_name_plural = _("交接班")
        ordering = ["-written_at"]

    def __str__(self):
        return str(_("交接班 {shift}").format(shift=self.to_shift))


class MatterKind(models.TextChoices):
    URGENT_REPORT = "urgent_report", _("紧急信息")
    PHONE_RECORD = "phone_record", _("电话记录")
    DOCUMENT = "document", _("文件")
    NOTE = "note", _("其他事项")


class HandoverItem(models.Model):
    handover = models.ForeignKey(
        Handover, verbose_name=_("交接班"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=MatterKind.choices)
    urgent_report = models.ForeignKey(
        UrgentReport,
        verbose_name=_("紧急信息"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    phone_record = models.ForeignKey(
        PhoneRecord,
        verbose_name=_("电话记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("交接事项")
        verbose_name_plural = _("交接事项")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.text}"


class CoverageAlert(models.Model):
    """A hole in the roster ahead (no leader, no main officer, an officer without a phone), warned once."""

    key = models.CharField(_("标识"), max_length=120, unique=True)
    kind = models.CharField(_("类别"), max_length=40)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    message = models.CharField(_("说明"), max_length=300)
    detected_at = models.DateTimeField(_("发现时间"), default=timezone.now)

    class Meta:
        verbose_name = _("排班缺口")
        verbose_name_plural = _("排班缺口")
        ordering = ["starts_at"]

    def __str__(self):
        return self.message


class DutyAlert(models.Model):
    """One alarm the duty room's timers raised: who was told, when. The key makes a repeat a no-op."""

    key = models.CharField(_("标识"), max_length=120, unique=True)
    kind = models.CharField(_("类别"), max_length=30)
    step = models.PositiveSmallIntegerField(_("级次"), default=0)
    report = models.ForeignKey(
        UrgentReport,
        verbose_name=_("紧急信息"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    shift = models.ForeignKey(
        Shift, verbose_name=_("班次"), null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    phone_record = models.ForeignKey(
        PhoneRecord,
        verbose_name=_("电话记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("提醒对象"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("应提醒时间"), null=True, blank=True)
    fired_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("值班提醒")
        verbose_name_plural = _("值班提醒")
        ordering = ["-fired_at", "-id"]

    def __str__(self):
        return self.title
