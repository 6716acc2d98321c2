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
from .common import REVIEW_DUE, RiskError, next_review_from, schedule_review_timer


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


def _stale(kind: str) -> RiskError:
    return RiskError(
        _("该%(kind)s已被他人修改，请刷新后重新填写（本页所填内容未保存）。") % {"kind": kind},
        code="conflict",
    )


@transaction.atomic
def post_update(
    *,
    actor: Actor,
    post: Post,
    version: int,
    name: str,
    section: Unit,
    holders=(),
    duties: str = "",
    sort_order: int = 100,
    is_active: bool = True,
) -> Post:
    """Edit a post (its code stays: the incident map names risks by code). ``version`` is the one the
    editor saw: a post changed meanwhile is refused, never overwritten."""
    _require_editor(actor)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if int(version) != post.version:
        raise _stale(_("岗位"))
    if not (name or "").strip():
        raise RiskError(_("请填写岗位名称。"), code="invalid", fields={"name": [_("必填")]})
    before = {
        "name": post.name,
        "section": post.section_id,
        "holders": sorted(post.holders.values_list("pk", flat=True)),
        "is_active": post.is_active,
    }
    post.name, post.section, post.duties = name.strip(), section, duties
    post.sort_order, post.is_active = sort_order, is_active
    post.version += 1
    post.save()
    post.holders.set(list(holders))
    after = {
        "name": post.name,
        "section": post.section_id,
        "holders": sorted(u.pk for u in holders),
        "is_active": post.is_active,
    }
    if is_active != before["is_active"]:
        from office.clock.services import timer_cancel

        for risk in post.risks.filter(is_active=True):
            # a post taken out of use reminds nobody of its risks' reviews; put back, it does again
            if is_active:
                schedule_review_timer(risk)
            else:
                timer_cancel(subject=risk, kind=REVIEW_DUE)
    audit_record(
        actor=actor,
        verb="risks.post_updated",
        subject=post,
        data={"before": before, "after": after},
    )
    return post


def _controls_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _audited(risk: Risk, controls: list[str]) -> dict:
    """What the audit keeps of a risk before and after an edit."""
    return {
        "area": risk.area,
        "title": risk.title,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "level": risk.level,
        "owner": risk.owner_id,
        "is_active": risk.is_active,
        "controls": controls,
    }


@transaction.atomic
def risk_update(
    *,
    actor: Actor,
    risk: Risk,
    version: int,
    area: str,
    title: str,
    likelihood: int,
    impact: int,
    description: str = "",
    owner=None,
    controls: list[str] | None = None,
    is_active: bool = True,
) -> Risk:
    """Edit a risk between reviews (the leaders): its numbers set its level again, and its next review
    follows the new level from the last review (a higher level brings it forward, never past today's
    reminder already sent). ``controls`` (descriptions, in order) replaces the list: a control kept word
    for word keeps its owner, a new one is the risk owner's. ``version`` is the one the editor saw."""
    _require_editor(actor)
    risk = Risk.objects.select_for_update().select_related("post").get(pk=risk.pk)
    if int(version) != risk.version:
        raise _stale(_("风险点"))
    if area not in Area.values:
        raise RiskError(_("领域无效。"), code="invalid", fields={"area": [_("领域无效")]})
    if not (title or "").strip():
        raise RiskError(_("请填写风险点。"), code="invalid", fields={"title": [_("必填")]})
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= int(value) <= 5:
            raise RiskError(_("可能性和影响均为 1–5。"), code="invalid", fields={name: [_("应为 1–5")]})
    existing = list(risk.controls.order_by("order", "pk"))
    lines = _controls_lines("\n".join(controls)) if controls is not None else None
    if lines and owner is None and any(line not in {c.description for c in existing} for line in lines):
        raise RiskError(
            _("新增防控措施需要责任人：请先选择风险点的责任人。"),
            code="invalid",
            fields={"owner": [_("新增防控措施需要责任人")]},
        )
    before = _audited(risk, [c.description for c in existing])
    risk.area, risk.title, risk.description, risk.owner = area, title.strip(), description, owner
    risk.likelihood, risk.impact, risk.is_active = int(likelihood), int(impact), is_active
    risk.version += 1
    risk.save()
    if risk.level != before["level"]:
        due = next_review_from(risk.last_reviewed_at or risk.created_at, risk.level)
        risk.next_review_at = max(due, timezone.now())  # a new interval already past: due now
        risk.save(update_fields=["next_review_at"])
    schedule_review_timer(risk)
    if lines is not None:
        by_text: dict[str, Control] = {}
        for c in existing:
            by_text.setdefault(c.description, c)
        keep = []
        for order, line in enumerate(lines):
            control = by_text.pop(line, None)
            if control is None:
                control = Control(risk=risk, description=line, owner=owner)
            control.order = order
            control.save()
            keep.append(control.pk)
        risk.controls.exclude(pk__in=keep).delete()
    audit_record(
        actor=actor,
        verb="risks.risk_updated",
        subject=risk,
        data={"before": before, "after": _audited(risk, lines if lines is not None else before["controls"])},
    )
    return risk
