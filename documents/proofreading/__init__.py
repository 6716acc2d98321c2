"""A rule-based proofreader for official Chinese (公文校对).

``proofread(text, title=...)`` returns every finding, sorted by position (the title's first, with
``paragraph == -1`` and offsets into the title); ``has_errors(findings)`` says whether any of them must be
fixed (or overridden with a reason) before the draft goes for sign-off. The rules are in ``rules.py``
(one function each, codes listed there and in docs/documents.md); the office's word list in ``terms.py``.
"""

from collections.abc import Iterable

from .base import Context, Finding
from .rules import BODY_RULES, RULE_NAMES, TITLE_RULES, mark_protected

__all__ = ["Finding", "RULE_NAMES", "has_errors", "proofread"]


def _run(ctx: Context, rules) -> list[Finding]:
    mark_protected(ctx)
    found: list[Finding] = []
    for rule in rules:
        found.extend(rule(ctx))
    return found


def proofread(text: str, *, title: str | None = None) -> list[Finding]:
    # offsets point into the text as given (a textarea's CRLF stays; "\r" counts as blank at a line's end)
    text = text or ""
    findings: list[Finding] = []
    if title:
        findings.extend(_run(Context(title, in_title=True), TITLE_RULES))
    findings.extend(_run(Context(text), BODY_RULES))
    findings.sort(key=lambda f: (f.paragraph != -1, f.start, f.end, f.rule))
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
