"""信息报送 in the demo office, on a normal morning: a month of reports from townships and departments —
most sent up or published in 每日要情 / 信息专报, a few adopted (one by the province, one with the
secretary's instruction), one last month's report that was late at the unit's stage — and today's work:
a report waiting for the information section, one being edited, one waiting for deputy2's approval, a
draft, and one 动态 whose facts are two working days old and still not submitted (the clock marks it
迟报 on its first sweep and tells the township's head). Idempotent: nothing is added when reports exist.

The month's history is written directly (its times are in the past), then the ranking's summary is
recounted from it; today's reports go through the services so their stage timers are armed."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from documents.services.registration import next_number
from office.org.models import Unit
from office.workdays.services import add_working_days

from .models import Adoption, BulletinIssue, InfoReport, InfoVersion
from .services import reports as services
from .services.bulletin import number_prefix
from .services.ranking import ranking_rebuild

HISTORY = [
    # unit code, type, title, days ago, outlet, adoptions (kind, leader), unit stage late
    ("town1", "dynamic", "城关镇完成汛后水毁道路修复", 26, "daily", [("municipal", "")], False),
    (
        "town2",
        "experience",
        "东城镇“网格+议事会”化解邻里纠纷的做法",
        24,
        "provincial",
        [("municipal", ""), ("provincial", "")],
        False,
    ),
    ("fgw", "dynamic", "市发改委推进重点项目集中开工", 21, "municipal", [], False),
    (
        "yjj",
        "urgent",
        "市应急局处置西河镇山体滑坡险情",
        18,
        "provincial",
        [("municipal", ""), ("instruction", "市委书记")],
        False,
    ),
    ("town3", "problem", "西河镇反映农村寄递物流“最后一公里”不畅", 15, "special", [("municipal", "")], False),
    ("jyj", "dynamic", "市教育局完成秋季学期校车安全检查", 12, "daily", [], False),
    ("town4", "dynamic", "南山镇茶叶秋季采收上市", 9, "daily", [], True),
    ("zjj", "experience", "市住建局老旧小区改造“居民点单”机制", 7, "municipal", [("municipal", "")], False),
    ("town1", "problem", "城关镇反映部分安置小区物业管理缺位", 5, "special", [], False),
    ("wjw", "dynamic", "市卫健委开展秋冬季传染病防控督导", 3, "daily", [], False),
]


def _history(units, editor, deputy) -> int:
    now = timezone.now()
    issues: dict[tuple[str, int], BulletinIssue] = {}
    for code, info_type, title, days, outlet, adoptions, late in HISTORY:
        unit = units.get(code)
        if unit is None:
            continue
        facts = now - timedelta(days=days, hours=3)
        submitted = facts + (
            timedelta(days=3) if late else timedelta(hours=1 if info_type == "urgent" else 5)
        )
        received = submitted + timedelta(minutes=40)
        edited = received + timedelta(hours=1)
        approved = edited + timedelta(minutes=45)
        sent = approved + timedelta(minutes=30)
        text = f"{title}。\n（演示）据{unit.name}报告，相关工作按计划推进，下一步将持续跟踪。"
        report = InfoReport.objects.create(
            unit=unit,
            author=unit.head,
            author_name=f"{unit.short_name or unit.name}信息员",
            info_type=info_type,
            title=title,
            text=text,
            facts_at=facts,
            status="published" if outlet in ("daily", "special") else "sent",
            outlet=outlet,
            signed_by=unit.head,
            signer_label=f"{unit.short_name or unit.name}负责人",
            received_at=received,
            received_by=editor,
            editor=editor,
            approved_by=deputy,
            submit_due_at=add_working_days(facts, 1) if info_type != "urgent" else facts + timedelta(hours=2),
            submitted_at=submitted,
            submit_late=late,
            edit_due_at=add_working_days(submitted, 1),
            edited_at=edited,
            approve_due_at=add_working_days(edited, 1),
            approved_at=approved,
            send_due_at=add_working_days(approved, 1),
            sent_at=sent,
            version=2,
        )
        InfoVersion.objects.create(
            report=report,
            number=1,
            title=title,
            text=text,
            editor_label=report.signer_label,
            note="单位报送",
            created_at=submitted,
        )
        InfoVersion.objects.create(
            report=report,
            number=2,
            title=title,
            text=text.replace("（演示）", ""),
            editor=editor,
            editor_label=editor.staff.name if hasattr(editor, "staff") else editor.username,
            note="信息科编辑",
            created_at=edited,
        )
        if outlet in ("daily", "special"):
            key = (outlet, sent.date().toordinal() if outlet == "daily" else report.pk)
            issue = issues.get(key)
            if issue is None:
                year = timezone.localtime(sent).year
                issue = BulletinIssue.objects.create(
                    kind=outlet,
                    year=year,
                    number=next_number(prefix=number_prefix(outlet), year=year),
                    title=title,
                    published_at=sent,
                    published_by=editor,
                )
                issues[key] = issue
            report.issue = issue
            report.save(update_fields=["issue"])
        for kind, leader in adoptions:
            Adoption.objects.create(
                report=report,
                kind=kind,
                adopted_on=(sent + timedelta(days=2)).date(),
                leader=leader,
                text="请有关部门认真研究落实。" if leader else "",
                recorded_by=editor,
            )
    return len(HISTORY)


@transaction.atomic
def populate(stdout=None) -> None:
    if InfoReport.objects.exists():
        return
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["deputy2", "staff07", "staff08"])
    }
    units = {
        u.code: u
        for u in Unit.objects.filter(
            code__in={h[0] for h in HISTORY} | {"town1", "town2", "town5", "jtj", "sthj"}
        )
    }
    if len(users) < 3 or "town1" not in units:
        return
    editor, chief, deputy = users["staff08"], users["staff07"], users["deputy2"]
    n = _history(units, editor, deputy)
    ranking_rebuild()  # the history was written directly: the ranking's summary recounted from it
    now = timezone.now()

    def draft(code, info_type, title, text, facts_at):
        unit = units[code]
        return services.report_create(
            actor=unit.head, info_type=info_type, title=title, text=text, facts_at=facts_at
        )

    # waiting for the information section (submitted an hour ago)
    r = draft(
        "jtj",
        "dynamic",
        "市交通局启动农村公路“畅返不畅”整治",
        "市交通局今日启动农村公路整治行动。",
        now - timedelta(hours=3),
    )
    services.report_sign(actor=units["jtj"].head, report=r)
    # being edited: received, one edit made
    r = draft(
        "town2",
        "experience",
        "东城镇推行“村民说事”制度",
        "东城镇每月固定一天村民说事。\n效果明显。",
        now - timedelta(days=1),
    )
    r = services.report_sign(actor=units["town2"].head, report=r)
    r = services.report_receive(actor=editor, report=r)
    services.report_edit(
        actor=editor,
        report=r,
        title="东城镇“村民说事”让群众事有处说",
        text="东城镇每月固定一天“村民说事”。\n半年来化解矛盾 37 件。",
    )
    # waiting for deputy2's approval, to go into 信息专报
    r = draft(
        "sthj",
        "problem",
        "部分河段汛后垃圾清理不及时",
        "汛后部分河段漂浮垃圾未及时清理。",
        now - timedelta(hours=20),
    )
    r = services.report_sign(actor=units["sthj"].head, report=r)
    r = services.report_receive(actor=chief, report=r)
    services.report_to_approval(actor=chief, report=r, outlet="special")
    # a draft of 城关镇
    draft(
        "town1",
        "dynamic",
        "城关镇冬季供暖准备工作就绪",
        "城关镇冬季供暖各项准备已就绪。",
        now - timedelta(hours=2),
    )
    # late: the facts two working days old, still not submitted
    facts = add_working_days(now - timedelta(days=5), 0) - timedelta(hours=8)
    draft("town5", "dynamic", "北坪乡召开秋冬季森林防火部署会", "北坪乡召开森林防火部署会。", facts)
    if stdout is not None:
        stdout.write(f"信息报送：近一月信息 {n} 条（已采用 6 条，批示 1 条），今日在办 5 条（1 条迟报）。")
