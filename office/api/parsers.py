"""The API's request parsers: DRF's, with every failure a Chinese ``parse_error`` and JSON nesting bounded.

Python's json module recurses once per nesting level, so ``[[[[…]]]]`` 1,000 deep raises RecursionError
(a 500) inside DRF's JSONParser. ``json_too_deep`` finds the depth cheaply before anything is parsed: it
drops the strings, keeps only the brackets, and removes empty pairs ``()`` level by level with
``bytes.replace`` (C speed), at most ``MAX_JSON_DEPTH`` times. office.api.middleware runs the same check
for every JSON body under /api/, so views that still name DRF's own parser classes are covered too.
"""

import json
import re

from django.conf import settings
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))

# Python's json messages, for the Chinese one the client gets (the position is added to it).
_JSON_MESSAGES = {
    "Expecting value": gettext_lazy("此处应为一个值"),
    "Expecting property name enclosed in double quotes": gettext_lazy("此处应为双引号括起的属性名"),
    "Expecting ':' delimiter": gettext_lazy("此处应为冒号“:”"),
    "Expecting ',' delimiter": gettext_lazy("此处应为逗号“,”"),
    "Unterminated string starting at": gettext_lazy("字符串没有结束"),
    "Invalid control character at": gettext_lazy("字符串中含有控制字符（如 NUL），须转义"),
    "Invalid \\escape": gettext_lazy("无效的转义序列"),
    "Invalid \\uXXXX escape": gettext_lazy("无效的 \\uXXXX 转义"),
    "Extra data": gettext_lazy("JSON 值之后还有多余的内容"),
}


class OfficeParseError(exceptions.ParseError):
    """A ParseError whose message is already the office's (office.api.errors keeps it as it is)."""

    office = True


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects more than ``limit`` deep. Malformed text (unclosed
    strings or brackets) may answer either way: the parser refuses it anyway."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", data).translate(_BRACKETS, _NOT_BRACKETS)
    for _level in range(limit):
        if b"()" not in brackets:
            break
        brackets = brackets.replace(b"()", b"")
    else:
        if b"()" in brackets:
            return True  # a pair still nested inside ``limit`` others
    # What is left has no empty pair: ")))" or "(((" (unbalanced), whose depth a short loop tells.
    depth = 0
    for byte in brackets:
        depth += 1 if byte == 40 else -1
        if depth < 0:
            return False
        if depth > limit:
            return True
    return False


def too_deep_error() -> OfficeParseError:
    return OfficeParseError(
        _("JSON 嵌套层数过多：数组和对象最多嵌套 {limit} 层。").format(limit=MAX_JSON_DEPTH)
    )


def _reject_constant(name: str):
    raise ValueError(f"Out of range float values are not JSON compliant: {name}")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        request = getattr(parser_context.get("request"), "_request", None)
        try:
            text = raw.decode(encoding)
        except LookupError:
            raise OfficeParseError(
                _("不支持的字符编码“{encoding}”。").format(encoding=encoding[:40])
            ) from None
        except UnicodeDecodeError as exc:
            raise OfficeParseError(
                _("请求体不是有效的 {encoding} 编码文本（第 {position} 个字节有误）。").format(
                    encoding=encoding.upper()[:40], position=exc.start + 1
                )
            ) from None
        checked = getattr(request, "office_json_depth_checked", False)  # by office.api.middleware
        data = raw if encoding.lower().replace("-", "").replace("_", "") == "utf8" else text.encode()
        if not checked and json_too_deep(data):
            raise too_deep_error()
        try:
            return json.loads(text, parse_constant=_reject_constant if self.strict else None)
        except RecursionError:
            raise too_deep_error() from None
        except json.JSONDecodeError as exc:
            reason = _JSON_MESSAGES.get(exc.msg, "")
            where = {"line": exc.lineno, "column": exc.colno, "reason": reason}
            raise OfficeParseError(
                _("请求体不是有效的 JSON：第 {line} 行第 {column} 列，{reason}。").format(**where)
                if reason
                else _("请求体不是有效的 JSON：第 {line} 行第 {column} 列。").format(**where)
            ) from None
        except ValueError:  # NaN or Infinity
            raise OfficeParseError(_("请求体不是有效的 JSON：不接受 NaN 或 Infinity。")) from None


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError:
            raise OfficeParseError(
                _("multipart/form-data 表单无法解析：请检查 Content-Type 中的 boundary 与请求体是否一致。")
            ) from None
        except MultiPartParserError:
            raise OfficeParseError(_("multipart/form-data 表单无法解析。")) from None


class FormParser(parsers.FormParser):
    """DRF's (Django's QueryDict): undecodable bytes are replaced, too many fields answer 400."""
