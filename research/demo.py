"""政研 in the demo office, on a normal morning: this year's call for topics (closed, eight proposals
from townships, departments and the office's sections), the plan approved by the director with four
topics — one finished on time whose report the director affirmed by a 批示 (the chain topic → output →
adoption), one whose final draft is late (the deputy in charge is told), one at field research due in
two days, one just past its outline. Idempotent: a call for this year already present is left alone."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from office.org.models import Staff

from .models import Proposal, TopicCall, TopicMilestone
from .services.calls import call_close, call_open, proposal_submit
from .services.outputs import adoption_record, output_create, output_evaluate
from .services.plans import plan_approve, plan_create, plan_submit, topic_add
from .services.topics import milestone_done, record_add, topic_finish

PROPOSALS = [
    (
        "town1",
        "关于农村集体经济发展壮大的路径研究",
        "major",
        "我镇村集体经济收入普遍偏低，亟须总结先进村经验，探索可复制的发展路径。",
    ),
    (
        "town2",
        "乡镇综合行政执法改革运行情况调研",
        "special",
        "执法权下放后基层承接能力不足，需要摸清问题、提出对策。",
    ),
    (
        "fgw",
        "县域经济高质量发展的短板与对策",
        "major",
        "紧扣市委中心工作，围绕县域经济发展中的突出短板开展研究，为全会决策提供参考。",
    ),
    (
        "zsj",
        "招商引资项目落地难问题研究",
        "special",
        "部分签约项目迟迟不能开工，需要从审批、要素保障等环节查找原因。",
    ),
    ("jyj", "城区义务教育学位供给研究", "special", "城区学位紧张问题群众反映强烈，建议列入年度课题。"),
    ("wjw", "基层医疗卫生服务能力提升研究", "special", "乡镇卫生院人才流失严重，服务能力亟待提升。"),
    ("zonghe", "机关作风建设长效机制研究", "special", "结合主任讲话精神，研究机关作风建设的制度化措施。"),
    ("yjj", "防汛应急指挥体系建设研究", "special", "今年汛期暴露出信息报送和指挥调度的薄弱环节。"),
]


def _at(day, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), timezone.get_default_timezone())


@transaction.atomic
def populate(stdout=None) -> None:
    User = get_user_model()
    today = timezone.localdate()
    year = today.year
    director = User.objects.filter(username="director").first()
    researchers = list(
        Staff.objects.filter(unit__code="zhengyan", is_active=True).select_related("user").order_by("pk")
    )
    if director is None or len(researchers) < 3 or TopicCall.objects.filter(year=year).exists():
        return
    chief, r1, r2 = (s.user for s in researchers[:3])
    opened = _at(today.replace(month=1, day=5), 9)
    call = call_open(
        actor=chief,
        year=year,
        title=f"{year}年度市委办公室调研课题选题征集",
        description="请各单位紧扣市委中心工作，突出阶段性的大事、要事提出选题建议，每单位 1 至 2 个。",
        opened_at=opened,
        deadline=opened + timedelta(days=32),
    )
    liaisons = {
        s.unit.code: s.user
        for s in Staff.objects.filter(unit__code__in=[p[0] for p in PROPOSALS])
        .select_related("unit", "user")
        .order_by("-pk")
    }
    made = {}
    for i, (code, title, kind, reasons) in enumerate(PROPOSALS):
        actor = liaisons.get(code)
        if actor is None:
            continue
        made[title] = proposal_submit(actor=actor, call=call, title=title, reasons=reasons, kind=kind)
        Proposal.objects.filter(pk=made[title].pk).update(
            submitted_at=opened + timedelta(days=3 + i * 3), is_late=False
        )
    call_close(actor=chief, call=call)

    plan = plan_create(actor=chief, year=year)

    def add(title, kind, lead, team, days_ago, proposal_titles=(), commissioned=None, external=""):
        return topic_add(
            actor=chief,
            plan=plan,
            title=title,
            kind=kind,
            lead=lead,
            team=team,
            external_members=external,
            commissioned_by=commissioned,
            proposals=[made[t].pk for t in proposal_titles if t in made],
            started_on=today - timedelta(days=days_ago),
        )

    finished = add(
        "县域经济高质量发展的短板与对策研究",
        "major",
        r1,
        [r2, liaisons.get("fgw")],
        250,
        ["县域经济高质量发展的短板与对策"],
        commissioned=director,
        external="市委党校经济学教研室张教授",
    )
    late = add(
        "农村集体经济发展壮大的路径研究",
        "major",
        r2,
        [chief],
        185,
        ["关于农村集体经济发展壮大的路径研究"],
    )
    field_soon = add("招商引资项目落地难问题研究", "special", r1, [], 88, ["招商引资项目落地难问题研究"])
    fresh = add("机关作风建设长效机制研究", "special", chief, [r2], 45, ["机关作风建设长效机制研究"])
    plan_submit(actor=chief, plan=plan)
    plan_approve(actor=director, plan=plan)

    def done_before_due(topic, kinds, days_early=3):
        for ms in TopicMilestone.objects.filter(topic=topic, kind__in=kinds):
            milestone_done(actor=topic.lead, milestone=ms)
            TopicMilestone.objects.filter(pk=ms.pk).update(done_at=ms.due_at - timedelta(days=days_early))

    done_before_due(finished, ["outline", "field", "draft", "final"])
    done_before_due(late, ["outline", "field", "draft"])
    done_before_due(field_soon, ["outline"])
    done_before_due(fresh, ["outline"])

    record_add(
        actor=r1,
        topic=finished,
        date=today - timedelta(days=160),
        place="甲镇、乙镇工业园区",
        people_met="园区管委会、12 家规上企业负责人",
        findings="园区配套不足、用地指标紧张、产业链条短是制约县域经济的主要短板；企业普遍反映融资难。",
    )
    record_add(
        actor=r2,
        topic=late,
        date=today - timedelta(days=100),
        place="丙镇五个行政村",
        people_met="村党支部书记、合作社负责人",
        findings="集体经济收入来源单一，多数依赖资源发包；有两个村通过土地入股合作社实现增收，经验可推广。",
    )
    output = output_create(
        actor=r1,
        topic=finished,
        title="关于补齐县域经济发展短板的调研报告",
        body="一、基本情况\n县域经济总量稳步增长，但产业结构偏重、园区配套不足。\n二、存在问题\n用地指标紧张，产业链条短，融资难。\n三、对策建议\n建议统筹用地指标，设立产业引导基金，完善园区配套。",
    )
    output_evaluate(actor=chief, output=output, grade="excellent", remarks="问题找得准，对策可操作。")
    adoption_record(
        actor=chief,
        output=output,
        kind="instruction",
        leader=director,
        on=today - timedelta(days=20),
        text="此报告很有价值，请市发改委会同相关部门研究吸收，纳入明年工作要点。",
    )
    topic_finish(actor=chief, topic=finished)
    if stdout is not None:
        stdout.write(
            f"政研：{year}年选题征集（已截止，建议 {len(made)} 条），年度计划 4 个课题（1 个成果获主任批示，1 个节点逾期）。"
        )
