"""The post risk review in the demo office: a register of the office's posts (会务保障、文稿起草、值班值守、
督办跟踪、机要文件管理、接待联络) with their risks and controls; the 会务保障岗's "视频音响未按实际课件和视频
链路测试" is 高 after the training meeting's ten-minute interruption repeated a microphone failure of the
summer; a review campaign is open (due in five days), one review approved, one waiting for its chief,
the rest to do. Idempotent: a register already present is left alone."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from office.org.models import Unit

from .models import Area, IncidentKind, Post, RiskReview
from .services.campaigns import campaign_open, review_decide, review_submit
from .services.incidents import incident_record
from .services.register import post_create, risk_create

# post code, name, section code, holders, [(risk code, area, title, likelihood, impact, [controls])]
REGISTER = [
    (
        "meeting-service",
        "会务保障岗",
        "zonghe",
        ["staff05", "staff06"],
        [
            (
                "av-failure",
                Area.MEETINGS,
                "视频音响未按实际课件和视频链路测试",
                3,
                4,
                [
                    "会前 2 小时由技术人员用实际课件、实际视频链路逐项测试话筒、音箱、投影、视频会议和录音",
                    "备用话筒、备用电脑现场待命",
                ],
            ),
            (
                "notice-missed",
                Area.MEETINGS,
                "会议通知漏发、回执未催齐",
                2,
                3,
                ["通知发出后逐单位核对回执，缺回执的电话催办"],
            ),
            (
                "seating-error",
                Area.MEETINGS,
                "座次安排不符合规范",
                2,
                3,
                ["座次图按排序规则生成，科长审核后制作桌签"],
            ),
        ],
    ),
    (
        "drafting",
        "文稿起草岗",
        "mishu",
        ["staff02", "staff03"],
        [
            (
                "unreviewed-sign",
                Area.DOCUMENTS,
                "公文未经核稿即送签发",
                2,
                4,
                ["送签前须经科长核稿，系统记录核稿意见"],
            ),
            (
                "data-unchecked",
                Area.DOCUMENTS,
                "材料数据未与来源单位核实",
                2,
                3,
                ["引用数据注明来源并电话核实"],
            ),
        ],
    ),
    (
        "duty-desk",
        "值班值守岗",
        "zhiban",
        ["duty02", "duty03", "duty04"],
        [
            (
                "late-report",
                Area.DUTY,
                "紧急信息迟报漏报",
                2,
                5,
                ["接报后 30 分钟内电话报告、1 小时内书面报告，超时系统报警"],
            ),
            ("handover-gap", Area.DUTY, "交接班脱节", 2, 4, ["交班记录当面交接，接班人在系统确认"]),
        ],
    ),
    (
        "supervision-tracking",
        "督办跟踪岗",
        "duban",
        ["duban01", "duban02"],
        [
            (
                "progress-slip",
                Area.SUPERVISION,
                "督办事项跟踪不及时",
                3,
                3,
                ["节点前 3 个工作日提醒，逾期即沟通"],
            )
        ],
    ),
    (
        "confidential",
        "机要文件管理岗",
        "jiyao",
        ["staff14"],
        [("leak", Area.CONFIDENTIAL, "涉密文件传阅范围失控", 1, 5, ["按密级登记传阅，专人送达、当日收回"])],
    ),
    (
        "reception",
        "接待联络岗",
        "zonghe",
        ["staff05"],
        [
            (
                "visit-record",
                Area.AFFAIRS,
                "来电来访登记不全、转办不及时",
                2,
                2,
                ["来电来访当场登记，当日转办"],
            )
        ],
    ),
]


@transaction.atomic
def populate(stdout=None) -> None:
    if Post.objects.filter(code="meeting-service").exists():
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    if "director" not in users or "zonghe" not in units:
        return
    now = timezone.now()
    risks = {}
    for order, (code, name, section, holders, items) in enumerate(REGISTER):
        people = [users[h] for h in holders if h in users]
        post = post_create(
            actor=None, code=code, name=name, section=units[section], holders=people, sort_order=order * 10
        )
        owner = people[0] if people else None
        for risk_code, area, title, likelihood, impact, controls in items:
            risks[risk_code] = risk_create(
                actor=None,
                post=post,
                code=risk_code,
                area=area,
                title=title,
                likelihood=likelihood,
                impact=impact,
                owner=owner,
                controls=[(text, owner or users["director"]) for text in controls],
                reviewed_at=now - timedelta(days=100),
            )
    # the summer's microphone failure, then the training meeting's ten minutes: a repeat → 高
    incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION,
        summary="全市重点项目推进会：主席台话筒啸叫，会议暂停约 3 分钟，更换备用话筒。",
        occurred_at=now - timedelta(days=150),
        label="全市重点项目推进会",
    )
    incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION,
        summary="市级领导公共管理核心课程培训会：视频音响出现问题，会议中断近十分钟；会前测试未使用实际课件和视频链路。",
        occurred_at=now - timedelta(days=3),
        label="市级领导公共管理核心课程培训会",
    )
    campaign = campaign_open(
        actor=users["director"], title="2026 年第四季度岗位风险排查", deadline=now + timedelta(days=5)
    )
    drafted = RiskReview.objects.get(campaign=campaign, risk=risks["unreviewed-sign"])
    review_submit(
        actor=users["staff02"],
        review=drafted,
        likelihood=2,
        impact=4,
        controls_effective=True,
        assessment="本季度送签公文均经科长核稿，系统留有核稿意见。",
    )
    review_decide(actor=users["staff01"], review=drafted, approve=True, note="同意。")
    av = RiskReview.objects.get(campaign=campaign, risk=risks["av-failure"])
    review_submit(
        actor=users["staff05"],
        review=av,
        likelihood=4,
        impact=4,
        controls_effective=False,
        assessment="培训会中断暴露会前测试流于形式，拟改为技术人员按实际课件和视频链路联调并签字确认。",
    )
    if stdout is not None:
        stdout.write("岗位风险排查：岗位 6 个、风险点 10 个（高 1 个），排查活动 1 个。")
