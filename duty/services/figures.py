"""Figures typed in a report's text that belong in its elements: money losses (元 / 万元 / 亿元) fill
损失情况, people (死亡 / 受伤 / 失联 / 遇难 / 被困 / 转移 … N 人) fill 伤亡情况 — only when the officer left
those elements empty, so nothing typed by a person is overwritten."""

import re

NUMBER = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
# "直接经济损失约 300 万元", "损失达1.2亿元", "造成经济损失5000元"
MONEY = re.compile(
    rf"[^，、。；;,\n]*?(?:损失|损毁|受损)[^，、。；;,\n]*?{NUMBER}\s*(?:亿元|万元|元)[^，、。；;,\n]*"
)
# "死亡2人", "3人受伤", "失联 1 人", "紧急转移群众120人"
PEOPLE = re.compile(
    rf"[^，、。；;,\n]*?(?:(?:死亡|遇难|受伤|重伤|轻伤|失联|失踪|被困|转移|疏散)[^，、。；;,\n]*?{NUMBER}\s*(?:人|名)"
    rf"|{NUMBER}\s*(?:人|名)[^，、。；;,\n]*?(?:死亡|遇难|受伤|重伤|轻伤|失联|失踪|被困|转移|疏散))[^，、。；;,\n]*"
)


def _found(pattern: re.Pattern, text: str) -> str:
    parts = [m.group(0).strip(" ：:") for m in pattern.finditer(text or "")]
    return "；".join(dict.fromkeys(p for p in parts if p))


def losses_in(text: str) -> str:
    return _found(MONEY, text)


def casualties_in(text: str) -> str:
    return _found(PEOPLE, text)


def fill_from_text(elements: dict, text: str, *, known: dict | None = None) -> dict:
    """``elements`` with 损失情况 / 伤亡情况 filled from ``text`` where neither the submission nor the
    report so far (``known``) has them."""
    known = known or {}
    out = dict(elements)
    for key, finder in (("losses", losses_in), ("casualties", casualties_in)):
        if not out.get(key) and not known.get(key):
            found = finder(text)
            if found:
                out[key] = found[:4000]
    return out
