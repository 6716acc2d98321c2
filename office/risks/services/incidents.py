"""Incidents feed the register: each event that shows a control failed (a meeting interrupted, an urgent
report late, a document signed without 核稿, a supervision item that reached 通报批评, a handover missed)
becomes one ``RiskIncident`` tied to the risk it belongs to (``conf.incident_map``: kind → area and
risk code; the responsible person's own post first). A risk that already had an incident within
``RISKS_REPEAT_WINDOW_DAYS`` (365) before this one has its likelihood raised by one (at most 5); its
level is recomputed, its next review brought forward to what the new level allows, and both audited."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.notifications.services import notify

from .. import conf
from ..models import IncidentKind, Risk, RiskIncident
from .common import RiskError, locked_risk, next_review_from, person, schedule_review_timer

ACTOR_LABEL = "岗位风险排查"


def resolve_risk(kind: str, *, responsible=None, category: str = "") -> Risk | None:
    mapping = conf.incident_map()
    target = mapping.get(f"{kind}.{category}") if category else None
    target = target or mapping.get(kind)
    if not target or ":" not in target:
        return None
    area, code = target.split(":", 1)
    candidates = Risk.objects.filter(is_active=True, post__is_active=True, area=area).order_by(
        "post__sort_order", "pk"
    )
    user = person(responsible)
    if user is not None:
        own = candidates.filter(post__holders=user)
        found = own.filter(code=code).first() or own.first()
        if found is not None:
            return found
    return candidates.filter(code=code).first()


def _source(subject) -> tuple[ContentType | None, str]:
    if subject is None:
        return None, ""
    if isinstance(subject, Model):
        return ContentType.objects.get_for_model(subject, for_concrete_model=False), str(subject.pk)
    return None, str(getattr(subject, "pk", "") or "")


def _url(subject, url: str) -> str:
    if url:
        return url
    getter = getattr(subject, "get_absolute_url", None)
    try:
        return getter() if callable(getter) else ""
    except Exception:  # noqa: BLE001  (a subject without a page of its own)
        return ""


@transaction.atomic
def incident_record(
    *,
    kind: str,
    subject=None,
    summary: str,
    occurred_at: datetime | None = None,
    responsible=None,
    label: str = "",
    url: str = "",
    category: str = "",
    risk: Risk | None = None,
) -> RiskIncident:
    """Record one incident (the system's act: called by the hooks). The same (kind, source) twice is
    one incident: a handler fired again records nothing new."""
    if kind not in IncidentKind.values:
        raise ValueError(f"unknown incident kind {kind!r}")
    source_type, source_id = _source(subject)
    if source_type is not None:
        existing = RiskIncident.objects.filter(
            kind=kind, source_type=source_type, source_id=source_id
        ).first()
        if existing is not None:
            return existing
    occurred_at = occurred_at or timezone.now()
    if risk is None:
        risk = resolve_risk(kind, responsible=responsible, category=category)
    incident = RiskIncident.objects.create(
        risk=risk,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_label=(label or str(subject or ""))[:200],
        source_url=_url(subject, url)[:300],
        occurred_at=occurred_at,
        summary=(summary or "").strip() or str(IncidentKind(kind).label),
        responsible=person(responsible),
    )
    audit_record(
        actor=None,
        actor_label=ACTOR_LABEL,
        verb="risks.incident_recorded",
        subject=incident,
        data={"kind": kind, "risk": risk.pk if risk else None, "source": incident.source_label},
    )
    if risk is not None:
        _raise_on_repeat(risk, incident)
    return incident


@transaction.atomic
def incident_assign(*, actor, incident: RiskIncident, risk: Risk) -> RiskIncident:
    """A leader ties an incident that no risk was found for to the risk it belongs to; the repeat rule
    then applies as if the incident had been recorded on that risk. Only an unassigned incident: an
    incident already on a risk stays there (its level may already have been raised for it)."""
    from .register import _require_editor

    _require_editor(actor)
    incident = RiskIncident.objects.select_for_update().get(pk=incident.pk)
    if incident.risk_id is not None:
        raise RiskError(_("该事件已归入风险点，不能再改。"), code="conflict")
    if not risk.is_active or not risk.post.is_active:
        raise RiskError(_("只能归入启用中的风险点。"), code="invalid", fields={"risk": [_("未启用")]})
    incident.risk = risk
    incident.save(update_fields=["risk"])
    audit_record(
        actor=actor,
        verb="risks.incident_assigned",
        subject=incident,
        data={"kind": incident.kind, "risk": risk.pk, "source": incident.source_label},
    )
    _raise_on_repeat(risk, incident)
    return incident


def _raise_on_repeat(risk: Risk, incident: RiskIncident) -> None:
    window_start = incident.occurred_at - timedelta(days=conf.repeat_window_days())
    repeat = (
        RiskIncident.objects.filter(
            risk=risk, occurred_at__gte=window_start, occurred_at__lte=incident.occurred_at
        )
        .exclude(pk=incident.pk)
        .exists()
    )
    risk = locked_risk(risk)
    recipients = [u for u in (risk.owner,) if u is not None] or list(risk.post.holders.filter(is_active=True))
    if not repeat or risk.likelihood >= 5:
        notify(
            recipients=recipients,
            subject=incident,
            step="recorded",
            title=_("风险事件：%(risk)s") % {"risk": risk},
            body=incident.summary[:500],
            url=risk.get_absolute_url(),
            level="warning",
        )
        return
    before = {"likelihood": risk.likelihood, "score": risk.score, "level": risk.level}
    risk.likelihood += 1
    risk.version += 1
    risk.save(update_fields=["likelihood", "version"])
    due = next_review_from(risk.last_reviewed_at or risk.created_at, risk.level)
    if risk.next_review_at is None or due < risk.next_review_at:
        risk.next_review_at = due
        risk.save(update_fields=["next_review_at"])
        schedule_review_timer(risk)
    RiskIncident.objects.filter(pk=incident.pk).update(raised_likelihood=True)
    incident.raised_likelihood = True
    audit_record(
        actor=None,
        actor_label=ACTOR_LABEL,
        verb="risks.level_raised",
        subject=risk,
        data={
            "incident": incident.pk,
            "before": before,
            "after": {"likelihood": risk.likelihood, "score": risk.score, "level": risk.level},
        },
    )
    from .campaigns import section_chiefs

    notify(
        recipients=[*recipients, *section_chiefs(risk.post.section_id)],
        subject=incident,
        step="raised",
        title=_("风险再次发生，等级调整为%(level)s：%(risk)s")
        % {"level": risk.get_level_display(), "risk": risk},
        body=incident.summary[:500],
        url=risk.get_absolute_url(),
        level="warning",
    )


def receive_risk_event(**kwargs) -> None:
    """The receiver ``office.risks.hooks.risk_event`` calls (registered in ``RisksConfig.ready``)."""
    incident_record(**kwargs)


def meeting_incident_received(sender, incident, **_kwargs) -> None:
    """``office.meetings.signals.meeting_incident_recorded``: a meeting incident (an interruption, a
    notice, seating or service failure) is an incident of the 办会 post that serves that meeting."""
    meeting = getattr(incident, "meeting", None)
    title = getattr(meeting, "title", "") or ""
    minutes = getattr(incident, "minutes_lost", 0) or 0
    description = getattr(incident, "description", "") or ""
    summary = _("%(meeting)s：%(what)s（中断约 %(minutes)s 分钟）") % {
        "meeting": title,
        "what": description,
        "minutes": minutes,
    }
    responsible = getattr(meeting, "technician", None) or getattr(incident, "reported_by", None)
    url = ""
    getter = getattr(meeting, "get_absolute_url", None)
    if callable(getter):
        try:
            url = getter()
        except Exception:  # noqa: BLE001
            url = ""
    from ..hooks import risk_event

    risk_event(
        IncidentKind.MEETING_INTERRUPTION,
        incident,
        summary,
        getattr(incident, "started_at", None),
        responsible=responsible,
        label=title,
        url=url,
        category=str(getattr(incident, "category", "") or ""),
    )
