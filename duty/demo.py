"""Demo data of the duty room: this month's published roster (day shift 08:30–17:30, night shift
17:30–08:30), the rotation (deputy directors lead, duty01.. are officers), two phone records and one
open urgent report whose clock is running. Idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from office.org.selectors import users_with_role

from .models import PhoneRecord, Pool, Roster, RosterStatus, RotationMember, UrgentReport
from .services.logs import phone_record_create
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
    roster = Roster.objects.filter(year=today.year, month=today.month).first()
    if roster is None or roster.status == RosterStatus.DRAFT:
        roster = roster_generate(actor=director, year=today.year, month=today.month)
        roster_publish(actor=director, roster=roster)
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
            "caller_unit": "一号镇党政办",
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
            phone_record_create(actor=officer, received_at=now - timedelta(minutes=40 - 15 * i), **call)
    title = "二号镇某村山体滑坡"
    if not UrgentReport.objects.filter(title=title).exists():
        from office.org.models import Unit

        report_receive(
            actor=officer,
            title=title,
            level="large",
            source_unit=Unit.objects.filter(code="town2").first(),
            received_at=now - timedelta(minutes=20),
            elements={
                "time": f"{timezone.localtime(now - timedelta(minutes=35)):%m月%d日%H时%M分}",
                "place": "二号镇某村三组",
                "source": "二号镇党委值班室电话报告",
                "nature_cause": "连日降雨引发山体滑坡",
                "casualties": "暂无人员伤亡报告，1户3人失联待核实",
            },
            text="二号镇报告：某村三组发生山体滑坡，掩埋民房1栋，正在核实人员情况。",
        )
    stdout.write(f"值班演示数据：{roster} 已发布，2 条电话记录，1 条处置中的紧急信息。")
