"""Demo data: a dozen items across the three focus categories (some yellow, some overdue and already
on the ladder) plus the speech's five internal assignments due on the 25th, led by deputy directors.
Idempotent: an item whose title exists is left alone."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from office.clock.services import timer_schedule
from office.org.models import Unit
from office.org.selectors import users_with_role
from office.workdays.services import end_of_day

from .models import Category, Source, SupervisionItem, Urgency
from .services import feedback_submit, item_acknowledge, item_create, item_issue
from .services.timers import ITEM_DUE, MILESTONE_DUE

# title, category, source, leader, lead unit, assisting, due in days, urgency, shift back days (overdue)
ITEMS = [
    (
        "市投资促进局牵头推进新能源电池产业园项目签约",
        Category.INVESTMENT,
        Source.STANDING_COMMITTEE,
        "书记",
        "zsj",
        ["fgw"],
        30,
        Urgency.NORMAL,
        0,
    ),
    (
        "东城镇招商引资项目落地“回头看”",
        Category.INVESTMENT,
        Source.LEADER_INSTRUCTION,
        "市长",
        "town2",
        ["zsj"],
        2,
        Urgency.URGENT,
        0,
    ),
    (
        "引进总部经济企业不少于三家",
        Category.INVESTMENT,
        Source.LEADERS_MEETING,
        "常务副市长",
        "zsj",
        [],
        45,
        Urgency.NORMAL,
        0,
    ),
    (
        "高新区标准厂房二期建设",
        Category.PROJECT,
        Source.STANDING_COMMITTEE,
        "书记",
        "fgw",
        ["zjj"],
        20,
        Urgency.NORMAL,
        25,
    ),
    (
        "城北快速通道项目征地拆迁",
        Category.PROJECT,
        Source.LEADER_INSTRUCTION,
        "市长",
        "town1",
        ["jtj"],
        10,
        Urgency.NORMAL,
        12,
    ),
    (
        "市人民医院新院区主体工程封顶",
        Category.PROJECT,
        Source.LEADERS_MEETING,
        "副市长",
        "wjw",
        ["zjj"],
        60,
        Urgency.NORMAL,
        0,
    ),
    (
        "老旧小区改造年度任务",
        Category.URBAN,
        Source.STANDING_COMMITTEE,
        "书记",
        "zjj",
        ["town1", "town2"],
        3,
        Urgency.NORMAL,
        0,
    ),
    (
        "城区黑臭水体整治",
        Category.URBAN,
        Source.LEADER_INSTRUCTION,
        "市长",
        "sthj",
        ["zjj"],
        15,
        Urgency.NORMAL,
        20,
    ),
    (
        "主城区停车难专项治理",
        Category.URBAN,
        Source.LEADERS_MEETING,
        "副市长",
        "gaj",
        ["jtj"],
        25,
        Urgency.NORMAL,
        0,
    ),
    (
        "城乡垃圾分类示范片区建设",
        Category.URBAN,
        Source.DOCUMENT,
        "副市长",
        "town3",
        [],
        30,
        Urgency.NORMAL,
        0,
    ),
    (
        "中小学校舍安全隐患排查整改",
        Category.OTHER,
        Source.LEADER_INSTRUCTION,
        "书记",
        "jyj",
        [],
        5,
        Urgency.URGENT,
        8,
    ),
    (
        "防汛应急物资储备检查",
        Category.OTHER,
        Source.LEADERS_MEETING,
        "常务副市长",
        "yjj",
        ["czj"],
        12,
        Urgency.NORMAL,
        0,
    ),
]

# The speech's items 2–6: due on the 25th, led by deputy directors, delivered as written material.
INTERNAL = [
    (
        "内设机构设置方面的调研",
        "deputy1",
        "针对职务职级改革、干部政策待遇，总值班室、法规科、文书科等科室设置组织调研。",
    ),
    ("成立市委政策研究室的相关工作", "deputy3", "就市委政研室的机构编制、人员构成、运转等问题拿出方案。"),
    ("督查机制建设方面的调研", "deputy4", "研究设立督查专员，建立层层督责、高效规范的督查机制。"),
    (
        "建立服务协调机制的相关工作",
        "deputy2",
        "建立对上、横向与四大办、对下与乡镇和市直党委办公室的服务协调机制，"
        "定期召开办公室主任会，理顺服务流程。",
    ),
    ("干部正常福利保障的相关调研", "deputy1", "研究在不违反规定的前提下提高干部正常福利待遇，更新办公设备。"),
]


def _next_25th(today: dt.date) -> dt.date:
    if today.day < 25:
        return today.replace(day=25)
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=25)


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def populate(stdout) -> None:
    director = _user("director")
    units = {u.code: u for u in Unit.objects.all()}
    commissioners = list(users_with_role("supervision_commissioner")[:3])
    today = timezone.localdate()
    made = 0
    for n, (title, cat, src, leader, lead, assist, days, urgency, back) in enumerate(ITEMS):
        if SupervisionItem.objects.filter(title=title).exists() or lead not in units:
            continue
        due = today + dt.timedelta(days=days)
        item = item_create(
            actor=director,
            title=title,
            requirement=f"按照{Source(src).label}要求，{title}，按节点推进并及时反馈。",
            source=src,
            category=cat,
            urgency=urgency,
            source_date=today - dt.timedelta(days=back + 3),
            source_ref="市委常委会会议" if src == Source.STANDING_COMMITTEE else "",
            instructing_leader=leader,
            lead_unit=units[lead],
            lead_person="主要负责同志",
            assisting_units=[units[c] for c in assist if c in units],
            commissioners=commissioners[n % len(commissioners) : n % len(commissioners) + 1]
            if commissioners
            else [],
            due=due,
            expected_output="书面办理结果及佐证材料",
            milestones=[
                ("制定工作方案", today + dt.timedelta(days=max(1, (days + back) // 3))),
                ("完成主体任务", today + dt.timedelta(days=max(2, 2 * (days + back) // 3))),
            ],
        )
        item = item_issue(actor=director, item=item)
        if n % 3 != 2:
            # Each unit acknowledges through its own liaison (联络员), as the audit trail then says.
            for a in item.assignments.all():
                liaison = _liaison(a.unit)
                if liaison is not None:
                    item_acknowledge(actor=liaison, item=item)
                else:
                    item_acknowledge(actor=director, item=item, unit=a.unit)
        if n % 4 == 0:
            reporter = _liaison(item.lead_unit) or director
            feedback_submit(actor=reporter, item=item, content="已制定工作方案，正在推进。")
        if back:
            # An item registered earlier: move its dates back so it is ``back`` days overdue now; the
            # clock's next tick takes it up the ladder.
            shift = dt.timedelta(days=days + back)
            SupervisionItem.objects.filter(pk=item.pk).update(
                due_at=item.due_at - shift,
                issued_at=item.issued_at - shift,
                created_at=item.created_at - shift,
            )
            item.refresh_from_db()
            timer_schedule(subject=item, kind=ITEM_DUE, step=item.due_revision, due_at=item.due_at)
            for ms in item.milestones.all():
                ms.due_at -= shift
                ms.save(update_fields=["due_at"])
                if not ms.reported_at:
                    timer_schedule(subject=ms, kind=MILESTONE_DUE, due_at=ms.due_at)
            from .services.common import refresh_next_milestone

            refresh_next_milestone(item)
        made += 1
    due = end_of_day(_next_25th(today))
    for title, deputy, requirement in INTERNAL:
        assignee = _user(deputy)
        if assignee is None or SupervisionItem.objects.filter(title=title).exists():
            continue
        item = item_create(
            actor=director,
            title=title,
            requirement=requirement,
            source=Source.INTERNAL,
            category=Category.OTHER,
            instructing_leader="主任",
            assignee=assignee,
            lead_person=assignee.staff.name,
            due=due,
            expected_output="书面材料（交主任）",
            source_ref="全体机关干部职工会议讲话",
            source_date=today,
            commissioners=commissioners[:1],
        )
        item_issue(actor=director, item=item)
        made += 1
    stdout.write(f"supervision: {made} items created ({SupervisionItem.objects.count()} in all)\n")


def _liaison(unit):
    """The unit's own account (its 联络员 in the demo office), or None."""
    from django.contrib.auth import get_user_model

    if unit is None:
        return None
    return (
        get_user_model()
        .objects.filter(staff__unit=unit, staff__is_active=True, is_active=True)
        .order_by("pk")
        .first()
    )
