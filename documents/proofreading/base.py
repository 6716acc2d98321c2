"""The finding a rule reports and the per-text context every rule shares (paragraph offsets and the spans
that punctuation rules must leave alone), computed once per ``proofread()`` call."""

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from django.utils.functional import Promise

Severity = Literal["error", "warning"]

# CJK ideographs (basic block, extension A, compatibility). 〇 is a numeral written in Chinese text.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇"
CJK_RE = re.compile(f"[{CJK}]")
# Full-width punctuation counts as Chinese context for a neighbouring half-width mark.
CJK_PUNCT = "，。、；：？！“”‘’（）【】〔〕《》〈〉…—·「」『』"
CHINESE_NUMERALS = "〇零一二三四五六七八九十百千万亿两"


@dataclass(frozen=True)
class Finding:
    """One problem in the text: ``text[start:end]`` is the offending span, ``suggestion`` its replacement
    ("" when there is none to offer). ``paragraph`` is the 0-based index of the line ("\\n"-split) it is
    in, or -1 for a finding in the title (then ``start``/``end`` are offsets into the title)."""

    start: int
    end: int
    paragraph: int
    rule: str
    rule_name: str | Promise
    severity: Severity
    message: str
    suggestion: str
    excerpt: str


@dataclass
class Context:
    text: str
    in_title: bool = False
    line_starts: list[int] = field(init=False)
    _mask: bytearray = field(init=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.line_starts = starts
        self._mask = bytearray(len(self.text))

    def lines(self):
        """(paragraph index, offset of its first character, its text) for every line."""
        text = self.text
        starts = self.line_starts
        for index, start in enumerate(starts):
            end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
            yield index, start, text[start:end]

    def paragraph_of(self, offset: int) -> int:
        if self.in_title:
            return -1
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_bounds(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def add_skip(self, start: int, end: int) -> None:
        """Mark a span (a URL, a document number, a heading prefix) that punctuation rules leave alone."""
        self._mask[start:end] = b"\x01" * (end - start)

    def skipped(self, offset: int) -> bool:
        return bool(self._mask[offset])

    def finding(
        self,
        start: int,
        end: int,
        *,
        rule: str,
        rule_name: str | Promise,
        severity: Severity,
        message: str,
        suggestion: str = "",
    ) -> Finding:
        line_start, line_end = self.line_bounds(start)
        excerpt = self.text[max(line_start, start - 12) : min(line_end, end + 12)]
        return Finding(
            start=start,
            end=end,
            paragraph=self.paragraph_of(start),
            rule=rule,
            rule_name=rule_name,
            severity=severity,
            message=message,
            suggestion=suggestion,
            excerpt=excerpt,
        )


def is_cjk(char: str) -> bool:
    return bool(char) and (CJK_RE.match(char) is not None or char in CJK_PUNCT)


def is_ideograph(char: str) -> bool:
    return bool(char) and CJK_RE.match(char) is not None
