"""GB/T 9704-2012 layout of official documents, written with python-docx.

A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm);
a document grid of 22 lines of 28 characters; body 3号 (16 pt) 仿宋, title 2号 (22 pt) 小标宋;
the issuing body's mark and the separator line in red; the number with the year in 〔〕;
the record block (版记) in 4号 (14 pt) between black lines; page numbers "— 1 —" in 4号.
East Asian font names are written to ``w:eastAsia`` so Word picks them for Chinese text.
"""

import io
import re

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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
# 225 mm / 22 lines, in twentieths of a point (Word's linePitch unit): 28.95 pt ≈ 579.
LINE_PITCH_TWIPS = round(TEXT_HEIGHT_MM / 25.4 * 72 * 20 / LINES_PER_PAGE)
# Word's charSpace: (character pitch − font size) in 1/4096 pt; 156 mm / 28 chars at 16 pt.
CHAR_SPACE = round((TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE - BODY_PT) * 4096)

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")


def _set_font(run, name: str, size_pt: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _paragraph(
    doc,
    text: str = "",
    *,
    font=FANGSONG,
    size=BODY_PT,
    align=None,
    bold=False,
    color=None,
    first_line_chars: int = 0,
    right_chars: int = 0,
):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    if align is not None:
        p.alignment = align
    if first_line_chars:
        fmt.first_line_indent = Pt(size * first_line_chars)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if text:
        _set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _border(paragraph, side: str, *, color: str, size_eighths: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), "1")
    el.set(qn("w:color"), color)
    bdr.append(el)


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    # Default run font of the document: 仿宋 3号.
    style = doc.styles["Normal"]
    style.font.name = FANGSONG
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), FANGSONG)
    _page_number_footer(section)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), SONGTI, RECORD_PT)
    run = p.add_run()
    _set_font(run, SONGTI, RECORD_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    _set_font(p.add_run(" —"), SONGTI, RECORD_PT)


def chinese_date(d) -> str:
    """成文日期 in Arabic numerals, no leading zeros: 2026年11月24日."""
    return f"{d.year}年{d.month}月{d.day}日"


def _body_paragraph(doc, line: str) -> None:
    text = line.strip()
    if _HEADING1.match(text):
        _paragraph(doc, text, font=HEITI, first_line_chars=2)
    elif _HEADING2.match(text):
        _paragraph(doc, text, font=KAITI, first_line_chars=2)
    else:
        _paragraph(doc, text, first_line_chars=2)


def render_docx(document) -> bytes:
    """The document as a GB/T 9704-2012 .docx (bytes).

    ``document`` needs: title, number, main_recipients, body, issuing_body, issued_on,
    classification (with get_classification_display), copy_to (optional).
    """
    doc = DocxDocument()
    _setup_page(doc)
    # 版头: 密级 (when not public), 发文机关标志 in red, 发文字号, red separator line.
    classification = getattr(document, "classification", "")
    if classification and classification != "public":
        _paragraph(doc, str(document.get_classification_display()), font=HEITI)
    _paragraph(doc)
    mark = (
        f"{document.issuing_body}文件"
        if document.doc_type in ("notice", "decision", "opinion")
        else (document.issuing_body)
    )
    _paragraph(doc, mark, font=XIAOBIAOSONG, size=30, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _paragraph(doc)
    number_p = _paragraph(doc, document.number or "", align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number_p, "bottom", color="FF0000", size_eighths=12)
    _paragraph(doc)
    # 主体: title, 主送机关, body, 署名 and 成文日期.
    _paragraph(doc, document.title, font=XIAOBIAOSONG, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc)
    if document.main_recipients:
        _paragraph(doc, document.main_recipients.rstrip("：:") + "：")
    for line in (document.body or "").splitlines():
        if line.strip():
            _body_paragraph(doc, line)
    _paragraph(doc)
    _paragraph(doc)
    _paragraph(doc, document.issuing_body, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    if document.issued_on:
        _paragraph(doc, chinese_date(document.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _paragraph(doc, "（此件发至收文单位）", align=WD_ALIGN_PARAGRAPH.LEFT, first_line_chars=2)
    # 版记: 抄送, 印发机关和印发日期, between black lines, 4号.
    _paragraph(doc)
    copy_to = getattr(document, "copy_to", "")
    first = _paragraph(doc, f"抄送：{copy_to}。" if copy_to else "", size=RECORD_PT, first_line_chars=1)
    _border(first, "top", color="000000", size_eighths=8)
    printed = _paragraph(doc, size=RECORD_PT, first_line_chars=1)
    _set_font(printed.add_run(document.issuing_body), FANGSONG, RECORD_PT)
    if document.issued_on:
        _set_font(printed.add_run(f"　　{chinese_date(document.issued_on)}印发"), FANGSONG, RECORD_PT)
    _border(printed, "bottom", color="000000", size_eighths=8)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_filename(document) -> str:
    base = (document.number or document.title or "document").replace("/", "-")
    return f"{base}.docx"
