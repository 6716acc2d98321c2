"""The campaign summary (the "文字材料" of the speech) as a .docx through the documents renderer.

Kept in one function (``summary_docx_bytes``) so the call is easy to adapt when the renderer takes its
plain dataclass layout: today it is fed an object with the attributes it reads, as duty/rendering.py does.
No author of any item appears (the summary lists items by prompt and code, never by person)."""

from types import SimpleNamespace

from django.utils import timezone

from documents.rendering import render_docx
from office.conf import office_setting

NUMBERS = "一二三四五六七八九十"


def summary_body(summary: dict) -> str:
    campaign, stats, progress = summary["campaign"], summary["stats"], summary["progress"]
    deadline = timezone.localtime(campaign.deadline)
    lines = [
        f"本次“{campaign.title}”活动于{timezone.localtime(campaign.opened_at):%Y年%m月%d日}发起，"
        f"截止{deadline:%Y年%m月%d日 %H:%M}，每人至少{campaign.min_per_person}条。"
        f"应参加{progress.participants}人，已达到最低条数{progress.done}人，"
        f"共收到意见{stats['total']}条（其中匿名{stats['anonymous']}条，逾期{stats['late']}条，合并重复{stats['merged']}条）。",
        f"{NUMBERS[0]}、按题目统计",
    ]
    lines += [f"{p['text']}：{p['count']}条。" for p in stats["by_prompt"]]
    lines.append(f"{NUMBERS[1]}、主要问题")
    lines += [f"{t['name']}：{t['count']}条。" for t in summary["top_tags"]] or ["尚未分类。"]
    lines.append(f"{NUMBERS[2]}、主任标记的意见")
    lines += [f"（{i}）{s.text}" for i, s in enumerate(summary["marked"], 1)] or ["无。"]
    lines.append(f"{NUMBERS[3]}、答复情况")
    lines.append(
        f"已答复{stats['replied']}条，按期答复{stats['on_time']}条；作者满意{stats['satisfied']}条，不满意{stats['unsatisfied']}条。"
    )
    for group in summary["replies"]:
        lines.append(f"{group['label']}：{len(group['items'])}条。")
        lines += [f"（{i}）{s.text[:80]}——{s.reply_text[:120]}" for i, s in enumerate(group["items"], 1)]
    return "\n".join(lines)


def summary_docx_bytes(summary: dict) -> bytes:
    now = timezone.localtime()
    campaign = summary["campaign"]
    doc = SimpleNamespace(
        doc_type="report",
        title=f"关于“{campaign.title}”活动情况的汇总",
        number=f"意见汇总〔{now.year}〕{campaign.pk}号",
        main_recipients="办公室主任",
        body=summary_body(summary),
        issuing_body=office_setting("OFFICE_NAME", "市委办公室"),
        issued_on=now.date(),
        classification="internal",
        get_classification_display=lambda: "内部",
        copy_to="",
    )
    return render_docx(doc)
