"""Demo data of the duty room: this month's and next month's published rosters (day shift 08:30–17:30,
night shift 17:30–08:30; nobody is missing from the 1st of next month), the rotation (deputy directors
lead, duty01.. are officers), the handovers of the shifts already past (written and acknowledged in
time, as in a well-run office), two phone records (the important one already dealt with) and one open
urgent report from 东城镇 whose clock is running. Nothing alarms at the first login unless it is
real. Idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from office.org.selectors import users_with_role

from .models import PhoneRecord, Pool, Roster, RosterStatus, RotationMember, UrgentReport
from .services.logs import phone_record_create, phone_record_handle
from .services.reports import report_receive
from .services.roster import roster_generate, roster_publish


def _rotation() -> None:
    leaders = list(users_with_role("duty_leader").filter(username__startswith="deputy").order_by("username"))
    officers = list(users_with_role("duty_officer").filter(username__startswith="duty").order_by("username"))
    for pool, people in ((Pool.LEADER, leaders), (Pool.OFFICER, officers)):
        for i, user in enumerate(people):
            RotationMember.objects.get_or_create(user=user, pool=pool, defaults={"order": i + 1})


def populate(stdout) -> None:
    User = get_user_model()
    director = User.objects.filter(username="director").first()
    if director is None:
        stdout.write("值班演示数据：缺少 director 用户，跳过。")
        return
    _rotation()
    today = timezone.localdate()
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    # On the 1st before the day shift, the night shift on duty began yesterday: last month's roster.
    yesterday = today - timedelta(days=1)
    months = [(today.year, today.month), (following.year, following.month)]
    if (yesterday.year, yesterday.month) not in months:
        months.insert(0, (yesterday.year, yesterday.month))
    rosters = []
    for year, month in months:
        roster = Roster.objects.filter(year=year, month=month).first()
        if roster is None or roster.status == RosterStatus.DRAFT:
            roster = roster_generate(actor=director, year=year, month=month)
            roster_publish(actor=director, roster=roster)
        rosters.append(roster)
    for roster in rosters[:-1]:  # (last month's, on the 1st, and) this month's: the shifts already past
        _past_handovers(roster)
    from .selectors.roster import shift_at

    shift = shift_at()
    officer = (
        shift.main_officer if shift and shift.main_officer_id else users_with_role("duty_officer").first()
    )
    if officer is None:
        return
    now = timezone.now()
    calls = [
        {
            "caller_unit": "市应急管理局",
            "caller_name": "周建平",
            "caller_title": "值班科长",
            "caller_number": "0731-82220110",
            "content": "气象台发布暴雨蓝色预警，请通知各乡镇做好防范。",
            "others_informed": "带班领导",
            "importance": "important",
        },
        {
            "caller_unit": "城关镇党政办",
            "caller_name": "黄丽",
            "caller_title": "主任",
            "caller_number": "13907310001",
            "content": "报告镇里明日召开防汛会议，请求市防指派员指导。",
            "others_informed": "",
            "importance": "ordinary",
        },
    ]
    for i, call in enumerate(calls):
        if not PhoneRecord.objects.filter(caller_name=call["caller_name"], content=call["content"]).exists():
            record = phone_record_create(
                actor=officer, received_at=now - timedelta(minutes=40 - 15 * i), **call
            )
            if call["importance"] == "important":
                # dealt with at once, as it should be: no overdue call waiting at the first login
                phone_record_handle(actor=officer, record=record, note="已电话通知各乡镇值班室做好防范。")
    title = "东城镇某村山体滑坡"
    if not UrgentReport.objects.filter(title=title).exists():
        from office.org.models import Unit

        report_receive(
            actor=officer,
            title=title,
            level="large",
            # the report's own township (town2 is 东城镇 in the demo office)
            source_unit=Unit.objects.filter(short_name="东城镇").first()
            or Unit.objects.filter(code="town2").first(),
            received_at=now - timedelta(minutes=20),
            elements={
                "time": f"{timezone.localtime(now - timedelta(minutes=35)):%m月%d日%H时%M分}",
                "place": "东城镇某村三组",
                "source": "东城镇党委值班室电话报告",
                "nature_cause": "连日降雨引发山体滑坡",
                "casualties": "暂无人员伤亡报告，1户3人失联待核实",
            },
            text="东城镇报告：某村三组发生山体滑坡，掩埋民房1栋，正在核实人员情况。",
        )
        # The officer took the call and the people on duty have read the "new report" message: its
        # clock runs on the board, but it is no alarm banner at the first login.
        from django.contrib.contenttypes.models import ContentType

        from office.notifications.models import Notification

        report = UrgentReport.objects.get(title=title)
        Notification.objects.filter(
            subject_type=ContentType.objects.get_for_model(UrgentReport),
            subject_id=str(report.pk),
            step="received",
            read_at__isnull=True,
        ).update(read_at=now)
    stdout.write(f"值班演示数据：{'、'.join(map(str, rosters))} 已发布，2 条电话记录，1 条处置中的紧急信息。")


def _past_handovers(roster) -> None:
    """The shifts of this month already past were handed over and acknowledged in time (their alarm
    timers are cancelled): the demo shows a well-run duty room, so a new alarm stands out."""
    from office.clock.services import timer_cancel

    from .models import Handover, HandoverStatus, Shift
    from .services.handover import HANDOVER_TIMER

    now = timezone.now()
    shifts = list(
        Shift.objects.filter(roster=roster, starts_at__lte=now)
        .select_related("handover_in")
        .order_by("starts_at")
    )
    previous = None
    for shift in shifts:
        outgoing = (previous.main_officer if previous else None) or shift.main_officer
        if getattr(shift, "handover_in", None) is None and outgoing is not None:
            Handover.objects.create(
                to_shift=shift,
                from_shift=previous,
                status=HandoverStatus.ACKNOWLEDGED,
                notes="本班无遗留事项。",
                outgoing_officer=outgoing,
                written_at=shift.starts_at - timedelta(minutes=10),
                incoming_officer=shift.main_officer,
                acknowledged_at=shift.starts_at + timedelta(minutes=5),
            )
        timer_cancel(subject=shift, kind=HANDOVER_TIMER)
        previous = shift
