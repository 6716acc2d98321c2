"""GB/T 9704-2012 layout of a ``DocumentLayout``, written with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm). 22 lines of
28 characters: every line is exactly 28.9 pt (225 mm / 22, a hair less), and every character of the 3号 (16 pt) body
is condensed by 0.25 pt so that 28 of them fit the 156 mm (442.2 pt) line. A character grid cannot do it
in LibreOffice: its pitch (15.79 pt) is below the 16 pt font, so each character took two cells. The
section's docGrid is a line grid only, which Word, WPS and LibreOffice all honour alike.

The 版记 is a frame anchored to the foot of the text block of the page the document ends on; page numbers
"— 1 —" in 4号 宋体 sit right on odd pages and left on even ones (even/odd footers), 7 mm under the block.
East Asian font names go to ``w:eastAsia`` so Word picks them for Chinese text; deploy/fontconfig maps
them to free fonts where the standard ones are missing.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .layout import DocumentLayout

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

BODY_PT = 16
TITLE_PT = 22
RECORD_PT = 14
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_HEIGHT_MM = 225
TEXT_WIDTH_MM = 156
TEXT_WIDTH_PT = TEXT_WIDTH_MM / 25.4 * 72  # 442.2
# 225 mm / 22 is 579.5 twentieths of a point; LibreOffice then fits only 21 lines (rounding at the foot),
# so one twentieth less: 578 (28.9 pt), 22 lines in 224.3 mm.
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM / 25.4 * 72 * 20 / LINES_PER_PAGE) - 1
LINE_PT = LINE_PITCH_TWIPS / 20
# Condensing in whole twentieths of a point: 16 − 0.25 = 15.75 pt a character, 28 × 15.75 = 441 ≤ 442.2.
CONDENSE_TWIPS = -5
CHAR_PT = BODY_PT + CONDENSE_TWIPS / 20
# 发文机关标志: its top edge 35 mm under the top of the text block (7.2.4).
MARK_TOP_PT = 35 / 25.4 * 72
MARK_MAX_PT = 42  # 15 mm a character at most
# 版头分隔线 4 mm under the number (7.2.7).
SEPARATOR_GAP_PT = 4 / 25.4 * 72
# Footer distance from the paper's edge: the "— 1 —" line's middle 7 mm under the text block (7.5).
FOOTER_MM = 25
# A line grid only: a character grid of 15.79 pt under a 16 pt font puts one character in two cells.
GRID_TYPE = "lines"
# 信函格式: the mark's top edge 30 mm under the paper's top edge (the header's distance).
LETTER_MARK_TOP_MM = 30
# The 版记's thin middle rule: a tab leader of underscores in a short line.
RULE_PT = 10
RULE_LINE_PT = 6


# Word refuses a file whose elements are out of the schema's order: what may follow each one we insert.
_RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_PPR_AFTER_FRAMEPR = ("w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *_PPR_AFTER_PBDR)


def _fonts(rpr, name: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _run(paragraph, text: str, font: str = FANGSONG, size: float = BODY_PT, *, color=None, condense=True):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    _fonts(rpr, font)
    if condense and size == BODY_PT:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)
    return run


def _paragraph(
    container,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: float = BODY_PT,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    color=None,
    first_chars: float = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    line_pt: float = LINE_PT,
    before_pt: float = 0,
):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(before_pt)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.widow_control = False
    p.alignment = align
    char = CHAR_PT if size == BODY_PT else size
    if first_chars:
        fmt.first_line_indent = Pt(char * first_chars)
    if left_chars:
        fmt.left_indent = Pt(char * left_chars)
    if right_chars:
        fmt.right_indent = Pt(char * right_chars)
    if text:
        _run(p, text, font, size, color=color)
    return p


def _border(paragraph, side: str, *, color: str, eighths: int, space_pt: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.insert_element_before(bdr, *_PPR_AFTER_PBDR)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(eighths))
    el.set(qn("w:space"), str(space_pt))
    el.set(qn("w:color"), color)
    bdr.append(el)


def _frame_at_foot(paragraph) -> None:
    """Put the paragraph in a frame at the bottom of the text block (版记, 7.4): consecutive paragraphs
    with the same frame properties share one frame in Word, WPS and LibreOffice."""
    ppr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    frame.set(qn("w:w"), str(round(TEXT_WIDTH_PT * 20)))
    frame.set(qn("w:wrap"), "around")
    frame.set(qn("w:vAnchor"), "margin")
    frame.set(qn("w:hAnchor"), "margin")
    frame.set(qn("w:xAlign"), "center")
    frame.set(qn("w:yAlign"), "bottom")
    frame.set(qn("w:hSpace"), "0")
    frame.set(qn("w:vSpace"), "0")
    ppr.insert_element_before(frame, *_PPR_AFTER_FRAMEPR)


def _right_tab(paragraph, right_chars: float, size: float) -> None:
    # Tab stops count from the page's left margin in .docx (not from the paragraph's indent).
    paragraph.paragraph_format.tab_stops.add_tab_stop(
        Pt(TEXT_WIDTH_PT - right_chars * size), WD_TAB_ALIGNMENT.RIGHT
    )


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number's rule sits 7 mm under the text block: the 14 pt line's bottom about 23 mm up.
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_MM)
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    grid.set(qn("w:type"), GRID_TYPE)
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    if grid.get(qn("w:charSpace")) is not None:
        del grid.attrib[qn("w:charSpace")]
    style = doc.styles["Normal"]
    style.font.name = FANGSONG
    style.font.size = Pt(BODY_PT)
    _fonts(style.element.get_or_add_rPr(), FANGSONG)
    doc.settings.odd_and_even_pages_header_footer = True
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        empty = header.paragraphs[0].paragraph_format
        empty.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        empty.line_spacing = Pt(2)
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:
    """ "— 1 —" in 4号 宋体, one character in from the outer edge (7.5)."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(RECORD_PT)
    else:
        fmt.left_indent = Pt(RECORD_PT)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(RECORD_PT * 1.25)
    _run(p, "— ", SONGTI, RECORD_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(p, "", SONGTI, RECORD_PT)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _run(p, " —", SONGTI, RECORD_PT)


def chinese_date(d) -> str:
    """成文日期 in Arabic numerals, no leading zeros: 2026年11月24日."""
    return f"{d.year}年{d.month}月{d.day}日"


def _heading_font(text: str) -> str:
    from .layout import heading_level

    return {1: HEITI, 2: KAITI}.get(heading_level(text), FANGSONG)


def _header(doc, layout: DocumentLayout) -> None:
    """版头: 份号, 密级★期限, 紧急程度 top left; the red mark 35 mm down; the number two lines under it
    (with 签发人 on the right for an upward document); the red rule 4 mm under the number."""
    marks = 0
    if layout.copy_no:
        _paragraph(doc, layout.copy_no, align=WD_ALIGN_PARAGRAPH.LEFT)
        marks += 1
    if layout.secrecy:
        _paragraph(doc, layout.secrecy, font=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT)
        marks += 1
    if layout.urgency:
        _paragraph(doc, layout.urgency, font=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT)
        marks += 1
    mark = layout.issuing_mark
    size = min(MARK_MAX_PT, int(TEXT_WIDTH_PT * 0.95 / max(len(mark), 1)))
    # The mark's line is one body line tall plus what the big type needs; its glyphs sit at the bottom.
    line = max(LINE_PT, size * 1.25)
    before = max(0.0, MARK_TOP_PT - marks * LINE_PT - (line - size))
    _paragraph(
        doc,
        mark,
        font=XIAOBIAOSONG,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
        line_pt=line,
        before_pt=before,
    )
    _paragraph(doc)
    _paragraph(doc)
    if layout.upward:
        number = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, left_chars=1)
        _run(number, layout.number)
        _right_tab(number, 1, CHAR_PT)
        _run(number, "\t签发人：")
        _run(number, "、".join(layout.signers), KAITI)
    else:
        number = _paragraph(doc, layout.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", color="FF0000", eighths=12, space_pt=round(SEPARATOR_GAP_PT - 4))


def _title(doc, layout: DocumentLayout) -> None:
    """Two lines under the rule, each line of the title centred; one line before the recipients."""
    if not layout.title_lines:
        return
    _paragraph(doc)
    _paragraph(doc)
    for line in layout.title_lines:
        _paragraph(doc, line, font=XIAOBIAOSONG, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc)


def _body(doc, layout: DocumentLayout) -> None:
    if not layout.title_lines:
        _paragraph(doc)
    if layout.main_recipients:
        _paragraph(doc, layout.main_recipients.rstrip("：:") + "：", align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in layout.body:
        _paragraph(doc, line, font=_heading_font(line), first_chars=2)
    if layout.attachments:
        _paragraph(doc)
        many = len(layout.attachments) > 1
        for i, name in enumerate(layout.attachments, start=1):
            label = f"{i}." if many else ""
            p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, left_chars=5 + (1 if many else 0))
            p.paragraph_format.first_line_indent = Pt(
                -CHAR_PT * (3 + (1 if many else 0)) if i == 1 else -CHAR_PT * (1 if many else 0)
            )
            _run(p, ("附件：" if i == 1 else "") + label + name)


def _signature(doc, layout: DocumentLayout) -> None:
    date = chinese_date(layout.date) if layout.date else ""
    if layout.seal:
        # 7.3.5.1: two lines for the seal, the body centred over the date, the date 4 characters in;
        # kept on one page with the date.
        _paragraph(doc).paragraph_format.keep_with_next = True
        _paragraph(doc).paragraph_format.keep_with_next = True
        if layout.signature:
            # Centred over the date: a longer name reaches further right than the date (7.3.5.1).
            shift = 4 + (_width(date) - _width(layout.signature)) / 2 if date else 4
            sig = _paragraph(doc, layout.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=max(shift, 0))
            sig.paragraph_format.keep_with_next = True
        if date:
            _paragraph(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    elif layout.signature or date:
        # 7.3.5.2: one line down, the body 2 characters in, the date under it moved 2 characters right.
        _paragraph(doc)
        # the date's first character two to the right of the name's; the date never nearer the edge than 2
        sig_right = 2 + max(0.0, _width(date) + 2 - _width(layout.signature)) if date else 2
        if layout.signature:
            sig = _paragraph(doc, layout.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=sig_right)
            sig.paragraph_format.keep_with_next = True
        if date:
            date_right = sig_right + _width(layout.signature) - 2 - _width(date) if layout.signature else 2
            _paragraph(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=date_right)
    if layout.note:
        note = layout.note if layout.note.startswith(("（", "(")) else f"（{layout.note}）"
        _paragraph(doc, note, first_chars=2)


def _width(text: str) -> float:
    """Printed width in characters: digits are half a character wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def _letter_record(doc, layout: DocumentLayout) -> None:
    """A letter's 版记 is its 抄送 alone, no rules, no 印发 line, at the foot of the last page (10.1)."""
    if not (layout.record and layout.copy_to):
        return
    p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, size=RECORD_PT, left_chars=1, right_chars=1)
    p.paragraph_format.left_indent = Pt(RECORD_PT * 4)
    p.paragraph_format.first_line_indent = Pt(-RECORD_PT * 3)
    _run(p, f"抄送：{layout.copy_to.rstrip('。.')}。", FANGSONG, RECORD_PT)
    _frame_at_foot(p)


def _record(doc, layout: DocumentLayout) -> None:
    """版记 (7.4): 抄送 and 印发机关/印发日期 in 4号 between a thick rule above and a thick rule below,
    a thin one between them, in a frame whose last rule lies on the bottom edge of the text block of
    the page where the document ends. (LibreOffice keeps paragraphs in one frame only when their borders
    are alike, so every paragraph carries the same top and bottom rule, drawn once around the group,
    and the thin middle rule is a tab leader.)"""
    if not layout.record:
        return
    paragraphs = []
    if layout.copy_to:
        copy_to = layout.copy_to.rstrip("。.")
        p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, size=RECORD_PT, left_chars=1, right_chars=1)
        p.paragraph_format.left_indent = Pt(RECORD_PT * 4)
        p.paragraph_format.first_line_indent = Pt(-RECORD_PT * 3)
        _run(p, f"抄送：{copy_to}。", FANGSONG, RECORD_PT)
        rule = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, size=RULE_PT, line_pt=RULE_LINE_PT)
        rule.paragraph_format.tab_stops.add_tab_stop(
            Pt(TEXT_WIDTH_PT), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )
        _run(rule, "\t", FANGSONG, RULE_PT)
        paragraphs += [p, rule]
    printed = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, size=RECORD_PT, left_chars=1)
    _run(printed, layout.printed_by, FANGSONG, RECORD_PT)
    if layout.printed_on:
        _right_tab(printed, 1, RECORD_PT)
        _run(printed, f"\t{chinese_date(layout.printed_on)}印发", FANGSONG, RECORD_PT)
    paragraphs.append(printed)
    for p in paragraphs:
        _frame_at_foot(p)
        _border(p, "top", color="000000", eighths=8)
        _border(p, "bottom", color="000000", eighths=8, space_pt=0)


def _double_rule(paragraph, side: str, val: str) -> None:
    """A red double rule 170 mm long (信函格式, 10.1): 7 mm beyond the text block on each side."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(-7)
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), "18")
    el.set(qn("w:space"), "2" if side == "bottom" else "0")
    el.set(qn("w:color"), "FF0000")
    bdr.append(el)
    ppr.insert_element_before(bdr, *_PPR_AFTER_PBDR)


def _letter_header(doc, layout: DocumentLayout) -> None:
    """信函格式 (10.1): the mark 30 mm from the paper's top edge in the first page's header, a red double
    rule (thick over thin) 4 mm under it; 份号/密级/紧急程度 on the left and the number on the right just
    under the rule; a red double rule (thin over thick) at the first page's foot and no page number there;
    the title two lines down."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Mm(LETTER_MARK_TOP_MM)
    header = section.first_page_header
    header.is_linked_to_previous = False
    mark = header.paragraphs[0]
    size = min(MARK_MAX_PT, int(TEXT_WIDTH_PT * 0.95 / max(len(layout.issuing_mark), 1)))
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.space_after = Pt(0)
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    mark.paragraph_format.line_spacing = Pt(size * 1.25)
    _run(mark, layout.issuing_mark, XIAOBIAOSONG, size, color=RED)
    _double_rule(mark, "bottom", "thickThinSmallGap")
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    foot = footer.paragraphs[0]
    foot.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    foot.paragraph_format.line_spacing = Pt(2)
    _double_rule(foot, "top", "thickThinSmallGap")
    marks = [m for m in (layout.copy_no, layout.secrecy, layout.urgency) if m]
    first = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    if marks:
        _run(first, marks[0], HEITI if marks[0] != layout.copy_no else FANGSONG)
    _right_tab(first, 0, CHAR_PT)
    _run(first, f"\t{layout.number}")
    for m in marks[1:]:
        _paragraph(doc, m, font=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT)


def render_layout(layout: DocumentLayout) -> bytes:
    doc = DocxDocument()
    _setup_page(doc)
    if layout.template == "letter":
        _letter_header(doc, layout)
    else:
        _header(doc, layout)
    _title(doc, layout)
    _body(doc, layout)
    _signature(doc, layout)
    if layout.template == "letter":
        _letter_record(doc, layout)
    else:
        _record(doc, layout)
    # The document's last paragraph anchors the 版记's frame on the page where the text ends.
    _paragraph(doc, line_pt=1)
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())


# The moment a zip entry was written: fixed, so that the same document renders the same bytes (its
# digest then finds the PDF already converted; documents/pdf.py).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _stable_zip(data: bytes) -> bytes:
    """The .docx package ``data`` with every entry dated ``_ZIP_TIME``; entries, order and content kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
