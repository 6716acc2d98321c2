"""The duty board: who is on duty now and next, the handover, open urgent reports with their limits,
pending phone records, recent alarms and holes in the roster ahead. A fixed number of queries,
however many reports the office has ever received."""

import hashlib
from datetime import timedelta
from typing import Any

from django.utils import timezone

from .. import conf
from ..models import ReportKind
from .logs import phone_records_pending, recent_alerts
from .reports import reports_needing_action
from .roster import roster_gaps, shift_next, shifts_ahead

BOARD_REPORT_LIMIT = 50
GAP_DAYS = 7  # the roster's gaps shown on the board: the coming week
BOARD_PHONE_LIMIT = 30


def _limit_rows(report, now) -> list[dict]:
    rows = []
    for kind in (ReportKind.PHONE, ReportKind.WRITTEN):
        due = getattr(report, f"{kind}_due_at")
        done = getattr(report, f"{kind}_reported_at")
        seconds = int((due - now).total_seconds())
        if done:
            state = "late" if getattr(report, f"{kind}_late") else "done"
        elif seconds < 0:
            state = "overdue"
        elif seconds <= conf.warning_lead_minutes() * 60:
            state = "warning"
        else:
            state = "running"
        rows.append(
            {
                "kind": kind,
                "label": ReportKind(kind).label,
                "due_at": due,
                "reported_at": done,
                "seconds": seconds,
                "state": state,
                "minutes_late": getattr(report, f"{kind}_minutes_late"),
            }
        )
    return rows


def _row_key(report, limits: list[dict]) -> str:
    """A digest of everything a report's row on the board shows: the row's rendered HTML is kept under
    it (the template's fragment cache), so a row is rendered again exactly when something in it changed
    (a limit's state, an upward report, the title…), and never shown stale."""
    shown = (
        report.pk,
        report.level,
        report.title,
        report.source_unit.name if report.source_unit_id else None,
        report.received_at,
        report.completeness,
        tuple((r["kind"], r["state"], r["due_at"], r["reported_at"], r["minutes_late"]) for r in limits),
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def board_state(*, now=None) -> dict:
    now = now or timezone.now()
    # one read of the week's shifts gives the current one, the next one and the roster's gaps
    week = shifts_ahead(start=now, days=GAP_DAYS)
    covering = [s for s in week if s.starts_at <= now]
    current = max(covering, key=lambda s: s.starts_at) if covering else None
    upcoming = next((s for s in week if s.starts_at > now), None) or shift_next(now)
    handover = None
    if current is not None:
        from ..models import Handover

        handover = (
            Handover.objects.select_related("outgoing_officer__staff", "incoming_officer__staff")
            .filter(to_shift=current)
            .first()
        )
    outgoing = None
    if current is not None and upcoming is not None:
        from ..models import Handover

        outgoing = Handover.objects.filter(to_shift=upcoming).only("id", "status", "written_at").first()
    handover_due = current.starts_at + timedelta(minutes=conf.handover_ack_minutes()) if current else None
    reports: list[dict[str, Any]] = []
    alarm = False
    for report in reports_needing_action()[:BOARD_REPORT_LIMIT]:
        limits = _limit_rows(report, now)
        pending = [row for row in limits if row["state"] in ("running", "warning", "overdue")]
        worst = (
            "overdue"
            if any(r["state"] == "overdue" for r in pending)
            else ("warning" if any(r["state"] == "warning" for r in pending) else "ok")
        )
        alarm = alarm or worst != "ok"
        reports.append({"report": report, "limits": limits, "worst": worst, "key": _row_key(report, limits)})
    reports.sort(
        key=lambda r: min(
            [x["seconds"] for x in r["limits"] if x["state"] != "done" and x["state"] != "late"] or [10**9]
        )
    )
    phones = list(phone_records_pending()[:BOARD_PHONE_LIMIT])
    for p in phones:
        setattr(p, "overdue", p.due_at < now)  # noqa: B010  (a flag for the template only)
    alarm = alarm or any(p.due_at < now for p in phones)
    handover_late = bool(
        current is not None
        and (handover is None or handover.acknowledged_at is None)
        and handover_due is not None
        and now > handover_due
    )
    return {
        "now": now,
        "current": current,
        "next": upcoming,
        "handover": handover,
        "outgoing": outgoing,
        "handover_due": handover_due,
        "handover_late": handover_late,
        "reports": reports,
        "phones": phones,
        "alerts": recent_alerts(8),
        "gaps": roster_gaps(start=now, days=GAP_DAYS, shifts=week)[:10],
        "alarm": alarm or handover_late,
        "lead_seconds": int(conf.warning_lead_minutes() * 60),
    }
