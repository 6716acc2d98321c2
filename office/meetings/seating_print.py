"""A seating plan as a Word document (.docx): a landscape A4 page, the rostrum (主席台) at the top as rows
of name cards (the centre seat or seats marked), the audience rows under it.

The page reads as the audience sees the room: the rostrum at the top, left and right as the audience
facing it sees them (a :class:`~office.meetings.seating.Seat`'s ``index`` 0 is the leftmost column). The
rostrum's back row is printed first so that its front row sits next to the audience; the audience's first
row comes right under it. A note under the plan says so. PDF: ``documents.pdf.docx_to_pdf`` on the bytes.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .seating import ZONE_AUDIENCE, ZONE_ROSTRUM, Seat

FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
LABEL_FONT = "黑体"
CENTRE_FILL = "D9D9D9"


def _run(paragraph, text: str, *, font: str = FONT, size: float = 12, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    return run


def _paragraph(doc, text: str, *, font: str = FONT, size: float = 12, bold: bool = False):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, font=font, size=size, bold=bold)
    return p


def _shade(cell, fill: str) -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _centre_indexes(count: int) -> set[int]:
    return {count // 2} if count % 2 else {count // 2 - 1, count // 2}


def _rows(seats: Sequence[Seat], zone: str) -> dict[int, list[Seat]]:
    rows: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        if seat.zone == zone:
            rows[seat.row].append(seat)
    return {row: sorted(items, key=lambda s: s.index) for row, items in sorted(rows.items())}


def _table(doc, row_seats: list[Seat], *, width: int, mark_centre: bool, card_mm: float):
    """One row of seats as a one-row table of name cards; columns by ``index`` (gaps stay empty)."""
    table = doc.add_table(rows=1, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column in table.columns:
        column.width = Mm(card_mm)
    centre = _centre_indexes(len(row_seats)) if mark_centre else set()
    by_index = {seat.index: seat for seat in row_seats}
    for col in range(width):
        cell = table.rows[0].cells[col]
        cell.width = Mm(card_mm)
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        seat = by_index.get(col)
        if seat is None:
            continue
        is_centre = col in centre
        _run(p, seat.name, size=14 if mark_centre else 11, bold=is_centre)
        if is_centre:
            _shade(cell, CENTRE_FILL)
            note = cell.add_paragraph()
            note.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(note, _("（居中）"), size=9)
    return table


def render_seating_docx(*, title: str, seats: list[Seat], subtitle: str = "") -> bytes:
    """The plan as .docx bytes: title, subtitle, "主席台", the rostrum rows (back row first, centre seats
    shaded and marked 居中), the audience rows in order from the front, and the note on the view."""
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    usable_mm = 297 - 30

    _paragraph(doc, title, font=TITLE_FONT, size=20)
    if subtitle:
        _paragraph(doc, subtitle, size=12)

    rostrum = _rows(seats, ZONE_ROSTRUM)
    audience = _rows(seats, ZONE_AUDIENCE)
    _paragraph(doc, _("主席台"), font=LABEL_FONT, size=14, bold=True)
    for row_no in sorted(rostrum, reverse=True):  # the back row at the top, the front row nearest the hall
        row = rostrum[row_no]
        width = max(s.index for s in row) + 1
        _table(doc, row, width=width, mark_centre=True, card_mm=min(40.0, usable_mm / width))
        if row_no:
            _paragraph(doc, "", size=6)

    if audience:
        _paragraph(doc, _("会场（观众席）"), font=LABEL_FONT, size=12, bold=True)
        width = max(s.index for r in audience.values() for s in r) + 1
        for row_no in sorted(audience):
            _table(
                doc, audience[row_no], width=width, mark_centre=False, card_mm=min(30.0, usable_mm / width)
            )

    _paragraph(
        doc,
        _(
            "说明：观众席面向主席台（图中上方）。图中左右为观众面向主席台时所见的左右，"
            "与主席台上就座领导的左右相反。灰底为居中座位。"
        ),
        size=10,
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
