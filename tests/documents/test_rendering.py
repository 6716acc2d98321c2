import io
import re
from datetime import date

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

from documents.models import Classification, DocType, Document, Urgency
from documents.rendering import (
    LINE_PITCH_TWIPS,
    DocumentLayout,
    break_title,
    docx_filename,
    layout_from_document,
    render_docx,
)

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
    # a line grid only: a character grid of 15.79 pt under the 16 pt font put one character in two cells
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:charSpace")) is None
    assert int(grid.get(qn("w:linePitch"))) == LINE_PITCH_TWIPS
    # 22 lines fill the 225 mm text block (a hair less, so that LibreOffice keeps the 22nd)
    assert 224 < int(grid.get(qn("w:linePitch"))) / 20 * 22 * 25.4 / 72 <= 225


def test_docx_title_is_22pt_xiaobiaosong_and_body_16pt_fangsong():
    document = make_document()
    docx = _read(document)
    title = next(p for p in docx.paragraphs if p.text and document.title.startswith(p.text))
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


# --- the layout: what prints, mapped from a Document (no LibreOffice needed) -----------------------------


def _texts(data: bytes) -> list[str]:
    docx = DocxDocument(io.BytesIO(data))
    return [p.text for p in docx.paragraphs]


def _doc(**kwargs) -> Document:
    fields = {
        "doc_type": DocType.NOTICE,
        "title": "关于做好年终工作的通知",
        "number": "市委办发〔2026〕3号",
        "main_recipients": "各县（市、区）委",
        "body": "正文。",
        "issuing_body": "中共某某市委办公室",
        "issued_on": date(2026, 11, 30),
    }
    fields.update(kwargs)
    return Document(**fields)


def test_internal_is_no_secrecy_mark_and_only_secret_levels_print_with_their_period():
    assert layout_from_document(_doc(classification=Classification.INTERNAL)).secrecy == ""
    assert layout_from_document(_doc(classification=Classification.PUBLIC)).secrecy == ""
    layout = layout_from_document(_doc(classification=Classification.SECRET, secrecy_period="1年"))
    assert layout.secrecy == "秘密★1年"
    assert layout_from_document(_doc(classification=Classification.CONFIDENTIAL)).secrecy == "机密"
    assert "内部" not in "".join(_texts(render_docx(_doc(classification=Classification.INTERNAL))))


def test_urgency_and_copy_number_print_top_left_in_the_standard_order():
    layout = layout_from_document(_doc(urgency=Urgency.EXTRA_URGENT, copy_no="12", classification="secret"))
    assert (layout.copy_no, layout.secrecy, layout.urgency) == ("000012", "秘密", "特急")
    texts = _texts(render_docx(layout))
    assert texts[:3] == ["000012", "秘密", "特急"]


def test_upward_document_prints_signer_and_downward_does_not():
    report = layout_from_document(_doc(doc_type=DocType.REPORT, direction="up", signers_label="张三、李四"))
    assert report.upward and report.signers == ("张三", "李四")
    number_line = next(t for t in _texts(render_docx(report)) if "〔" in t)
    assert number_line == "市委办发〔2026〕3号\t签发人：张三、李四"
    notice = layout_from_document(_doc(signers_label="张三"))
    assert not notice.upward
    assert not any("签发人" in t for t in _texts(render_docx(notice)))


def test_note_prints_only_when_set_and_copy_to_as_held():
    without = _texts(render_docx(_doc(copy_to="市政府办公室")))
    assert not any("此件发至" in t for t in without)
    assert "抄送：市政府办公室。" in without
    with_note = _texts(render_docx(_doc(note="此件发至县级以上领导干部")))
    assert "（此件发至县级以上领导干部）" in with_note


def test_title_is_broken_between_words_never_inside_one():
    title = "关于进一步加强全市安全生产领域重大事故隐患排查整治工作的通知"
    lines = break_title(title)
    assert "".join(lines) == title and len(lines) == 2
    assert all(len(line) <= 20 for line in lines)
    assert any("隐患" in line for line in lines), lines  # not 隐/患
    assert layout_from_document(
        _doc(title=title, title_lines="关于进一步加强\n隐患排查的通知")
    ).title_lines == (
        "关于进一步加强",
        "隐患排查的通知",
    )


def test_a_layout_renders_without_a_document_row():
    layout = DocumentLayout(
        template="duty_info",
        issuing_mark="值班信息",
        number="值班信息〔2026〕1号",
        title_lines=("关于某某情况的报告",),
        body=("情况。",),
        signature="市委总值班室",
        date=date(2026, 11, 30),
        seal=False,
    )
    texts = _texts(render_docx(layout))
    assert "值班信息" in texts and "值班信息〔2026〕1号" in texts and "2026年11月30日" in texts
    assert docx_filename(layout) == "值班信息〔2026〕1号.docx"


def test_the_same_document_renders_the_same_bytes_a_moment_later(monkeypatch):
    """The .docx is a function of the document alone (no zip entry dated 'now'), so the PDF made from
    it is found by its digest instead of being converted again for each reader."""
    import time
    import zipfile

    document = make_document()
    first = render_docx(document)
    real = time.time()
    monkeypatch.setattr(time, "time", lambda: real + 3 * 3600)
    monkeypatch.setattr(time, "localtime", lambda *a: time.gmtime(real + 3 * 3600))
    assert render_docx(document) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "word/document.xml" in package.namelist()
    document.title = document.title + "（修订）"
    assert render_docx(document) != first
