"""The written urgent report as 值班信息: a GB/T 9704-2012 .docx from the documents renderer, fed a
``DocumentLayout`` (the report is not a Document row) and numbered from the documents' number register
(值班信息〔2026〕3号) the first time it is printed; the number is kept on the report from then on."""

from django.db import transaction
from django.utils import timezone

from documents.rendering import DocumentLayout, break_title, render_docx
from documents.services import format_number, next_number
from office.conf import office_setting

from .models import REPORT_ELEMENTS, UpdateKind, UrgentReport

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


@transaction.atomic
def report_info_number(report: UrgentReport) -> str:
    """The report's 值班信息 number: the next of the register's (prefix, year) counter the first time,
    the same number every time after (taken under the report's row lock, so two prints take one)."""
    if report.info_number:
        return report.info_number
    locked = UrgentReport.objects.select_for_update().get(pk=report.pk)
    if not locked.info_number:
        prefix = office_setting("DUTY_INFO_NUMBER_PREFIX", "值班信息")
        year = timezone.localdate().year
        locked.info_number = format_number(prefix, year, next_number(prefix=prefix, year=year))
        locked.save(update_fields=["info_number"])
    report.info_number = locked.info_number
    return report.info_number


def report_layout(report: UrgentReport) -> DocumentLayout:
    """What the 值班信息 prints: its own red mark, the registered number, no seal (signed by the duty room)."""
    today = timezone.localdate()
    duty_room = f"{office_setting('OFFICE_NAME', '市委办公室')}总值班室"
    title = f"关于{report.title}的{'情况终报' if report.status == 'closed' else '情况报告'}"
    number = report_info_number(report)
    return DocumentLayout(
        template="duty_info",
        issuing_mark="值班信息",
        number=number,
        title_lines=break_title(title),
        main_recipients="市委、市政府领导",
        body=tuple(line for line in report_body(report).splitlines() if line.strip()),
        signature=duty_room,
        date=today,
        seal=False,
        printed_by=duty_room,
        printed_on=today,
        filename=number,
    )


def report_docx(report: UrgentReport) -> bytes:
    return render_docx(report_layout(report))
