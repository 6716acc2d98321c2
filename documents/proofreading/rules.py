"""The proofreader's rules, one function each. A rule takes the shared ``Context`` and yields findings; each
is one pass of a compiled regular expression (or one scan) over the text, so a 10,000-character draft
costs a few milliseconds per rule.

Rule codes are stable (the UI, the override record and the tests use them):

    halfwidth_punctuation  unmatched_bracket  repeated_word  heading_numbering  heading_sequence
    document_number  approximate_number_comma  double_approximation
    title_guanyu_dui  title_doubled_type  title_punctuation  date_format  word_list
"""

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import CHINESE_NUMERALS, CJK, Context, Finding, is_cjk, is_ideograph
from .terms import get_matcher

RULE_NAMES = {
    "halfwidth_punctuation": gettext_lazy("半角标点"),
    "unmatched_bracket": gettext_lazy("引号括号不配对"),
    "repeated_word": gettext_lazy("字词重复"),
    "heading_numbering": gettext_lazy("层次序号"),
    "heading_sequence": gettext_lazy("层次序号不连续"),
    "document_number": gettext_lazy("发文字号"),
    "approximate_number_comma": gettext_lazy("概数误用顿号"),
    "double_approximation": gettext_lazy("概数重复"),
    "title_guanyu_dui": gettext_lazy("标题“关于对”"),
    "title_doubled_type": gettext_lazy("标题文种重复"),
    "title_punctuation": gettext_lazy("标题标点"),
    "date_format": gettext_lazy("日期写法"),
    "word_list": gettext_lazy("易错词"),
}


def _finding(ctx: Context, start: int, end: int, rule: str, severity, message: str, suggestion: str = ""):
    return ctx.finding(
        start,
        end,
        rule=rule,
        rule_name=RULE_NAMES[rule],
        severity=severity,
        message=message,
        suggestion=suggestion,
    )


def _left(text: str, pos: int) -> str:
    """The nearest non-blank character before pos on the same line ("" at the line's start)."""
    pos -= 1
    while pos >= 0 and text[pos] in " \t\u3000\r":
        pos -= 1
    return "" if pos < 0 or text[pos] == "\n" else text[pos]


def _right(text: str, pos: int) -> str:
    """The nearest non-blank character after pos on the same line ("" at the line's end)."""
    pos += 1
    n = len(text)
    while pos < n and text[pos] in " \t\u3000\r":
        pos += 1
    return "" if pos >= n or text[pos] == "\n" else text[pos]


# --- preparation: spans the punctuation rules leave alone -----------------------------------------------

URL_EMAIL_RE = re.compile(r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
DOC_NUMBER_RE = re.compile(
    r"(?P<open>[\[【(（〔﹝［])(?P<year>(?:19|20)\d{2})(?P<close>[\]】)）〕﹞］])[ \t]*(?P<di>第)?(?P<num>\d{1,5})号"
)


def mark_protected(ctx: Context) -> None:
    text = ctx.text
    for match in URL_EMAIL_RE.finditer(text):
        ctx.add_skip(match.start(), match.end())
    for match in DOC_NUMBER_RE.finditer(text):
        ctx.add_skip(match.start(), match.end())
    for _index, start, line in ctx.lines():
        parsed = _heading(line)
        if parsed:
            ctx.add_skip(start, start + parsed[2].end())


# --- 1. half-width punctuation in Chinese text -------------------------------------------------------------

FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
HALF_MARK_RE = re.compile(r"\.{3,}|[,;:?!.]")
PAREN_PAIR_RE = re.compile(r"\(([^()\n]{0,80})\)")
PAREN_RE = re.compile(r"[()]")
DQUOTE_PAIR_RE = re.compile(r'"([^"\n]{1,80})"')
DQUOTE_RE = re.compile(r'"')
SQUOTE_PAIR_RE = re.compile(r"'([^'\n]{1,40})'")
IDEOGRAPH_RE = re.compile(f"[{CJK}]")


def _left_past_closers(text: str, pos: int) -> str:
    pos -= 1
    while pos >= 0 and text[pos] in " \t\u3000\r)\"'":
        pos -= 1
    return "" if pos < 0 or text[pos] == "\n" else text[pos]


def _number_after_chinese(text: str, pos: int) -> bool:
    start = pos
    while start > 0 and text[start - 1].isascii() and text[start - 1].isdigit():
        start -= 1
    return start < pos and start > 0 and is_ideograph(text[start - 1])


def halfwidth_punctuation(ctx: Context, *, marks: bool = True) -> Iterator[Finding]:
    """, . ; : ? ! ( ) " ' in Chinese text → ，。；：？！（）“”‘’. Numbers (3.5, 1,000), times (9:30), URLs,
    e-mail addresses, English phrases, document numbers and line-start heading numbers are left alone
    (the heading rule reports "一." itself). ``marks=False`` checks only brackets and quotes (titles: the
    title rule reports their punctuation marks)."""
    text = ctx.text
    rule = "halfwidth_punctuation"
    mark_messages: dict[str, str] = {}  # one translation per mark, not one per finding
    if marks:
        for match in HALF_MARK_RE.finditer(text):
            pos = match.start()
            if ctx.skipped(pos):
                continue
            mark = match.group()
            left, right = _left(text, pos), _right(text, match.end() - 1)
            if left in ")\"'":  # （附表）. or (附表), : look past the closing bracket or quote
                left = _left_past_closers(text, pos)
            if len(mark) > 1:  # "..." / "......"
                if is_cjk(left) or is_cjk(right):
                    yield _finding(ctx, pos, match.end(), rule, "error", _("中文里的省略号应为“……”。"), "……")
                continue
            if mark == ".":
                # a full stop: after Chinese (or a number in Chinese, 见附件2.), ending the line or
                # followed by Chinese; never inside a number (3.5) or an English abbreviation
                chinese = (is_cjk(left) or _number_after_chinese(text, pos)) and (
                    right == "" or is_cjk(right)
                )
            else:
                # a comma, colon …: Chinese on either side (Hello!” is English inside Chinese quotes)
                chinese = is_cjk(left) or is_ideograph(right)
            if chinese:
                full = FULLWIDTH[mark]
                yield _finding(
                    ctx,
                    pos,
                    pos + 1,
                    rule,
                    "error",
                    mark_messages.get(full)
                    or mark_messages.setdefault(full, _("中文里应使用全角标点“%(full)s”。") % {"full": full}),
                    full,
                )
    paired: set[int] = set()
    for match in PAREN_PAIR_RE.finditer(text):
        start, end = match.start(), match.end() - 1
        paired.update((start, end))
        if ctx.skipped(start):
            continue
        before = text[start - 1] if start else ""
        if IDEOGRAPH_RE.search(match.group(1)) or is_cjk(before):
            message = _("中文里应使用全角括号“（）”。")
            yield _finding(ctx, start, start + 1, rule, "error", message, "（")
            yield _finding(ctx, end, end + 1, rule, "error", message, "）")
    for match in PAREN_RE.finditer(text):
        pos = match.start()
        if pos in paired or ctx.skipped(pos):
            continue
        if is_cjk(_left(text, pos)) or is_cjk(_right(text, pos)):
            full = "（" if match.group() == "(" else "）"
            message = _("中文里应使用全角括号“%(full)s”。") % {"full": full}
            yield _finding(ctx, pos, pos + 1, rule, "error", message, full)
    quoted: set[int] = set()
    for match in DQUOTE_PAIR_RE.finditer(text):
        start, end = match.start(), match.end() - 1
        quoted.update((start, end))
        if ctx.skipped(start) or not IDEOGRAPH_RE.search(match.group(1)):
            continue
        message = _("中文里应使用全角引号“”。")
        yield _finding(ctx, start, start + 1, rule, "error", message, "“")
        yield _finding(ctx, end, end + 1, rule, "error", message, "”")
    for match in DQUOTE_RE.finditer(text):
        pos = match.start()
        if pos in quoted or ctx.skipped(pos):
            continue
        left, right = _left(text, pos), _right(text, pos)
        if is_cjk(left) or is_cjk(right):
            full = "“" if right and not is_ideograph(left) else "”"
            message = _("中文里应使用全角引号“%(full)s”。") % {"full": full}
            yield _finding(ctx, pos, pos + 1, rule, "error", message, full)
    for match in SQUOTE_PAIR_RE.finditer(text):
        start, end = match.start(), match.end() - 1
        if ctx.skipped(start) or not IDEOGRAPH_RE.search(match.group(1)):
            continue
        message = _("中文里应使用全角引号‘’。")
        yield _finding(ctx, start, start + 1, rule, "error", message, "‘")
        yield _finding(ctx, end, end + 1, rule, "error", message, "’")


# --- 2. unmatched quotes and brackets ------------------------------------------------------------------------

OPENERS = {"“": "”", "‘": "’", "（": "）", "(": ")", "【": "】", "〔": "〕", "[": "]", "《": "》", "〈": "〉"}
CLOSERS = {close: open_ for open_, close in OPENERS.items()}
BRACKET_NAMES = {
    "“": gettext_lazy("左引号"),
    "”": gettext_lazy("右引号"),
    "‘": gettext_lazy("左单引号"),
    "’": gettext_lazy("右单引号"),
    "（": gettext_lazy("左括号"),
    "）": gettext_lazy("右括号"),
    "(": gettext_lazy("左括号"),
    ")": gettext_lazy("右括号"),
    "【": gettext_lazy("左方头括号"),
    "】": gettext_lazy("右方头括号"),
    "〔": gettext_lazy("左六角括号"),
    "〕": gettext_lazy("右六角括号"),
    "[": gettext_lazy("左方括号"),
    "]": gettext_lazy("右方括号"),
    "《": gettext_lazy("左书名号"),
    "》": gettext_lazy("右书名号"),
    "〈": gettext_lazy("左单书名号"),
    "〉": gettext_lazy("右单书名号"),
}
BRACKET_RE = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS)) + "\n]")


def unmatched_bracket(ctx: Context) -> Iterator[Finding]:
    """Quotes “” ‘’ and brackets （） () 【】 〔〕 [] 《》 〈〉 must pair up within a paragraph, nested
    properly. A closer with no opener is reported; an opener left open when its paragraph ends, or when an
    outer pair closes over it (《…（…》), is reported."""
    rule = "unmatched_bracket"
    stack: list[tuple[str, int]] = []
    open_count = dict.fromkeys(OPENERS, 0)  # how many of each opener the stack holds: a stray closer
    found: list[Finding] = []  # is decided without walking the stack (no O(n²) on 《《《…】】】)

    messages: dict[str, str] = {}  # one translation per bracket kind, not one per finding

    def open_left(char: str, pos: int) -> Finding:
        if char not in messages:
            messages[char] = _("%(name)s（%(char)s）没有配对的%(other)s。") % {
                "name": BRACKET_NAMES[char],
                "char": char,
                "other": BRACKET_NAMES[OPENERS[char]],
            }
        return _finding(ctx, pos, pos + 1, rule, "error", messages[char])

    for match in BRACKET_RE.finditer(ctx.text):
        char, pos = match.group(), match.start()
        if char == "\n":
            found.extend(open_left(c, p) for c, p in stack)
            stack.clear()
            open_count = dict.fromkeys(OPENERS, 0)
            continue
        if ctx.skipped(pos):
            continue
        if char in OPENERS:
            stack.append((char, pos))
            open_count[char] += 1
            continue
        opener = CLOSERS[char]
        if open_count[opener]:
            while True:  # pops what the closer closes over, each stack entry at most once
                top, top_pos = stack.pop()
                open_count[top] -= 1
                if top == opener:
                    break
                found.append(open_left(top, top_pos))
        else:
            if char not in messages:
                messages[char] = _("%(name)s（%(char)s）前面没有配对的%(other)s。") % {
                    "name": BRACKET_NAMES[char],
                    "char": char,
                    "other": BRACKET_NAMES[opener],
                }
            found.append(_finding(ctx, pos, pos + 1, rule, "error", messages[char]))
    found.extend(open_left(c, p) for c, p in stack)
    yield from found


# --- 3. repeated characters and words --------------------------------------------------------------------

# Reduplications that are words, not slips. AA forms are only checked for the function characters below
# (a content character doubles across a word boundary all the time: 人民民主, 学习习近平, 会议议程), but
# the list is consulted for every candidate so the office can rely on it.
LEGIT_REDUPLICATIONS = frozenset(
    """常常 天天 人人 看看 一一 年年 户户 家家 层层 事事 处处 个个 时时 刚刚 渐渐 往往 仅仅 稍稍 默默 纷纷
    频频 屡屡 步步 样样 件件 条条 项项 种种 点点 代代 世世 重重 多多 好好 慢慢 早早 明明 悄悄 轻轻 紧紧
    牢牢 深深 谈谈 想想 试试 说说 听听 走走 问问 议议 等等 哈哈 谢谢 统统 通通 恰恰 偏偏 常常 久久 岁岁
    研究研究 讨论讨论 学习学习 商量商量 考虑考虑 调查调查 了解了解 休息休息 整理整理 分析分析 交流交流
    沟通沟通 比较比较 检查检查 锻炼锻炼 总结总结 琢磨琢磨 打听打听 介绍介绍 准备准备 收拾收拾
    不了了之 的的确确 是是非非 实实在在 扎扎实实 认认真真 清清楚楚 明明白白 方方面面 兢兢业业 勤勤恳恳
    踏踏实实 老老实实 原原本本 堂堂正正 大大小小 许许多多 上上下下 时时刻刻 家家户户 条条框框 干干净净
    完完全全 平平安安 轰轰烈烈 点点滴滴 一五一十 彻彻底底 从从容容 将将就就 小时了了""".split()
)
# Characters that never legitimately stand twice in a row, except in the words above or before/after
# the characters given (为了了解: 了 then 了解; 现在在北京: 现在 then 在).
FUNCTION_REPEATS: dict[str, tuple[str, str]] = {
    # char: (characters that may precede the pair, characters that may follow it)
    "的": ("目有别标", "确"),
    "了": ("", "解结然却如无得"),
    "在": ("现存所实内外自正好潜健不还都也仍又总", ""),
    "被": ("棉", ""),
    "将": ("大", ""),
    "从": ("服自随侍盲顺", ""),
    "并": ("合兼吞归", ""),
    "也": ("", ""),
    "而": ("", ""),
    "或": ("", ""),
    "之": ("", ""),
    "其": ("尤极与及究若莫", ""),
    "于": ("", ""),
    "为": ("行作认成因以称视分改更转化所人无有营施难广大不即是事", ""),
    "与": ("参给赋授施", ""),
    "们": ("", ""),
    "我": ("", ""),
    "你": ("", ""),
    "他": ("", ""),
    "这": ("", ""),
    "很": ("", ""),
}
DOC_TYPES = "决议|决定|命令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|纪要|函"
DOC_TYPE_RE = re.compile(DOC_TYPES)
SINGLE_REPEAT_RE = re.compile("([" + "".join(FUNCTION_REPEATS) + r"])\1+")
MULTI_REPEAT_RE = re.compile(f"([{CJK}]{{2,4}})\\1")


def _legit_reduplication(text: str, start: int, end: int) -> bool:
    for length in (2, 3, 4, 8):
        for window_start in range(max(0, end - length), start + 1):
            if text[window_start : window_start + length] in LEGIT_REDUPLICATIONS:
                return True
    return False


def repeated_word(ctx: Context) -> Iterator[Finding]:
    """的的, 了了, 我们我们 … → one. Reduplicated words (常常, 研究研究, 一个一个, 扎扎实实) and numbers
    (二〇二二) are not repeats."""
    text = ctx.text
    rule = "repeated_word"
    taken: list[tuple[int, int]] = []
    for match in MULTI_REPEAT_RE.finditer(text):
        unit = match.group(1)
        start, end = match.start(), match.end()
        if len(set(unit)) == 1 or all(c in CHINESE_NUMERALS for c in unit):
            continue
        if unit[0] == "一" and len(unit) == 2:  # 一个一个, 一步一步
            continue
        if ctx.in_title and DOC_TYPE_RE.fullmatch(unit.removeprefix("的")):
            continue  # 通知的通知, 报告报告: title_doubled_type judges these
        if _legit_reduplication(text, start, end):
            continue
        taken.append((start, end))
        message = _("“%(unit)s”重复了。") % {"unit": unit}
        yield _finding(ctx, start, end, rule, "error", message, unit)
    for match in SINGLE_REPEAT_RE.finditer(text):
        start, end = match.start(), match.end()
        if any(s <= start < e for s, e in taken):
            continue
        char = match.group(1)
        may_precede, may_follow = FUNCTION_REPEATS[char]
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if (before and before in may_precede) or (after and after in may_follow):
            continue
        if _legit_reduplication(text, start, end):
            continue
        message = _("“%(char)s”重复了。") % {"char": char}
        yield _finding(ctx, start, end, rule, "error", message, char)


_UNITS = (
    "个月|小时|分钟|星期|公里|千米|公斤|平方米|天|日|个|人|名|位|次|岁|年(?!级)|周|家|户|件|条|项|本|页|元|"
    "万|千|百|成|倍|米|斤|里|辆|台|座|所|遍|回|趟|种|句|步|只|张|份|篇|间|处|亩|吨"
)
APPROX_COMMA_RE = re.compile(
    f"(?<![一二三四五六七八九十百千万、第])(?P<a>[一二三四五六七八九十]{{1,2}})、(?P<b>[一二三四五六七八九十]{{1,2}})(?=(?:{_UNITS}))"
)


# --- 4. heading numbering ------------------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(numeral: str) -> int | None:
    """一 … 九十九 as written in heading numbers; None for anything else."""
    if not numeral:
        return None
    if numeral in _CN_DIGITS:
        return _CN_DIGITS[numeral]
    tens, _sep, units = numeral.partition("十")
    if not _sep or (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
        return None
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(units, 0)


def to_chinese_number(value: int) -> str:
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, units = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


_CN = "[一二三四五六七八九十]+"
_INDENT = r"[ \t\u3000]*"
HEADING_RES = (
    (1, re.compile(f"{_INDENT}(?P<num>{_CN})(?P<punct>[、.．,，:：])")),
    (2, re.compile(f"{_INDENT}(?P<open>[（(])(?P<num>{_CN})(?P<close>[）)])(?P<punct>[、，,.．]?)")),
    (3, re.compile(f"{_INDENT}(?P<num>\\d{{1,3}})(?P<punct>[.．](?!\\d)|[、，,](?!\\d))")),
    (4, re.compile(f"{_INDENT}(?P<open>[（(]?)(?P<num>\\d{{1,3}})(?P<close>[）)])(?P<punct>[、，,.．]?)")),
)
ATTACHMENT_RE = re.compile(f"{_INDENT}附件[:：]{_INDENT}(?P<num>\\d{{1,3}})[.．]")
LEVEL_FORMS = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}


def _heading(line: str):
    """(level, value, match) for a line that starts with a heading number, right or wrong, else None."""
    for level, pattern in HEADING_RES:
        match = pattern.match(line)
        if match:
            if level == 1 and APPROX_COMMA_RE.match(line, match.start("num")):
                return None  # 三、五天内完成: an approximation (reported by its rule), not heading 三
            number = match.group("num")
            value = int(number) if number.isdigit() else chinese_number(number)
            if value is not None:
                return level, value, match
    return None


def heading_numbering(ctx: Context) -> Iterator[Finding]:
    """Heading numbers and the punctuation after them: 一、 （一） 1. （1）. Wrong: 一. 一， (一) （一）、
    1、 （1）、 1)."""
    rule = "heading_numbering"
    for _index, line_start, line in ctx.lines():
        parsed = _heading(line)
        if parsed is None:
            continue
        level, _value, match = parsed
        number = match.group("num")
        start = line_start + match.start("num") - (1 if level in (2, 4) and match.group("open") else 0)
        end = line_start + match.end()
        if level == 1:
            right = f"{number}、"
            wrong = match.group("punct") != "、"
        elif level == 3:
            right = f"{number}."
            wrong = match.group("punct") not in (".", "．")
        else:
            right = f"（{number}）"
            wrong = (match.group("open"), match.group("close"), match.group("punct")) != ("（", "）", "")
        if wrong:
            message = _("第%(level)s层序号应写作“%(form)s”（如“%(right)s”），不用“%(wrong)s”。") % {
                "level": to_chinese_number(level),
                "form": LEVEL_FORMS[level],
                "right": right,
                "wrong": ctx.text[start:end],
            }
            yield _finding(ctx, start, end, rule, "error", message, right)


def heading_sequence(ctx: Context) -> Iterator[Finding]:
    """Within one level, headings count up by one (一、 then 二、, not 三、); a higher-level heading restarts
    the levels below it, and a level may restart at 1 (a new list)."""
    rule = "heading_sequence"
    last = {1: 0, 2: 0, 3: 0, 4: 0}
    for _index, line_start, line in ctx.lines():
        attachment = ATTACHMENT_RE.match(line)
        if attachment:
            last = {1: 0, 2: 0, 3: int(attachment.group("num")), 4: 0}
            continue
        parsed = _heading(line)
        if parsed is None:
            continue
        level, value, match = parsed
        expected = last[level] + 1
        if value not in (expected, 1):
            shown = to_chinese_number(expected) if level in (1, 2) else str(expected)
            written = match.group("num")
            start = line_start + match.start("num")
            message = _("序号不连续：上一个同级序号之后应为“%(expected)s”，这里是“%(written)s”。") % {
                "expected": shown,
                "written": written,
            }
            yield _finding(ctx, start, start + len(written), rule, "warning", message, shown)
        last[level] = value
        for deeper in range(level + 1, 5):
            last[deeper] = 0


# --- 5. document numbers ------------------------------------------------------------------------------------


def document_number(ctx: Context) -> Iterator[Finding]:
    """The year of a document number goes in 〔〕 (not [] 【】 () （）); no leading zero; no 第."""
    rule = "document_number"
    for match in DOC_NUMBER_RE.finditer(ctx.text):
        year = match.group("year")
        if (match.group("open"), match.group("close")) != ("〔", "〕"):
            start, end = match.start("open"), match.end("close")
            message = _("发文字号的年份用六角括号“〔〕”，不用“%(wrong)s”。") % {
                "wrong": match.group("open") + match.group("close")
            }
            yield _finding(ctx, start, end, rule, "error", message, f"〔{year}〕")
        if match.group("di"):
            start = match.start("di")
            yield _finding(ctx, start, start + 1, rule, "error", _("发文字号的序号前不加“第”。"), "")
        number = match.group("num")
        if len(number) > 1 and number.startswith("0"):
            message = _("发文字号的序号不编虚位（不加“0”）。")
            yield _finding(
                ctx, match.start("num"), match.end("num"), rule, "error", message, str(int(number))
            )


# --- 6. approximate numbers written with a 顿号 ----------------------------------------------------------------


def approximate_number_comma(ctx: Context) -> Iterator[Finding]:
    """Two neighbouring numerals with a 顿号 and then a unit are an approximation, written without the
    顿号: 三、五天 → 三五天, 十一、二岁 → 十一二岁. Lists (一、二、三级) and enumerations of grades or
    quarters (一、二级, 三、四季度, 一、二年级) are not approximations."""
    rule = "approximate_number_comma"
    for match in APPROX_COMMA_RE.finditer(ctx.text):
        start, end = match.start(), match.end()
        if ctx.skipped(start):
            continue
        message = _("相邻数字连用表示概数，中间不用顿号。")
        yield _finding(ctx, start, end, rule, "error", message, match.group("a") + match.group("b"))


# --- 7. double approximation -----------------------------------------------------------------------------------

DOUBLE_APPROX_RE = re.compile(
    r"(?P<pre>大约|大概|大致|将近|接近|几近|(?<![最附接将亲远靠贴邻几逼])近|"
    r"(?<![节制公条预合签违履邀誓特相践爽婚租契简隐集盟大])约|超过|逾|多达)"
    r"(?P<num>[\d.,〇零一二三四五六七八九十百千万亿两几]+)"
    f"(?P<mid>[{CJK}%％]{{0,3}}?)"
    r"(?P<post>左右|上下|以上|开外|多|余)"
)
_NOT_APPROX_AFTER_DUO = "次项方种个家名人部元样位层渠领彩措"


def double_approximation(ctx: Context) -> Iterator[Finding]:
    """An approximating word before the number and another after it say the same thing twice: 近百人左右,
    大约5000元左右, 约三十天上下, 近十万余, 超过三十多人."""
    rule = "double_approximation"
    text = ctx.text
    for match in DOUBLE_APPROX_RE.finditer(text):
        post = match.group("post")
        mid = match.group("mid")
        if post == "多" and mid.strip("万千百亿"):
            # 近十年多次: 多 begins the next word when a unit stands between the number and it
            after = text[match.end()] if match.end() < len(text) else ""
            if after in _NOT_APPROX_AFTER_DUO:
                continue
        start, end = match.start(), match.end()
        message = _("“%(pre)s”与“%(post)s”都表示概数，只留一个。") % {"pre": match.group("pre"), "post": post}
        yield _finding(ctx, start, end, rule, "error", message, text[start : match.start("post")])


# --- 8. titles -------------------------------------------------------------------------------------------------

DOUBLED_TYPE_RE = re.compile(f"({DOC_TYPES})\\1")
TYPE_OF_TYPE_RE = re.compile(f"({DOC_TYPES})[》”]?的\\1")


def title_guanyu_dui(ctx: Context) -> Iterator[Finding]:
    """关于对…的通知: 关于 and 对 are both prepositions; keep 关于."""
    for match in re.finditer("关于对", ctx.text):
        message = _("标题中“关于”与“对”重复使用，应删去“对”。")
        yield _finding(ctx, match.start(), match.end(), "title_guanyu_dui", "error", message, "关于")


def title_doubled_type(ctx: Context) -> Iterator[Finding]:
    """报告报告 is an error; 通知的通知 is for forwarding (转发/批转) titles only, a warning elsewhere."""
    rule = "title_doubled_type"
    text = ctx.text
    for match in DOUBLED_TYPE_RE.finditer(text):
        message = _("标题中文种“%(type)s”重复。") % {"type": match.group(1)}
        yield _finding(ctx, match.start(), match.end(), rule, "error", message, match.group(1))
    if "转发" in text or "批转" in text:
        return
    for match in TYPE_OF_TYPE_RE.finditer(text):
        message = _("“%(type)s的%(type)s”只用于转发类标题，其他标题文种不应重复。") % {"type": match.group(1)}
        yield _finding(ctx, match.start(), match.end(), rule, "warning", message, match.group(1))


def title_punctuation(ctx: Context) -> Iterator[Finding]:
    """A title takes no punctuation except 书名号, 引号, 顿号 and brackets (around a document number or
    试行); marks inside 《》 or “” belong to the cited name and are left alone."""
    text = ctx.text
    depth = 0
    for match in re.finditer(r"[《“》”]|[，。：；！？,;:!?]|(?<!\d)\.(?!\d)", text):
        char = match.group()
        if char in "《“":
            depth += 1
        elif char in "》”":
            depth = max(0, depth - 1)
        elif depth == 0:
            message = _("标题中不用“%(mark)s”，只可用书名号、引号、顿号和括号。") % {"mark": char}
            yield _finding(ctx, match.start(), match.end(), "title_punctuation", "error", message, "")


# --- 9. dates ---------------------------------------------------------------------------------------------------

_CN_YEAR_DIGITS = {"〇": "0", "零": "0", **{k: str(v) for k, v in _CN_DIGITS.items()}}
CN_DATE_RE = re.compile(
    r"(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>十[一二]?|[一二三四五六七八九])月"
    r"(?P<d>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])日"
)
DIGIT_DATE_RE = re.compile(
    r"(?<![\d.\-/])(?P<y>(?:19|20)\d{2})(?P<sep>[.\-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.\-/])"
)
PADDED_DATE_RE = re.compile(r"(?<!\d)(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")


def date_format(ctx: Context) -> Iterator[Finding]:
    """Dates in Arabic numerals, written 2026年11月30日: not 二〇二六年十一月三十日, 2026.11.30, 2026-11-30,
    2026/11/30 or 2026年05月06日."""
    rule = "date_format"
    text = ctx.text
    for match in CN_DATE_RE.finditer(text):
        year = "".join(_CN_YEAR_DIGITS[c] for c in match.group("y"))
        month, day = chinese_number(match.group("m")), chinese_number(match.group("d"))
        right = f"{year}年{month}月{day}日"
        message = _("公文日期用阿拉伯数字书写。")
        yield _finding(ctx, match.start(), match.end(), rule, "warning", message, right)
    for match in DIGIT_DATE_RE.finditer(text):
        if ctx.skipped(match.start()):
            continue
        month, day = int(match.group("m")), int(match.group("d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        right = f"{match.group('y')}年{month}月{day}日"
        message = _("日期应写作“%(right)s”，年月日写全。") % {"right": right}
        yield _finding(ctx, match.start(), match.end(), rule, "warning", message, right)
    for match in PADDED_DATE_RE.finditer(text):
        written_month, written_day = match.group("m"), match.group("d") or ""
        if not (written_month.startswith("0") or written_day.startswith("0")):
            continue
        right = (f"{match.group('y')}年" if match.group("y") else "") + f"{int(written_month)}月"
        right += f"{int(written_day)}日" if written_day else ""
        message = _("日期中的月、日不编虚位（不加“0”）。")
        yield _finding(ctx, match.start(), match.end(), rule, "warning", message, right)


# --- 10. the office's word list ------------------------------------------------------------------------------


def word_list(ctx: Context) -> Iterator[Finding]:
    """The built-in list of commonly miswritten words plus the admin's ProofreadTerm rows."""
    for match, term in get_matcher().finditer(ctx.text):
        message = term.explanation or _("应为“%(right)s”。") % {"right": term.right}
        yield _finding(ctx, match.start(), match.end(), "word_list", term.severity, message, term.right)


BODY_RULES = (
    halfwidth_punctuation,
    unmatched_bracket,
    repeated_word,
    heading_numbering,
    heading_sequence,
    document_number,
    approximate_number_comma,
    double_approximation,
    date_format,
    word_list,
)


def title_brackets_and_quotes(ctx: Context) -> Iterator[Finding]:
    """Half-width brackets and quotes in a title (its other marks are title_punctuation's)."""
    return halfwidth_punctuation(ctx, marks=False)


TITLE_RULES = (
    title_guanyu_dui,
    title_brackets_and_quotes,
    title_doubled_type,
    title_punctuation,
    unmatched_bracket,
    repeated_word,
    document_number,
    word_list,
)
