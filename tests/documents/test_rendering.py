import io
import re
from datetime import date

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

from documents.rendering import LINE_PITCH_TWIPS, render_docx

from .factories import make_document

pytestmark = pytest.mark.django_db


def _east_asian(run):
    rfonts = run._element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia"))


def _read(doc):
    return DocxDocument(io.BytesIO(render_docx(doc)))


def test_docx_has_gbt9704_page_margins_and_grid():
    docx = _read(make_document())
    section = docx.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert abs(section.top_margin.mm - 37) < 0.1
    assert abs(section.bottom_margin.mm - 35) < 0.1
    assert abs(section.left_margin.mm - 28) < 0.1
    assert abs(section.right_margin.mm - 26) < 0.1
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == LINE_PITCH_TWIPS
    # 22 lines fill the 225 mm text block
    assert abs(int(grid.get(qn("w:linePitch"))) / 20 * 22 * 25.4 / 72 - 225) < 1


def test_docx_title_is_22pt_xiaobiaosong_and_body_16pt_fangsong():
    document = make_document()
    docx = _read(document)
    title = next(p for p in docx.paragraphs if p.text == document.title)
    assert title.runs[0].font.size.pt == 22
    assert _east_asian(title.runs[0]) == "方正小标宋简体"
    body = next(p for p in docx.paragraphs if p.text == "某某项目进度滞后。")
    assert body.runs[0].font.size.pt == 16
    assert _east_asian(body.runs[0]) == "仿宋_GB2312"
    heading = next(p for p in docx.paragraphs if p.text == "一、基本情况")
    assert _east_asian(heading.runs[0]) == "黑体"


def test_docx_issuing_mark_is_red_and_number_has_year_in_brackets_without_leading_zero():
    document = make_document()
    docx = _read(document)
    mark = next(
        p for p in docx.paragraphs if p.text.startswith("中共某某市委办公室") and p.runs[0].font.color.rgb
    )
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in docx.paragraphs if "〔" in p.text)
    assert re.fullmatch(r"督办通〔\d{4}〕[1-9]\d*号", number.text)
    assert "第" not in number.text
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"


def test_docx_date_in_arabic_numerals_and_record_block_14pt():
    document = make_document()
    document.issued_on = date(2026, 3, 5)
    docx = _read(document)
    texts = [p.text for p in docx.paragraphs]
    assert "2026年3月5日" in texts
    printed = next(p for p in docx.paragraphs if p.text.endswith("印发"))
    assert all(r.font.size.pt == 14 for r in printed.runs)
