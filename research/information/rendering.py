"""What 信息报送 prints: a bulletin issue as a document (DocumentLayout → .docx, PDF through
documents.pdf) and the ranking as the Excel sheet offices circulate."""

from io import BytesIO

from django.utils import timezone

from documents.rendering import DocumentLayout, break_title, render_docx
from office.conf import office_setting

from .selectors import Period, RankRow

RANKING_COLUMNS = ("单位", "报送数", "采用数", "采用率", "批示数", "得分", "排名")


def issue_layout(issue, reports) -> DocumentLayout:
    """An issue of 信息专报 / 每日要情: the office's mark over the bulletin's name, the issue number, then
    each report: its title, its unit, its (edited) text."""
    office = office_setting("OFFICE_NAME", "市委办公室")
    published = timezone.localtime(issue.published_at).date()
    body: list[str] = []
    for i, r in enumerate(reports, 1):
        body.append(f"{i}. {r.title}")
        body += [line for line in r.text.splitlines() if line.strip()]
        body.append(f"（{r.unit.name}报送）")
    return DocumentLayout(
        template="notice",
        issuing_mark=f"{office}{issue.get_kind_display()}",
        title_lines=break_title(issue.title),
        number=f"〔{issue.year}〕第{issue.number}期",
        body=tuple(body),
        signature=office,
        date=published,
        seal=False,
        printed_by=office,
        printed_on=published,
        filename=f"{issue.get_kind_display()}{issue.year}年第{issue.number}期",
    )


def issue_docx_bytes(issue, reports) -> bytes:
    return render_docx(issue_layout(issue, reports))


def ranking_rows(rows: list[RankRow]) -> list[tuple]:
    """The sheet's rows, exactly the page's numbers."""
    return [(r.name, r.submitted, r.adopted, r.rate_label, r.instructions, r.score, r.rank) for r in rows]


def ranking_xlsx(rows: list[RankRow], period: Period) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "信息报送排名"
    ws.append([f"{period.label}信息报送采用情况"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RANKING_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(RANKING_COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in ranking_rows(rows):
        ws.append(list(row))
    ws.column_dimensions["A"].width = 28
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
