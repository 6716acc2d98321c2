"""The register itself: posts, their risks and controls (the leaders, the admin and the demo write it)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.models import Unit
from office.org.types import Actor

from .. import access
from ..models import Area, Control, Post, Risk
from .common import RiskError, next_review_from, schedule_review_timer


def _require_editor(actor: Actor) -> None:
    if not access.can_edit_register(actor):
        raise access.forbidden(_("只有主任、副主任可以维护岗位风险台账。"))


@transaction.atomic
def post_create(
    *, actor: Actor, code: str, name: str, section: Unit, holders=(), duties: str = "", sort_order: int = 100
) -> Post:
    _require_editor(actor)
    if not (code or "").strip() or not (name or "").strip():
        raise RiskError(_("请填写岗位代码和名称。"), code="invalid")
    if Post.objects.filter(code=code).exists():
        raise RiskError(_("岗位代码已存在。"), code="conflict", fields={"code": [_("已存在")]})
    post = Post.objects.create(
        code=code, name=name.strip(), section=section, duties=duties, sort_order=sort_order
    )
    post.holders.set(list(holders))
    audit_record(
        actor=actor, verb="risks.post_created", subject=post, data={"code": code, "section": section.pk}
    )
    return post


@transaction.atomic
def risk_create(
    *,
    actor: Actor,
    post: Post,
    code: str,
    area: str,
    title: str,
    likelihood: int,
    impact: int,
    description: str = "",
    owner=None,
    controls=(),
    reviewed_at=None,
) -> Risk:
    """A risk of ``post`` with its controls ((description, owner) pairs). Its next review is set from
    ``reviewed_at`` (default now) by its level: 6 months, 高 3 months; a timer reminds the owner then."""
    _require_editor(actor)
    if area not in Area.values:
        raise RiskError(_("领域无效。"), code="invalid", fields={"area": [_("领域无效")]})
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= int(value) <= 5:
            raise RiskError(_("可能性和影响均为 1–5。"), code="invalid", fields={name: [_("应为 1–5")]})
    if Risk.objects.filter(post=post, code=code).exists():
        raise RiskError(_("本岗位已有该风险代码。"), code="conflict", fields={"code": [_("已存在")]})
    reviewed_at = reviewed_at or timezone.now()
    risk = Risk(
        post=post,
        code=code,
        area=area,
        title=title.strip(),
        description=description,
        likelihood=int(likelihood),
        impact=int(impact),
        owner=owner,
        last_reviewed_at=reviewed_at,
        created_at=reviewed_at,
    )
    risk.save()
    risk.next_review_at = next_review_from(reviewed_at, risk.level)
    risk.save(update_fields=["next_review_at"])
    for order, (text, control_owner) in enumerate(controls):
        Control.objects.create(risk=risk, order=order, description=text, owner=control_owner)
    schedule_review_timer(risk)
    audit_record(
        actor=actor,
        verb="risks.risk_created",
        subject=risk,
        data={
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "level": risk.level,
            "controls": len(controls),
        },
    )
    return risk
