"""The office's word list (易错词): built-in wrong → right pairs that always apply, plus the active
``ProofreadTerm`` rows the office maintains in the admin (a row with the same wrong form as a built-in
one replaces its advice).

The list is compiled once into one regular expression (longest wrong form first) and cached per process.
Saving or deleting a ProofreadTerm bumps a version number in the default cache, so every worker that
shares the cache (Redis in production) recompiles on its next call once the change is committed; the process
that saved drops its own copy at once."""

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction

from .base import Severity

VERSION_KEY = "documents:proofread_terms:version"


@dataclass(frozen=True)
class Term:
    wrong: str
    right: str
    explanation: str
    severity: Severity = "error"


def _t(wrong: str, right: str, explanation: str, severity: Severity = "error") -> Term:
    return Term(wrong, right, explanation, severity)


# Explanations are data shown beside the finding, like the admin's rows; they are not UI chrome.
DEFAULT_TERMS: tuple[Term, ...] = (
    _t("布署", "部署", "“部署”指安排、布置，“部”不写作“布”。"),
    _t("部暑", "部署", "“部署”的“署”不写作“暑”。"),
    _t("按装", "安装", "“安装”的“安”不写作“按”。"),
    _t("既使", "即使", "表示假设让步用“即使”。"),
    _t("渡过难关", "度过难关", "“度过”用于时间、时期和难关，“渡过”用于跨越江河。"),
    _t("渡过危机", "度过危机", "“度过”用于时间、时期和难关，“渡过”用于跨越江河。"),
    _t("不径而走", "不胫而走", "成语“不胫而走”，“胫”指小腿。"),
    _t(
        "截止到",
        "截至",
        "“截至”后接时间点（截至11月30日）；“截止”表示到期停止，多用在时间之后（11月30日截止）。",
    ),
    _t("截止目前", "截至目前", "“截至”后接时间点；“截止”表示到期停止，不带宾语。"),
    _t("截止今年", "截至今年", "“截至”后接时间点；“截止”表示到期停止，不带宾语。"),
    _t("截至日期", "截止日期", "表示到期停止的日期用“截止日期”。"),
    _t("迫不急待", "迫不及待", "成语“迫不及待”。"),
    _t("再接再励", "再接再厉", "成语“再接再厉”，“厉”同“砺”。"),
    _t("一愁莫展", "一筹莫展", "成语“一筹莫展”，“筹”指计策。"),
    _t("走头无路", "走投无路", "成语“走投无路”。"),
    _t("既往不究", "既往不咎", "成语“既往不咎”，“咎”指责备。"),
    _t("一如继往", "一如既往", "成语“一如既往”。"),
    _t("默守成规", "墨守成规", "成语“墨守成规”。"),
    _t("按步就班", "按部就班", "成语“按部就班”。"),
    _t("出奇不意", "出其不意", "成语“出其不意”。"),
    _t("穿流不息", "川流不息", "成语“川流不息”。"),
    _t("人才倍出", "人才辈出", "“辈出”指一批一批地出现。"),
    _t("一股作气", "一鼓作气", "成语“一鼓作气”。"),
    _t("精兵减政", "精兵简政", "成语“精兵简政”。"),
    _t("谈笑风声", "谈笑风生", "成语“谈笑风生”。"),
    _t("甘败下风", "甘拜下风", "成语“甘拜下风”。"),
    _t("自抱自弃", "自暴自弃", "成语“自暴自弃”。"),
    _t("明火执杖", "明火执仗", "成语“明火执仗”，“仗”指兵器。"),
    _t("震憾", "震撼", "“震撼”的“撼”不写作“憾”。"),
    _t("松驰", "松弛", "“松弛”的“弛”不写作“驰”。"),
    _t("重迭", "重叠", "“重迭”是旧写法，规范写法为“重叠”。"),
    _t("针贬", "针砭", "“针砭”的“砭”不写作“贬”。"),
    _t("发韧", "发轫", "“发轫”的“轫”不写作“韧”。"),
    _t("气慨", "气概", "“气概”的“概”不写作“慨”。"),
    _t("坐阵", "坐镇", "“坐镇”的“镇”不写作“阵”。"),
    _t("入场卷", "入场券", "“入场券”的“券”不写作“卷”。"),
    _t("其它", "其他", "公文中统一使用“其他”。", "warning"),
    _t("做为", "作为", "表示身份、资格用“作为”。", "warning"),
)


def load_admin_terms() -> list[Term]:
    """The active rows of the admin's word list ([] until the model exists). Tests monkeypatch this."""
    try:
        model = apps.get_model("documents", "ProofreadTerm")
    except LookupError:
        return []
    rows = model.objects.filter(active=True).values_list("wrong", "right", "explanation", "severity")
    return [
        Term(wrong, right, explanation, severity) for wrong, right, explanation, severity in rows if wrong
    ]


class TermMatcher:
    def __init__(self, terms: list[Term]):
        by_wrong: dict[str, Term] = {}
        for term in terms:
            by_wrong[term.wrong] = term  # later (admin) rows replace built-in advice for the same form
        self.terms = by_wrong
        if by_wrong:
            alternation = "|".join(re.escape(w) for w in sorted(by_wrong, key=len, reverse=True))
            self.pattern: re.Pattern[str] | None = re.compile(alternation)
        else:
            self.pattern = None

    def finditer(self, text: str):
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield match, self.terms[match.group()]


_cached: tuple[Any, TermMatcher] | None = None


def get_matcher() -> TermMatcher:
    global _cached
    version = cache.get(VERSION_KEY, 0)
    if _cached is not None and _cached[0] == version:
        return _cached[1]
    matcher = TermMatcher([*DEFAULT_TERMS, *load_admin_terms()])
    _cached = (version, matcher)
    return matcher


def invalidate(**kwargs: Any) -> None:
    """Signal receiver for ProofreadTerm save/delete: drop this process's matcher, tell the others."""
    global _cached
    _cached = None
    # Other workers must not recompile before the row is committed (they would cache the old list under
    # the new version), so the shared bump waits for the commit.
    transaction.on_commit(_bump_version)


def _bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def connect_signals() -> None:
    """Called from DocumentsConfig.ready(); a no-op until the ProofreadTerm model exists."""
    from django.db.models.signals import post_delete, post_save

    try:
        model = apps.get_model("documents", "ProofreadTerm")
    except LookupError:
        return
    post_save.connect(invalidate, sender=model, dispatch_uid="documents.proofread_terms.save")
    post_delete.connect(invalidate, sender=model, dispatch_uid="documents.proofread_terms.delete")
