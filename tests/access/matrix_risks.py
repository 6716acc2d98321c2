"""The authorization matrix's rows for the risks app (see matrix.py for how to read a row).

The world: the matrix's people all sit in 综合科 (the matrix section); the post 会务保障岗 of that section
is held by ``staff``; a second post sits in 机要科, a section nobody of the matrix belongs to. A campaign
is open with a pending review of the first post's risk and a submitted one (by ``staff``) of a second
risk of the same post. Office staff see their section's register; the leaders see all; the units
nothing (pages 403, objects 404); the chief of 综合科 approves.
"""

from .matrix import (
    Case,
    Sees,
    _roles,
    api,
    api_out,
    page_any,
    page_get,
    page_get_post,
    page_out,
    page_post,
)


def _risks_world(w):
    if getattr(w, "risks", None) is None:
        import datetime as dt
        from types import SimpleNamespace

        from django.utils import timezone

        from office.org.models import UnitKind
        from office.risks.models import Area, Post, ReviewCampaign, ReviewStatus, Risk, RiskReview
        from tests.factories import UnitFactory

        u = w.users
        section = u["staff"].staff.unit
        confidential = UnitFactory(code="matrix-jiyao", name="机要科", kind=UnitKind.SECTION)
        post = Post.objects.create(code="m-meeting", name="会务保障岗", section=section)
        post.holders.set([u["staff"]])
        other_post = Post.objects.create(code="m-secret", name="机要文件管理岗", section=confidential)
        risk = Risk.objects.create(
            post=post, code="av", area=Area.MEETINGS, title="视频音响未按实际课件测试", likelihood=3, impact=4
        )
        second = Risk.objects.create(
            post=post, code="notice", area=Area.MEETINGS, title="会议通知漏发", likelihood=2, impact=3
        )
        secret = Risk.objects.create(
            post=other_post,
            code="leak",
            area=Area.CONFIDENTIAL,
            title="涉密文件传阅失控",
            likelihood=1,
            impact=5,
        )
        campaign = ReviewCampaign.objects.create(
            title="矩阵岗位风险排查", opened_by=u["director"], deadline=timezone.now() + dt.timedelta(days=7)
        )
        pending = RiskReview.objects.create(campaign=campaign, risk=risk)
        submitted = RiskReview.objects.create(
            campaign=campaign,
            risk=second,
            status=ReviewStatus.SUBMITTED,
            likelihood=2,
            impact=3,
            controls_effective=True,
            assessment="落实到位",
            reviewer=u["staff"],
            submitted_at=timezone.now(),
        )
        from office.risks.models import IncidentKind, RiskIncident

        orphan = RiskIncident.objects.create(
            kind=IncidentKind.OTHER, summary="无风险点可归的事件", occurred_at=timezone.now()
        )
        w.risks = SimpleNamespace(
            risk=risk,
            secret=secret,
            campaign=campaign,
            pending=pending,
            submitted=submitted,
            post=post,
            orphan=orphan,
        )
    return w.risks


def _risk(w):
    return {"pk": _risks_world(w).risk.pk}


def _secret(w):
    return {"pk": _risks_world(w).secret.pk}


def _pending(w):
    return {"pk": _risks_world(w).pending.pk}


def _submitted(w):
    return {"pk": _risks_world(w).submitted.pk}


def _campaign(w):
    return {"pk": _risks_world(w).campaign.pk}


def _post(w):
    return {"pk": _risks_world(w).post.pk}


def _post_pk(w):
    return {"post_pk": _risks_world(w).post.pk}


def _orphan(w):
    return {"pk": _risks_world(w).orphan.pk}


def _nothing(w):
    _risks_world(w)
    return {}


def own_risk_title(w) -> str:
    return _risks_world(w).risk.title


def secret_risk_title(w) -> str:
    return _risks_world(w).secret.title


INTERNAL = _roles("INTERNAL")
SEES_OWN = Sees("the section's own risk", own_risk_title, must=INTERNAL)
# 机要科's register: the leaders only
SEES_SECRET = Sees(
    "another section's risk",
    secret_risk_title,
    must=("director", "deputy"),
    must_not=tuple(r for r in INTERNAL if r not in ("director", "deputy")),
)
OFFICE_PAGE = page_get(page_out(INTERNAL=200, UNITS=403))
# editing the register: the leaders (400: the empty form); everyone else 403 before any object is read
EDITOR_FORM = page_get_post(
    page_out(INTERNAL=403, LEADERS=200, UNITS=403), page_out(INTERNAL=403, LEADERS=400, UNITS=403)
)

ROWS: dict[str, list[Case]] = {
    "risks:register": [Case(_nothing, OFFICE_PAGE, sees=(SEES_OWN, SEES_SECRET))],
    "risks:risk": [
        Case(_risk, page_get(page_out(INTERNAL=200, UNITS=404)), label="own section"),
        Case(_secret, page_get(page_out(INTERNAL=404, LEADERS=200, UNITS=404)), label="another section"),
    ],
    "risks:risk-edit": [
        Case(_risk, EDITOR_FORM, label="own section"),
        Case(_secret, EDITOR_FORM, label="another section"),
    ],
    "risks:posts": [Case(_nothing, page_get(page_out(INTERNAL=403, LEADERS=200, UNITS=403)))],
    "risks:post-new": [Case(_nothing, EDITOR_FORM)],
    "risks:post-edit": [Case(_post, EDITOR_FORM)],
    "risks:risk-new": [Case(_post_pk, EDITOR_FORM)],
    # an empty choice comes back to the list with a message (302), nothing assigned
    "risks:incident-assign": [Case(_orphan, page_post(page_out(INTERNAL=403, LEADERS=302, UNITS=403)))],
    "risks:heatmap": [Case(_nothing, OFFICE_PAGE)],
    "risks:failed": [Case(_nothing, OFFICE_PAGE)],
    "risks:my-reviews": [Case(_nothing, OFFICE_PAGE)],
    "risks:campaigns": [Case(_nothing, OFFICE_PAGE)],
    "risks:approvals": [
        Case(_nothing, page_get(page_out(INTERNAL=403, LEADERS=200, section_chief=200, UNITS=403)))
    ],
    "risks:review": [Case(_pending, page_get(page_out(INTERNAL=200, UNITS=404)))],
    # the holder (staff) gets past the checks (400: the empty form); colleagues 403; units 404
    "risks:review-submit": [Case(_pending, page_post(page_out(INTERNAL=403, staff=400, UNITS=404)))],
    # the chief of the section and the leaders decide (400: the empty form); the reviewer never
    "risks:review-decide": [
        Case(_submitted, page_post(page_out(INTERNAL=403, LEADERS=400, section_chief=400, UNITS=404)))
    ],
    "risks:campaign-new": [
        Case(
            _nothing,
            page_any(
                page_out(INTERNAL=403, LEADERS=200, UNITS=403),
                page_out(INTERNAL=403, LEADERS=400, UNITS=403),
            ),
        )
    ],
    "risks:campaign": [Case(_campaign, page_get(page_out(INTERNAL=200, UNITS=404)))],
    "risks:campaign-close": [Case(_campaign, page_post(page_out(INTERNAL=403, LEADERS=302, UNITS=404)))],
    "risks-api-list": [
        Case(
            _nothing,
            api(INTERNAL, GET=api_out(INTERNAL=200, UNITS=403, KEYS=403)),
            sees=(SEES_OWN, SEES_SECRET),
        )
    ],
}
