"""The proofreader (公文校对): the corpus in data/proofreading_corpus.tsv says, sentence by sentence, which
rules must fire (and that correct sentences raise nothing); the tests below pin positions, paragraphs,
suggestions, severities, the admin's word list and its cache."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from documents.models import ProofreadTerm
from documents.proofreading import RULE_NAMES, Finding, has_errors, proofread, terms

CORPUS = Path(__file__).parent / "data" / "proofreading_corpus.tsv"


def _corpus():
    rows = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where, expect, text = line.split("\t")
        assert where in ("body", "title"), f"line {number}: {where!r}"
        expected = frozenset() if expect == "ok" else frozenset(expect.split(","))
        rows.append(pytest.param(where, expected, text.replace("\\n", "\n"), id=f"L{number}-{expect}"))
    return rows


CORPUS_ROWS = _corpus()


@pytest.fixture
def builtin_terms_only(monkeypatch):
    """The built-in word list alone, whatever the database holds; a fresh matcher per test."""
    monkeypatch.setattr(terms, "load_admin_terms", lambda: [])
    monkeypatch.setattr(terms, "_cached", None)


@pytest.fixture
def fresh_matcher(monkeypatch):
    monkeypatch.setattr(terms, "_cached", None)
    cache.delete(terms.VERSION_KEY)


@pytest.mark.parametrize(("where", "expected", "text"), CORPUS_ROWS)
def test_corpus_sentence_raises_exactly_the_expected_rules(builtin_terms_only, where, expected, text):
    findings = proofread("", title=text) if where == "title" else proofread(text)
    assert {f.rule for f in findings} == expected, [(f.rule, f.excerpt, f.message) for f in findings]


def test_corpus_covers_every_rule_wrong_and_right():
    wrong = [row.values[1] for row in CORPUS_ROWS if row.values[1]]
    right = [row for row in CORPUS_ROWS if not row.values[1]]
    assert len(CORPUS_ROWS) >= 40
    for code in RULE_NAMES:
        assert any(code in expected for expected in wrong), f"no wrong sentence for {code}"
    # each rule's section of the corpus holds correct sentences too (the title rules share one section)
    assert len(right) >= 30
    assert {row.values[0] for row in right} == {"body", "title"}


def test_a_correct_notice_raises_nothing(builtin_terms_only):
    """A whole notice as the office writes it: numbers, times, a phone number, an e-mail address, a document
    number, headings on four levels, an attachment list, quotes and 书名号 — no false alarm."""
    notice = (CORPUS.parent / "proofreading_corpus_notice.txt").read_text(encoding="utf-8")
    assert len(notice) > 700
    assert proofread(notice, title="关于做好2027年元旦、春节期间值班工作的通知") == []


def test_findings_carry_offsets_paragraph_suggestion_and_excerpt(builtin_terms_only):
    text = "一、总体要求\n各单位要认真布署,确保的的重点任务落实。"
    findings = proofread(text)
    assert [(f.rule, f.start, f.end, f.paragraph, f.suggestion, f.severity) for f in findings] == [
        ("word_list", 13, 15, 1, "部署", "error"),
        ("halfwidth_punctuation", 15, 16, 1, "，", "error"),
        ("repeated_word", 18, 20, 1, "的", "error"),
    ]
    assert [text[f.start : f.end] for f in findings] == ["布署", ",", "的的"]
    for finding in findings:
        assert text[finding.start : finding.end] in finding.excerpt
        assert "\n" not in finding.excerpt  # an excerpt stays inside its paragraph
    assert str(findings[0].rule_name) == "易错词"
    assert findings[1].message == "中文里应使用全角标点“，”。"


def test_applying_every_suggestion_leaves_a_clean_text(builtin_terms_only):
    text = (
        "关于加强安全生产工作的通知\n一.总体要求\n会议要求,各单位按时报送(附表).\n"
        "根据市委办发[2026]012号文件，近百人左右参加，会期三、五天。\n"
        "请于2026.11.30前报送，截止到目前要布署到位。"
    )
    findings = proofread(text)
    assert {f.rule for f in findings} == {
        "heading_numbering",
        "halfwidth_punctuation",
        "document_number",
        "double_approximation",
        "approximate_number_comma",
        "date_format",
        "word_list",
    }
    fixed = text
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        fixed = fixed[: finding.start] + finding.suggestion + fixed[finding.end :]
    assert fixed == (
        "关于加强安全生产工作的通知\n一、总体要求\n会议要求，各单位按时报送（附表）。\n"
        "根据市委办发〔2026〕12号文件，近百人参加，会期三五天。\n"
        "请于2026年11月30日前报送，截至目前要部署到位。"
    )
    assert proofread(fixed) == []


def test_findings_are_sorted_with_the_title_first(builtin_terms_only):
    findings = proofread("要布署工作,\n整改要在三、五天内完成。", title="关于对安全生产工作的通知：")
    assert [(f.paragraph, f.start, f.rule) for f in findings] == [
        (-1, 0, "title_guanyu_dui"),
        (-1, 12, "title_punctuation"),
        (0, 1, "word_list"),
        (0, 5, "halfwidth_punctuation"),
        (1, 11, "approximate_number_comma"),
    ]
    title = "关于对安全生产工作的通知："
    assert title[findings[0].start : findings[0].end] == "关于对"  # title offsets point into the title


def test_heading_gap_is_a_warning_and_names_the_expected_number(builtin_terms_only):
    text = "一、总体要求\n（一）目标\n（三）任务\n三、保障"
    findings = proofread(text)
    assert [(f.rule, f.severity, text[f.start : f.end], f.suggestion) for f in findings] == [
        ("heading_sequence", "warning", "三", "二"),
        ("heading_sequence", "warning", "三", "二"),
    ]
    assert [f.paragraph for f in findings] == [2, 3]
    assert not has_errors(findings)


def test_unmatched_bracket_reports_the_one_left_open_inside_a_closed_pair(builtin_terms_only):
    text = "学习《关于（试行》的规定。"
    [finding] = proofread(text)
    assert (finding.rule, text[finding.start : finding.end]) == ("unmatched_bracket", "（")
    assert finding.message == "左括号（（）没有配对的右括号。"


def test_stray_closers_and_openers_are_each_reported_once(builtin_terms_only):
    text = "《《】】"
    findings = proofread(text)
    assert [(f.rule, f.start) for f in findings] == [("unmatched_bracket", i) for i in range(4)]
    assert findings[2].message == "右方头括号（】）前面没有配对的左方头括号。"


def test_offsets_hold_for_crlf_text_from_a_textarea(builtin_terms_only):
    text = "会议要求,各单位按时报送.\r\n要认真布署。"
    findings = proofread(text)
    assert [(text[f.start : f.end], f.paragraph) for f in findings] == [(",", 0), (".", 0), ("布署", 1)]


def test_has_errors_only_for_error_severity(builtin_terms_only):
    assert has_errors(proofread("请于2026-11-30前报送。")) is False  # a date is a style warning
    assert has_errors(proofread("请于2026-11-30前报送,")) is True
    assert has_errors([]) is False


def test_finding_is_frozen():
    finding = Finding(0, 1, 0, "word_list", "易错词", "error", "", "", "")
    with pytest.raises(AttributeError, match="cannot assign"):
        finding.start = 2  # type: ignore[misc]


# --- the admin's word list -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_term_is_found_and_deactivating_it_removes_it(fresh_matcher):
    text = "要进一步压实责任，坚决杜绝推诿扯皮。"
    assert proofread(text) == []
    term = ProofreadTerm.objects.create(
        wrong="推诿扯皮", right="推诿", explanation="本办统一用“推诿”。", severity="warning"
    )
    [finding] = proofread(text)
    assert (finding.rule, text[finding.start : finding.end], finding.suggestion) == (
        "word_list",
        "推诿扯皮",
        "推诿",
    )
    assert (finding.severity, finding.message) == ("warning", "本办统一用“推诿”。")
    term.active = False
    term.save()
    assert proofread(text) == []
    term.active = True
    term.save()
    assert len(proofread(text)) == 1
    term.delete()
    assert proofread(text) == []


@pytest.mark.django_db
def test_admin_row_replaces_the_builtin_advice_but_builtins_always_apply(fresh_matcher):
    ProofreadTerm.objects.create(
        wrong="其它", right="其他", explanation="本办要求：一律写“其他”。", severity="error"
    )
    findings = proofread("其它事项另行通知，要认真布署。")
    assert [(f.suggestion, f.severity, f.message) for f in findings] == [
        ("其他", "error", "本办要求：一律写“其他”。"),
        ("部署", "error", "“部署”指安排、布置，“部”不写作“布”。"),
    ]


@pytest.mark.django_db
def test_word_list_is_compiled_once_and_recompiled_after_a_change(fresh_matcher, monkeypatch):
    loads = []
    real_load = terms.load_admin_terms

    def counting_load():
        loads.append(1)
        return real_load()

    monkeypatch.setattr(terms, "load_admin_terms", counting_load)
    proofread("要认真布署。")
    proofread("要认真布署。")
    assert len(loads) == 1
    ProofreadTerm.objects.create(wrong="落实落细", right="落细落实")
    proofread("要认真布署。")
    assert len(loads) == 2


@pytest.mark.django_db
def test_other_workers_recompile_once_the_change_is_committed(
    fresh_matcher, django_capture_on_commit_callbacks
):
    stale = terms.get_matcher()
    other_worker = (cache.get(terms.VERSION_KEY, 0), stale)
    with django_capture_on_commit_callbacks() as callbacks:
        ProofreadTerm.objects.create(wrong="落实落细", right="落细落实")
        assert cache.get(terms.VERSION_KEY, 0) == other_worker[0]  # not before the commit
    for callback in callbacks:
        callback()
    assert cache.get(terms.VERSION_KEY) == other_worker[0] + 1
    # a worker still holding the matcher compiled under the old version builds a new one
    terms._cached = other_worker
    fresh = terms.get_matcher()
    assert fresh is not stale
    assert "落实落细" in fresh.terms


@pytest.mark.django_db
def test_office_adds_and_switches_off_a_term_in_the_admin(
    client, fresh_matcher, django_capture_on_commit_callbacks
):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.gov.cn", "pass-word-123")
    client.force_login(admin_user)
    text = "各单位要认真落实落细。"
    assert proofread(text) == []
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("admin:documents_proofreadterm_add"),
            {
                "wrong": "落实落细",
                "right": "落细落实",
                "explanation": "本办统一写法。",
                "severity": "error",
                "active": "on",
            },
        )
    assert resp.status_code == 302
    assert [(f.suggestion, f.message) for f in proofread(text)] == [("落细落实", "本办统一写法。")]
    term = ProofreadTerm.objects.get(wrong="落实落细")
    changelist = client.get(reverse("admin:documents_proofreadterm_changelist"))
    assert changelist.status_code == 200 and "落实落细" in changelist.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("admin:documents_proofreadterm_change", args=[term.pk]),
            {"wrong": "落实落细", "right": "落细落实", "explanation": "本办统一写法。", "severity": "error"},
        )
    assert resp.status_code == 302
    assert proofread(text) == []  # unticked "active"
