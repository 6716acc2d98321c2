"""The campaign summary (the "文字材料" of the speech) as a .docx through the documents renderer.

The summary is laid out as a ``DocumentLayout`` (an internal paper to the director: no number, no
签发人, no seal). No author of any item appears (the summary lists items by prompt and code, never by person)."""

from django.utils import timezone

from documents.rendering import DocumentLayout, break_title, render_docx
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


def summary_layout(summary: dict) -> DocumentLayout:
    """An internal summary for the director: the office's mark, no number, no 签发人, no seal."""
    now = timezone.localtime()
    campaign = summary["campaign"]
    office = office_setting("OFFICE_NAME", "市委办公室")
    title = f"关于“{campaign.title}”活动情况的汇总"
    return DocumentLayout(
        template="notice",
        issuing_mark=office,
        title_lines=break_title(title),
        main_recipients="办公室主任",
        body=tuple(line for line in summary_body(summary).splitlines() if line.strip()),
        signature=office,
        date=now.date(),
        seal=False,
        printed_by=office,
        printed_on=now.date(),
        filename=title,
    )


def summary_docx_bytes(summary: dict) -> bytes:
    return render_docx(summary_layout(summary))
