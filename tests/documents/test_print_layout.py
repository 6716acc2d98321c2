"""The printed page, read back: each template rendered to .docx, converted to PDF by LibreOffice headless
(documents.pdf) and measured with pdfplumber — 28 characters a full body line, 22 lines a full page, the
版记 on the last page's foot, page numbers outside, titles whole words, 签发人 on upward documents.

These need LibreOffice and the stand-in fonts (scripts/test installs them); they run, never skip. Each
template is converted once per module (about 2 s each)."""

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from documents.models import Classification, DocType, Document, Urgency
from documents.pdf import PdfUnavailable, _convert, docx_to_pdf, soffice_binary
from documents.rendering import DocumentLayout, render_docx
from office.org.models import Role
from tests.factories import make_user

from .factories import make_document

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (210 - 26) * MM  # the 156 mm text block
TOP, BOTTOM = 37 * MM, (297 - 35) * MM  # 225 mm
BODY_PT, CHAR_PT, RECORD_PT = 16, 15.75, 14

PARAGRAPH = (
    "为深入贯彻落实党中央关于安全生产的决策部署，进一步压紧压实各方责任，切实防范化解重大安全风险，"
    "经市委同意，现就有关事项通知如下，请各单位结合实际认真抓好落实，确保各项措施落地见效。"
)
LONG_TITLE = "关于进一步加强全市安全生产领域重大事故隐患排查整治工作的通知"


def _document(**kwargs) -> Document:
    fields = {
        "doc_type": DocType.NOTICE,
        "title": "关于做好年终工作的通知",
        "number": "市委办发〔2026〕12号",
        "main_recipients": "各县（市、区）委，市委各部委，市直各单位",
        "body": "\n".join([PARAGRAPH, "一、提高思想认识", PARAGRAPH]),
        "issuing_body": "中共某某市委办公室",
        "issued_on": date(2026, 11, 30),
        "classification": Classification.INTERNAL,
        "copy_to": "市人大常委会办公室，市政府办公室",
    }
    fields.update(kwargs)
    return Document(**fields)


SOURCES = {
    # three pages and more: the long notice carries every mark of the 版头
    "notice": lambda: _document(
        title=LONG_TITLE,
        body="\n".join(
            [PARAGRAPH, "一、提高思想认识", PARAGRAPH, "（一）压实主体责任", PARAGRAPH * 2, "1.建立工作台账"]
            + [PARAGRAPH] * 4
            + ["（1）按月报送", PARAGRAPH * 2, "二、加强组织领导"]
            + [PARAGRAPH] * 6
        ),
        classification=Classification.SECRET,
        secrecy_period="1年",
        urgency=Urgency.EXTRA_URGENT,
        copy_no="12",
        attachments_list="全市安全生产隐患排查整治工作台账\n隐患排查整治情况统计表",
        note="此件发至县级以上领导干部",
    ),
    "circular": lambda: _document(doc_type=DocType.CIRCULAR, title="关于全市督查工作情况的通报"),
    "report": lambda: _document(
        doc_type=DocType.REPORT,
        direction="up",
        title="关于某某项目建设进展情况的报告",
        main_recipients="市委",
        urgency=Urgency.URGENT,
        signers_label="张三",
        body="\n".join([PARAGRAPH] * 8),
    ),
    "request": lambda: _document(
        doc_type=DocType.REQUEST,
        direction="up",
        title="关于追加某某项目经费的请示",
        main_recipients="市委",
        signers_label="李四",
    ),
    "letter": lambda: _document(
        doc_type=DocType.LETTER, direction="parallel", title="关于商请支持某某工作的函"
    ),
    "minutes": lambda: _document(
        doc_type=DocType.MINUTES, title="市委办公室主任办公会议纪要", main_recipients="", copy_to=""
    ),
    "duty_info": lambda: DocumentLayout(
        template="duty_info",
        issuing_mark="值班信息",
        number="值班信息〔2026〕3号",
        title_lines=("关于某某路段交通事故的情况报告",),
        main_recipients="市委、市政府领导",
        body=(PARAGRAPH, "一、基本情况", PARAGRAPH),
        signature="中共某某市委办公室总值班室",
        date=date(2026, 11, 30),
        seal=False,
        printed_by="中共某某市委办公室总值班室",
        printed_on=date(2026, 11, 30),
    ),
}


@cache
def _pages(name: str) -> tuple:
    """(chars by page, rules by page, page count) of the template's PDF, converted once."""
    pdf = docx_to_pdf(render_docx(SOURCES[name]()))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = tuple(tuple(page.chars) for page in doc.pages)
        rules = tuple(tuple(page.lines + page.rects + page.curves) for page in doc.pages)
    return chars, rules


def _lines(chars, *, size=None, body_only=True) -> list[list[dict]]:
    """Characters grouped into printed lines (same baseline), top to bottom."""
    rows: dict[int, list[dict]] = {}
    for c in chars:
        if size is not None and round(c["size"]) != size:
            continue
        if body_only and c["bottom"] > BOTTOM + 1:
            continue
        rows.setdefault(round(c["bottom"]), []).append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def _text(line) -> str:
    return "".join(c["text"] for c in line)


def _all_text(name: str) -> str:
    return "".join(c["text"] for page in _pages(name)[0] for c in page)


def test_libreoffice_is_installed_for_these_tests():
    # scripts/test installs it; without it the suite must fail here, not skip the layout tests.
    assert soffice_binary() is not None, "LibreOffice (soffice) is missing: run scripts/test as root"


@pytest.mark.parametrize("name", ["notice", "report", "circular"])
def test_full_body_lines_hold_28_characters(name):
    full = []
    for page in _pages(name)[0]:
        for line in _lines(page, size=BODY_PT):
            if line[-1]["x1"] >= RIGHT - 3:  # runs to the right edge of the text block
                indent = round((line[0]["x0"] - LEFT) / CHAR_PT)
                full.append((indent, len(line), _text(line)))
    assert len(full) >= 5
    assert all(indent + count == 28 for indent, count, _ in full), full


def test_a_full_page_holds_22_body_lines_on_the_line_pitch():
    chars, _ = _pages("notice")
    assert len(chars) >= 3
    lines = _lines(chars[1], size=BODY_PT)  # page 2 is body text from top to bottom
    assert len(lines) == 22, [_text(x)[:6] for x in lines]
    assert lines[0][0]["top"] < TOP + 29 and lines[-1][0]["bottom"] <= BOTTOM
    # 28.9 pt from line to line (a heading's font sits a point higher or lower in its line)
    pitches = {round(b[0]["bottom"] - a[0]["bottom"], 1) for a, b in zip(lines, lines[1:], strict=False)}
    assert all(27.5 <= p <= 30.5 for p in pitches), pitches
    assert 28.5 <= (lines[-1][0]["bottom"] - lines[0][0]["bottom"]) / 21 <= 29.3


@pytest.mark.parametrize("name", ["notice", "report", "circular", "request", "duty_info"])
def test_record_block_sits_on_the_foot_of_the_last_page(name):
    chars, rules = _pages(name)
    last = _lines(chars[-1], size=RECORD_PT)
    printed = next(line for line in last if _text(line).endswith("印发"))
    # the 印发 line is the last line of the text block, its rule on the block's bottom edge
    assert BOTTOM - 29 < printed[0]["bottom"] <= BOTTOM
    bottom_rules = [r for r in rules[-1] if abs(r["top"] - BOTTOM) < 2 and r["x1"] - r["x0"] > 400]
    assert bottom_rules, "no rule of the text block's width on its bottom edge"
    if "抄送" in _all_text(name):
        copy_line = next(line for line in last if _text(line).startswith("抄送"))
        assert copy_line[0]["bottom"] < printed[0]["bottom"]


def test_page_numbers_sit_outside_odd_right_even_left():
    chars, _ = _pages("notice")
    for number, page in enumerate(chars, start=1):
        foot = [c for c in page if c["top"] > BOTTOM]
        text = "".join(c["text"] for c in sorted(foot, key=lambda c: c["x0"])).replace(" ", "")
        assert text == f"—{number}—"
        # 7 mm under the text block, one 4号 character in from the outer edge
        assert BOTTOM < min(c["top"] for c in foot) < BOTTOM + 12 * MM
        if number % 2:
            assert abs(max(c["x1"] for c in foot) - (RIGHT - RECORD_PT)) < 3
        else:
            assert abs(min(c["x0"] for c in foot) - (LEFT + RECORD_PT)) < 3


def test_title_lines_break_between_words():
    chars, _ = _pages("notice")
    title = [_text(line) for line in _lines(chars[0], size=22)]
    assert "".join(title) == LONG_TITLE
    assert len(title) == 2 and any("隐患" in line for line in title), title


def test_header_marks_copy_number_secrecy_and_urgency_top_left_and_no_internal():
    first = _lines(_pages("notice")[0][0], size=BODY_PT)
    assert [_text(line) for line in first[:3]] == ["000012", "秘密★1年", "特急"]
    assert all(abs(line[0]["x0"] - LEFT) < 2 for line in first[:3])
    report_first = [_text(line) for line in _lines(_pages("report")[0][0], size=BODY_PT)]
    assert report_first[0] == "加急"
    for name in SOURCES:
        assert "内部" not in _all_text(name), name


def test_red_mark_35mm_down_and_number_two_lines_under_it():
    first = _pages("notice")[0][0]
    mark = [c for c in first if c["non_stroking_color"] in ((1, 0, 0), [1, 0, 0]) and c["size"] > 30]
    assert "".join(c["text"] for c in mark) == "中共某某市委办公室文件"
    assert abs(min(c["top"] for c in mark) - (TOP + 35 * MM)) < 3 * MM


@pytest.mark.parametrize("name", ["report", "request"])
def test_upward_documents_print_signer_right_and_number_left(name):
    lines = _lines(_pages(name)[0][0], size=BODY_PT)
    number_line = next(line for line in lines if "〔" in _text(line))
    text = _text(number_line)
    assert text.startswith("市委办发〔2026〕12号") and "签发人：" in text
    assert abs(number_line[0]["x0"] - (LEFT + CHAR_PT)) < 2  # one character in from the left
    assert abs(number_line[-1]["x1"] - (RIGHT - CHAR_PT)) < 3  # the name one character in from the right


def test_downward_number_is_centred_and_no_signer():
    lines = _lines(_pages("circular")[0][0], size=BODY_PT)
    number_line = next(line for line in lines if "〔" in _text(line))
    middle = (number_line[0]["x0"] + number_line[-1]["x1"]) / 2
    assert abs(middle - (LEFT + RIGHT) / 2) < 3
    assert "签发人" not in _all_text("circular")


def test_seal_area_date_four_characters_in_and_body_centred_over_it():
    lines = _lines(_pages("circular")[0][-1], size=BODY_PT)
    date_line = next(line for line in lines if _text(line) == "2026年11月30日")
    signature = next(line for line in lines if _text(line) == "中共某某市委办公室")
    assert abs(date_line[-1]["x1"] - (RIGHT - 4 * CHAR_PT)) < 4
    centre = lambda line: (line[0]["x0"] + line[-1]["x1"]) / 2  # noqa: E731
    # centred on the renderer's estimate of the date's width (digits half a character): within one character
    assert abs(centre(signature) - centre(date_line)) < CHAR_PT
    # two lines for the seal between the body and the signature
    body_last = max(line[0]["bottom"] for line in lines if line[0]["bottom"] < signature[0]["bottom"])
    assert signature[0]["bottom"] - body_last > 2.5 * 28.9


def test_letter_format_mark_30mm_down_number_right_no_first_page_number_and_copy_to_at_the_foot():
    chars, rules = _pages("letter")
    first = chars[0]
    mark = [c for c in first if c["size"] > 30]
    assert "".join(c["text"] for c in mark) == "中共某某市委办公室"  # no 文件 on a letter
    assert abs(min(c["top"] for c in mark) - 30 * MM) < 2 * MM
    # red double rules 170 mm long: under the mark and at the first page's foot
    long_red = [
        r for r in rules[0] if r["x1"] - r["x0"] > 165 * MM and r["stroking_color"] in ((1, 0, 0), [1, 0, 0])
    ]
    assert len({round(r["top"]) for r in long_red}) >= 4
    number_line = next(line for line in _lines(first, size=BODY_PT) if "〔" in _text(line))
    assert _text(number_line) == "市委办发〔2026〕12号" and abs(number_line[-1]["x1"] - RIGHT) < 3
    assert not [c for c in first if c["top"] > BOTTOM and c["text"].isdigit()]  # no page number on page 1
    last = _lines(chars[-1], size=RECORD_PT)
    assert _text(last[-1]).startswith("抄送：") and BOTTOM - 29 < last[-1][0]["bottom"] <= BOTTOM
    assert "印发" not in _all_text("letter")


def test_minutes_print_their_own_mark_and_no_seal_area():
    text = _all_text("minutes")
    assert "市委办公室主任办公会议纪要" in text and "文件" not in text


def test_missing_libreoffice_is_a_clear_unavailable_error(settings):
    settings.DOCUMENTS_SOFFICE_BIN = "/nonexistent/soffice"
    with pytest.raises(PdfUnavailable, match="LibreOffice") as exc:
        docx_to_pdf(render_docx(DocumentLayout(issuing_mark="某某文件", body=("没有 LibreOffice。",))))
    assert exc.value.code == "unavailable" and exc.value.status_code == 503


def test_parallel_conversions_each_have_their_own_profile():
    layouts = [DocumentLayout(issuing_mark="某某文件", body=(f"第{i}份。",)) for i in (1, 2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda layout: _convert(render_docx(layout)), layouts))
    for i, pdf in enumerate(pdfs, start=1):
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            assert f"第{i}份。" in doc.pages[0].extract_text().replace(" ", "")


def test_a_conversion_over_its_time_is_stopped_with_everything_it_started(settings, tmp_path):
    # a stand-in for soffice that starts a child (as soffice starts soffice.bin) and hangs
    pid_file = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pid_file}\nwait\n")
    fake.chmod(0o755)
    settings.DOCUMENTS_SOFFICE_BIN = str(fake)
    settings.DOCUMENTS_PDF_TIMEOUT = 1
    with pytest.raises(PdfUnavailable, match="超时"):
        docx_to_pdf(render_docx(DocumentLayout(issuing_mark="某某文件", body=("超时。",))))
    # the child was killed with its parent: gone, or a zombie waiting for init to reap it
    stat = Path(f"/proc/{int(pid_file.read_text())}/stat")
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.django_db
def test_pdf_download_beside_the_docx_and_a_message_when_libreoffice_is_missing(client, settings):
    drafter = make_user(Role.STAFF)
    document = make_document(actor=drafter, title="关于做好年终工作的通知")
    client.force_login(drafter)
    resp = client.get(f"/documents/{document.pk}/pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF") and ".pdf" in resp["Content-Disposition"]
    settings.DOCUMENTS_SOFFICE_BIN = "/nonexistent/soffice"
    document.title = "关于做好年终工作的通知（二）"  # other bytes: not served from the recent conversions
    document.save(update_fields=["title"])
    resp = client.get(f"/documents/{document.pk}/pdf", follow=True)
    assert resp.redirect_chain == [(f"/documents/{document.pk}/", 302)]
    assert "未安装 LibreOffice" in resp.content.decode()
