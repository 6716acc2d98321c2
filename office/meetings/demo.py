"""办会 in the demo office on a normal morning: four rooms; this afternoon's 常委会 ready (every checklist
item done, the seating plan made); tomorrow's 市级领导公共管理核心课程培训会 noticed, one unit's receipt
still missing and the 视频音响 test not done (the item the speech's meeting lost ten minutes to);
yesterday's 专题会 with its incident (the sound system, nine minutes lost, a follow-up task) and its
minutes' decisions, one already a supervision item. Idempotent: meetings of these titles are left alone."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from office.org.models import Unit

from .models import IncidentCategory, Meeting, MeetingType, Response, Room
from .seed import ensure_defaults
from .services.checklist import item_devices_check, item_done
from .services.incidents import incident_record
from .services.meetings import meeting_create
from .services.minutes import decision_add, decision_to_supervision
from .services.notices import notice_send, receipt_answer
from .services.seating_plan import seating_generate

ROOMS = [
    (
        "一号会议室",
        "市委大楼 3 楼",
        80,
        "话筒 16 支\n音箱 4 只\n投影 1 台\n视频会议终端 1 套\n录音录像设备 1 套",
    ),
    ("常委会议室", "市委大楼 5 楼", 40, "话筒 20 支\n音箱 2 只\n投影 1 台\n录音设备 1 套"),
    ("三号会议室", "市委大楼 2 楼", 20, "话筒 4 支\n显示屏 1 块"),
    ("视频会议室", "市委大楼 4 楼", 30, "视频会议终端 1 套\n话筒 10 支\n音箱 2 只\n投影 1 台"),
]
TRAINING = "市级领导公共管理核心课程培训会"
STANDING = "市委常委会第 23 次会议"
TOPIC = "城东片区棚户区改造专题会"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _finish_all(meeting, actor) -> None:
    for item in meeting.checklist_items.filter(done_at__isnull=True, is_follow_up=False):
        if item.needs_devices:
            item_devices_check(actor=actor, item=item, checked=[code for code, _l, _ok in item.device_rows()])
        else:
            item_done(actor=actor, item=item)


@transaction.atomic
def populate(stdout=None) -> None:
    ensure_defaults()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["director", "deputy1", "deputy2", "staff04", "staff05", "staff06"]
        )
    }
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in=["zonghe", "fgw", "zjj", "jyj", "czj", "town1", "town2"])
    }
    if len(users) < 6 or len(units) < 7:
        return
    rooms = {}
    for name, location, capacity, equipment in ROOMS:
        rooms[name], _ = Room.objects.get_or_create(
            name=name, defaults={"location": location, "capacity": capacity, "equipment": equipment}
        )
    if Meeting.objects.filter(title__in=[TRAINING, STANDING, TOPIC]).exists():
        return
    director, organizer, technician = (
        users["director"],
        users["staff05"],
        users["staff06"],
    )
    types = {t.code: t for t in MeetingType.objects.all()}
    today = timezone.localdate()
    common = {"section": units["zonghe"], "organizer": organizer, "technician": technician}

    # yesterday: the 专题会, its incident and its decisions
    yesterday = today - dt.timedelta(days=1)
    topic = meeting_create(
        actor=director,
        meeting_type=types["topic"],
        title=TOPIC,
        starts_at=_at(yesterday, 9),
        ends_at=_at(yesterday, 11),
        room=rooms["三号会议室"],
        presiding=users["deputy1"],
        leaders=[],
        units=[units["zjj"], units["czj"], units["town1"]],
        **common,
    )
    _finish_all(topic, director)
    incident_record(
        actor=organizer,
        meeting=topic,
        category=IncidentCategory.EQUIPMENT,
        description="主席台话筒啸叫，音箱无声，会议中断",
        started_at=_at(yesterday, 9, 40),
        ended_at=_at(yesterday, 9, 49),
        action_taken="更换备用话筒，重启调音台",
    )
    first = decision_add(
        actor=director,
        meeting=topic,
        text="城东片区棚户区改造年底前完成征收签约，市住建局牵头，每月报送进度",
        lead_unit=units["zjj"],
        deadline=today + dt.timedelta(days=30),
    )
    decision_add(
        actor=director,
        meeting=topic,
        text="市财政局统筹安排改造资金，确保安置房建设资金到位",
        lead_unit=units["czj"],
        deadline=today + dt.timedelta(days=20),
    )
    decision_to_supervision(actor=director, decision=first)

    # this afternoon (or, loaded later in the day, in three hours; loaded in the evening, tomorrow
    # afternoon, as no office meets at night): the 常委会, ready
    in_three = (timezone.localtime() + dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    standing_at = max(_at(today, 15), in_three)
    if standing_at > _at(today, 17):
        standing_at = _at(today + dt.timedelta(days=1), 15)
    standing = meeting_create(
        actor=director,
        meeting_type=types["standing-committee"],
        title=STANDING,
        starts_at=standing_at,
        ends_at=standing_at + dt.timedelta(hours=2, minutes=30),
        room=rooms["常委会议室"],
        presiding=director,
        leaders=[users["deputy1"], users["deputy2"]],
        units=[units["fgw"], units["zjj"]],
        **common,
    )
    notice_send(actor=organizer, meeting=standing, deadline=timezone.now() + dt.timedelta(minutes=30))
    for r in standing.receipts.select_related("unit"):
        receipt_answer(
            actor=director,
            receipt=r,
            response=Response.ATTEND,
            attendee_name="" if r.person_id else f"{r.unit.short_name}主要负责人",
        )
    seating_generate(actor=organizer, meeting=standing)
    _finish_all(standing, director)

    # tomorrow: the training meeting, noticed; the 视频音响 test not done, one receipt missing
    tomorrow = today + dt.timedelta(days=1)
    training = meeting_create(
        actor=director,
        meeting_type=types["training"],
        title=TRAINING,
        starts_at=_at(tomorrow, 9),
        ends_at=_at(tomorrow, 12),
        room=rooms["一号会议室"],
        presiding=users["deputy2"],
        leaders=[director],
        units=[units["fgw"], units["zjj"], units["jyj"], units["town1"], units["town2"]],
        **common,
    )
    notice_send(actor=organizer, meeting=training)
    for code, name in (("fgw", "钱副主任"), ("zjj", "孙局长"), ("jyj", "李副局长"), ("town2", "周镇长")):
        receipt_answer(
            actor=director,
            receipt=training.receipts.get(unit=units[code]),
            response=Response.ATTEND,
            attendee_name=name,
        )
    for code in ("name-cards", "seating"):
        item_done(actor=director, item=training.checklist_items.get(code=code))
    av = training.checklist_items.get(code="av-test")
    item_devices_check(actor=technician, item=av, checked=["microphones", "speakers"])
    if stdout is not None:
        when = "今天" if timezone.localtime(standing_at).date() == today else "明天"
        stdout.write(
            f"办会：会议室 4 间，会议 3 个（{when}下午常委会已就绪；明天培训会视频音响未调试、1 个单位未回执）。"
        )
