"""What a GB/T 9704-2012 page prints, as plain data: ``DocumentLayout``.

The writer (``documents.rendering.writer``) lays out a ``DocumentLayout`` and nothing else, so the duty
room's 值班信息, a campaign summary or any later app renders without a Document row: build a layout (or
map a Document with ``layout_from_document``) and call ``render_docx``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

# The templates the writer knows; every other document type prints as a notice (下行文 with 文件 mark).
TEMPLATES = ("notice", "circular", "report", "request", "letter", "minutes", "duty_info")
_TEMPLATE_BY_TYPE = {
    "notice": "notice",
    "circular": "circular",
    "report": "report",
    "request": "request",
    "letter": "letter",
    "minutes": "minutes",
}
# Only these are 密级 marks (GB/T 9704 7.2.2); 公开 and 内部 print nothing.
SECRECY_LABELS = {"secret": "秘密", "confidential": "机密", "top_secret": "绝密"}
URGENCY_LABELS = {"urgent": "加急", "extra_urgent": "特急"}
UPWARD_TYPES = frozenset({"report", "request", "motion"})

# 2号 title: 156 mm holds 20 characters of 22 pt.
TITLE_CHARS_PER_LINE = 20
_LINE_START_FORBIDDEN = set("，。、；：？！）》」』”’%…—·")


@dataclass(frozen=True)
class DocumentLayout:
    """Every element a GB/T 9704-2012 document prints, already in the words that print."""

    template: str = "notice"
    issuing_mark: str = ""  # 发文机关标志 in red (…文件, …会议纪要, 值班信息)
    title_lines: tuple[str, ...] = ()
    number: str = ""  # 发文字号
    copy_no: str = ""  # 份号, printed as 6 digits
    secrecy: str = ""  # 密级和保密期限: "秘密★1年" (never 内部)
    urgency: str = ""  # 紧急程度: 特急 / 加急
    upward: bool = False  # 上行文: number left, 签发人 right
    signers: tuple[str, ...] = ()
    main_recipients: str = ""
    body: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    signature: str = ""  # 发文机关署名
    date: datetime.date | None = None  # 成文日期
    seal: bool = True  # leave the seal area (7.3.5.1) or sign without a seal (7.3.5.2)
    note: str = ""  # 附注, printed only when set
    copy_to: str = ""  # 抄送机关 (organisations), printed as held
    printed_by: str = ""  # 印发机关
    printed_on: datetime.date | None = None  # 印发日期
    record: bool = True  # print the 版记 at the foot of the last page
    filename: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


def copy_number(value: str) -> str:
    """份号 in six digits: "12" → "000012"; blank stays blank."""
    value = (value or "").strip()
    return value.zfill(6) if value.isdigit() else value


def secrecy_mark(classification: str, period: str = "") -> str:
    label = SECRECY_LABELS.get(classification or "", "")
    if not label:
        return ""
    return f"{label}★{period.strip()}" if (period or "").strip() else label


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


def _words(text: str) -> list[str]:
    words = [w for w in _jieba().cut(text, HMM=False) if w]
    # Punctuation never opens a line: glue it to the word before.
    merged: list[str] = []
    for w in words:
        if merged and w[0] in _LINE_START_FORBIDDEN:
            merged[-1] += w
        else:
            merged.append(w)
    return merged


def break_title(title: str, width: int = TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    """The title in as few lines as fit ``width`` characters, broken only between words, with lines as
    even as possible (a trapezoid or diamond, never a long line over a stub)."""
    title = (title or "").strip()
    if len(title) <= width:
        return (title,) if title else ()
    words = _words(title)
    n = len(words)
    # best[i] = (lines, worst deviation², breaks) for words[i:]
    best: dict[int, tuple[int, float, tuple[int, ...]]] = {n: (0, 0.0, ())}
    target = len(title) / -(-len(title) // width)
    for i in range(n - 1, -1, -1):
        options = []
        length = 0
        for j in range(i + 1, n + 1):
            length += len(words[j - 1])
            if length > width and j > i + 1:
                break
            lines, cost, breaks = best[j]
            options.append((lines + 1, cost + (length - target) ** 2, (j, *breaks)))
        best[i] = min(options)
    lines, starts = [], 0
    for end in best[0][2]:
        lines.append("".join(words[starts:end]))
        starts = end
    return tuple(lines)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _signer_names(document) -> tuple[str, ...]:
    label = (getattr(document, "signers_label", "") or "").strip()
    if label:
        return tuple(n for n in re.split(r"[、，,\s]+", label) if n)
    signer = getattr(document, "signer", None)
    if signer is not None:
        name = (signer.get_full_name() or signer.get_username()).strip()
        return (name,) if name else ()
    return ()


def issuing_mark(template: str, issuing_body: str, title: str = "") -> str:
    if template == "minutes":
        return title if title.endswith("纪要") else f"{issuing_body}会议纪要"
    if template == "letter":
        return issuing_body
    if template == "duty_info":
        return "值班信息"
    return f"{issuing_body}文件"


def layout_from_document(document) -> DocumentLayout:
    """A Document (or any object with its field names) as the page it prints."""
    doc_type = getattr(document, "doc_type", "notice") or "notice"
    template = _TEMPLATE_BY_TYPE.get(doc_type, "notice")
    direction = getattr(document, "direction", "") or ("up" if doc_type in UPWARD_TYPES else "down")
    upward = direction == "up"
    title = (getattr(document, "title", "") or "").strip()
    given = [line.strip() for line in (getattr(document, "title_lines", "") or "").splitlines()]
    title_lines = tuple(line for line in given if line) or break_title(title)
    issuing_body = getattr(document, "issuing_body", "") or ""
    mark = issuing_mark(template, issuing_body, title)
    if template == "minutes" and mark == title:
        title_lines = ()  # the meeting's name is the mark
    body = tuple(line.strip() for line in (getattr(document, "body", "") or "").splitlines() if line.strip())
    attachments = tuple(
        line.strip()
        for line in (getattr(document, "attachments_list", "") or "").splitlines()
        if line.strip()
    )
    issued_on = _date(getattr(document, "issued_on", None))
    return DocumentLayout(
        template=template,
        issuing_mark=mark,
        title_lines=title_lines,
        number=getattr(document, "number", "") or "",
        copy_no=copy_number(getattr(document, "copy_no", "")),
        secrecy=secrecy_mark(
            getattr(document, "classification", ""), getattr(document, "secrecy_period", "")
        ),
        urgency=URGENCY_LABELS.get(getattr(document, "urgency", "") or "", ""),
        upward=upward,
        signers=_signer_names(document) if upward else (),
        main_recipients=getattr(document, "main_recipients", "") or "",
        body=body,
        attachments=attachments,
        signature=issuing_body,
        date=issued_on,
        seal=template != "minutes",
        note=(getattr(document, "note", "") or "").strip(),
        copy_to=(getattr(document, "copy_to", "") or "").strip(),
        printed_by=(getattr(document, "printed_by", "") or "").strip() or issuing_body,
        printed_on=_date(getattr(document, "printed_on", None)) or issued_on,
        filename=(getattr(document, "number", "") or title or "document"),
    )


_HEADING_1 = re.compile(r"^[一二三四五六七八九十百]+、")
_HEADING_2 = re.compile(r"^（[一二三四五六七八九十百]+）")
_HEADING_3 = re.compile(r"^\d+[.．]")
_HEADING_4 = re.compile(r"^[（(]\d+[)）]")


def heading_level(text: str) -> int:
    """一、 → 1 (黑体), （一） → 2 (楷体), 1. → 3 and （1） → 4 (仿宋); 0 for a plain paragraph."""
    for level, pattern in enumerate((_HEADING_1, _HEADING_2, _HEADING_3, _HEADING_4), start=1):
        if pattern.match(text):
            return level
    return 0
