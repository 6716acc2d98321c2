"""Alarms raised by the duty room's timers and checks: one ``DutyAlert`` row per key (a repeat is a
no-op), a notification to the people resolved now, and an audit event."""

from django.utils import timezone

from office.audit.services import audit_record
from office.notifications.services import notify

from ..models import DutyAlert


def _names(users) -> str:
    out = []
    for u in users:
        staff = getattr(u, "staff", None)
        out.append(staff.name if staff else u.get_username())
    return "、".join(out)[:300]


def raise_alert(
    *,
    key: str,
    kind: str,
    step: int,
    subject,
    recipients,
    title: str,
    body: str = "",
    url: str = "",
    level: str = "urgent",
    due_at=None,
    **links,
) -> DutyAlert | None:
    """Record and send one alarm; None when this key was already raised (handlers run twice safely)."""
    if DutyAlert.objects.filter(key=key).exists():
        return None
    users = list({u.pk: u for u in recipients if u is not None}.values())
    alert = DutyAlert.objects.create(
        key=key,
        kind=kind,
        step=step,
        title=title[:200],
        recipients=_names(users),
        due_at=due_at,
        fired_at=timezone.now(),
        **links,
    )
    notify(recipients=users, subject=subject, step=key[:100], title=title, body=body, url=url, level=level)
    audit_record(
        actor=None,
        actor_label="时钟",
        verb=f"duty.{kind}_alerted",
        subject=subject,
        data={"step": step, "recipients": alert.recipients, "title": title},
    )
    return alert
