"""A side-by-side diff of two versions' texts: paragraphs matched first (difflib on lines), then the
characters of each changed pair marked with <del>/<ins>. Output is HTML-escaped."""

from difflib import SequenceMatcher
from html import escape

from django.utils.safestring import mark_safe


def _chars(a: str, b: str) -> tuple[str, str]:
    left, right = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = escape(a[i1:i2]), escape(b[j1:j2])
        if tag == "equal":
            left.append(old)
            right.append(new)
        else:
            if old:
                left.append(f"<del>{old}</del>")
            if new:
                right.append(f"<ins>{new}</ins>")
    return "".join(left), "".join(right)


def side_by_side(old: str, new: str) -> list[dict]:
    """Rows of {tag, left_no, right_no, left, right}; ``left``/``right`` are safe HTML."""
    a, b = (old or "").split("\n"), (new or "").split("\n")
    rows: list[dict] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                text = escape(a[i1 + k])
                rows.append(
                    {"tag": tag, "left_no": i1 + k + 1, "right_no": j1 + k + 1, "left": text, "right": text}
                )
            continue
        n = max(i2 - i1, j2 - j1)
        for k in range(n):
            la = a[i1 + k] if i1 + k < i2 else None
            rb = b[j1 + k] if j1 + k < j2 else None
            if la is not None and rb is not None:
                left, right = _chars(la, rb)
                row_tag = "replace"
            elif la is not None:
                left, right, row_tag = f"<del>{escape(la)}</del>", "", "delete"
            else:
                left, right, row_tag = "", f"<ins>{escape(rb or '')}</ins>", "insert"
            rows.append(
                {
                    "tag": row_tag,
                    "left_no": i1 + k + 1 if la is not None else None,
                    "right_no": j1 + k + 1 if rb is not None else None,
                    "left": left,
                    "right": right,
                }
            )
    for row in rows:
        row["left"], row["right"] = mark_safe(row["left"]), mark_safe(row["right"])  # noqa: S308 (escaped above)
    return rows
