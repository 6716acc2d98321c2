"""The authorization matrix's rows for the information app (信息报送; see matrix.py for how to read a row).

The world: a report of unit A (甲镇), signed and submitted, being edited by the information section; a
draft of unit A (the unit's own until signed: the office's editors get 404); one published bulletin issue.
The leaders (director, deputy) are editors and approvers; the matrix's other office staff sit in 综合科,
which is not the information section: they draft for their own section and see none of unit A's reports.
"""

from .matrix import Case, Sees, api, api_out, page_any, page_get, page_out, page_post


def _world(w):
    if getattr(w, "info", None) is None:
        import datetime as dt
        from types import SimpleNamespace

        from django.utils import timezone

        from research.information.models import BulletinIssue, InfoReport, InfoVersion

        now = timezone.now()
        report = InfoReport.objects.create(
            unit=w.unit_a,
            author=w.users["unit_own"],
            author_name="甲镇信息员",
            info_type="dynamic",
            title="甲镇秋粮收储过半",
            text="甲镇秋粮收储进度过半。",
            facts_at=now - dt.timedelta(hours=3),
            status="received",
            submitted_at=now - dt.timedelta(hours=2),
            received_at=now - dt.timedelta(hours=1),
        )
        InfoVersion.objects.create(
            report=report, number=1, title=report.title, text=report.text, created_at=now
        )
        draft = InfoReport.objects.create(
            unit=w.unit_a,
            author=w.users["unit_own"],
            info_type="problem",
            title="甲镇未报送的草稿",
            text="草稿。",
            facts_at=now - dt.timedelta(hours=1),
        )
        issue = BulletinIssue.objects.create(
            kind="daily",
            year=now.year,
            number=1,
            title="每日要情",
            published_at=now,
            published_by=w.users["director"],
        )
        published = InfoReport.objects.create(
            unit=w.unit_b,
            info_type="dynamic",
            title="乙镇刊发的信息",
            text="乙镇情况。",
            facts_at=now - dt.timedelta(days=1),
            status="published",
            outlet="daily",
            issue=issue,
            submitted_at=now - dt.timedelta(hours=20),
        )
        w.info = SimpleNamespace(report=report, draft=draft, issue=issue, published=published)
    return w.info


def _built(w):
    """No kwargs, but the world must exist before the first role's request (lists)."""
    _world(w)
    return {}


def _report(w):
    return {"pk": _world(w).report.pk}


def _draft(w):
    return {"pk": _world(w).draft.pk}


def _issue(w):
    return {"pk": _world(w).issue.pk}


def report_title(w) -> str:
    return _world(w).report.title


def draft_title(w) -> str:
    return _world(w).draft.title


SEES_REPORT = Sees(
    "unit A's submitted report",
    report_title,
    must=("director", "deputy", "unit_own"),
    must_not=(
        "section_chief",
        "staff",
        "duty_officer",
        "duty_leader",
        "commissioner",
        "researcher",
        "unit_other",
    ),
)
SEES_DRAFT = Sees(
    "unit A's draft", draft_title, must=("unit_own",), must_not=("director", "deputy", "unit_other")
)
API_SEES_REPORT = Sees(
    "unit A's submitted report",
    report_title,
    must=("director", "deputy", "unit_own", "key_own"),
    must_not=("staff", "researcher", "unit_other", "key_other"),
)
# The ranking and the bulletin: the office's internal papers.
PAPERS = page_out(INTERNAL=200, UNITS=403)
PAPER_OBJECT = page_out(INTERNAL=200, UNITS=404)
IN_SCOPE = page_out(SIGNED_IN=404, LEADERS=200, unit_own=200)
API_PASSES = (
    "director",
    "deputy",
    "section_chief",
    "staff",
    "duty_officer",
    "duty_leader",
    "commissioner",
    "researcher",
    "unit_own",
    "unit_other",
    "key_own",
    "key_other",
)

ROWS: dict[str, list[Case]] = {
    "information:list": [
        Case(_built, page_get(page_out(SIGNED_IN=200)), sees=(SEES_REPORT, SEES_DRAFT)),
    ],
    "information:new": [Case(expect=page_any(page_out(SIGNED_IN=200), page_out(SIGNED_IN=400)))],
    "information:inbox": [Case(expect=page_get(page_out(SIGNED_IN=403, LEADERS=200)))],
    "information:approvals": [Case(expect=page_get(page_out(SIGNED_IN=403, LEADERS=200)))],
    "information:bulletins": [
        # an empty publish: the leaders get the form's message back (302); others may not publish
        Case(expect=page_any(PAPERS, page_out(SIGNED_IN=403, LEADERS=302)))
    ],
    "information:bulletin": [Case(_issue, page_get(PAPER_OBJECT))],
    "information:bulletin-docx": [Case(_issue, page_get(PAPER_OBJECT))],
    "information:bulletin-pdf": [Case(_issue, page_get(PAPER_OBJECT))],
    "information:ranking": [Case(expect=page_get(PAPERS))],
    "information:ranking-xlsx": [Case(expect=page_get(PAPERS))],
    "information:detail": [
        Case(_report, page_get(IN_SCOPE), label="submitted"),
        # a draft is the unit's own: the office's editors are told it does not exist
        Case(_draft, page_get(page_out(SIGNED_IN=404, unit_own=200)), label="draft"),
    ],
    "information:edit": [
        # being edited: the information section's (the leaders here); the unit sees it but may not edit
        Case(
            _report,
            page_any(
                page_out(SIGNED_IN=404, LEADERS=200, unit_own=403),
                page_out(SIGNED_IN=404, LEADERS=400, unit_own=403),
            ),
            label="submitted",
        ),
        Case(
            _draft,
            page_any(page_out(SIGNED_IN=404, unit_own=200), page_out(SIGNED_IN=404, unit_own=400)),
            label="draft",
        ),
    ],
    # an empty action: whoever may see the report is told the action is unknown (302)
    "information:act": [Case(_report, page_post(page_out(SIGNED_IN=404, LEADERS=302, unit_own=302)))],
    # adoption is recorded on a sent report only: this one is still being edited (403)
    "information:adopt": [Case(_report, page_post(page_out(SIGNED_IN=404, LEADERS=403, unit_own=403)))],
    "information-api-reports": [
        Case(
            _built,
            api(API_PASSES, GET=api_out(AUTHENTICATED=200), POST=api_out(AUTHENTICATED=400)),
            sees=(API_SEES_REPORT,),
        )
    ],
    "information-api-report": [
        Case(_report, api(API_PASSES, GET=api_out(AUTHENTICATED=404, LEADERS=200, OWN=200)))
    ],
    "information-api-ranking": [Case(expect=api(API_PASSES, GET=api_out(AUTHENTICATED=200)))],
}
