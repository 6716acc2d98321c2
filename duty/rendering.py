"""The written urgent report as a .docx, laid out by the office's GB/T 9704-2012 renderer
(documents.rendering.render_docx), fed a plain object: the report is not a numbered document."""

from types import SimpleNamespace

from django.utils import timezone

from documents.rendering import render_docx
from office.conf import office_setting

from .models import REPORT_ELEMENTS, UpdateKind

HEADING_NUMBERS = "一二三四五六七八九十"


def _label(update) -> str:
    return update.label if update.kind != UpdateKind.FIRST else "首报"


def report_body(report) -> str:
    """The body: key facts first, one numbered heading per element; then each report's news in order."""
    received = timezone.localtime(report.received_at)
    source = report.source_unit.name if report.source_unit_id else "值班室接报"
    lines = [
        f"{received.year}年{received.month}月{received.day}日{received.hour}时{received.minute}分，"
        f"市委总值班室接{source}报告，现将有关情况报告如下："
    ]
    ordered = sorted(REPORT_ELEMENTS, key=lambda e: not e[2])
    n = 0
    for key, label, _key_fact in ordered:
        value = (report.elements or {}).get(key, "").strip()
        if not value:
            continue
        lines.append(f"{HEADING_NUMBERS[n] if n < 10 else n + 1}、{label}")
        lines.append(value)
        n += 1
    missing = [str(label) for key, label, _k in REPORT_ELEMENTS if not (report.elements or {}).get(key)]
    if missing:
        lines.append(f"{HEADING_NUMBERS[n] if n < 10 else n + 1}、待核实情况")
        lines.append("以下要素尚在核实，将及时续报：" + "、".join(missing) + "。")
        n += 1
    history = [u for u in report.updates.all() if u.text.strip()]
    if history:
        lines.append(f"{HEADING_NUMBERS[n] if n < 10 else n + 1}、报告经过")
        for u in history:
            at = timezone.localtime(u.received_at)
            lines.append(f"（{_label(u)}，{at.month}月{at.day}日{at.hour}时{at.minute}分）{u.text.strip()}")
    return "\n".join(lines)


def report_docx(report) -> bytes:
    now = timezone.localtime()
    doc = SimpleNamespace(
        doc_type="report",
        title=f"关于{report.title}的{'情况终报' if report.status == 'closed' else '情况报告'}",
        number=f"值班信息〔{now.year}〕{report.pk}号",
        main_recipients="市委、市政府领导",
        body=report_body(report),
        issuing_body=f"{office_setting('OFFICE_NAME', '市委办公室')}总值班室",
        issued_on=now.date(),
        classification="internal",
        get_classification_display=lambda: "内部",
        copy_to="",
    )
    return render_docx(doc)
