"""The one door through which other apps report an event that tests a post's risk controls.

An app adds ONE line where the event happens (a service or a clock handler)::

    from office.risks.hooks import risk_event
    risk_event("duty_late_report", report, "紧急信息电话报告迟报 12 分钟", reported_at, responsible=user)

Kinds: ``office.risks.models.IncidentKind``. The risks app registers its receiver in
``AppConfig.ready()``; without it (an app that is not installed) the call does nothing. A receiver's
failure is logged and rolled back to a savepoint: the reporting app's own work goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction

logger = logging.getLogger(__name__)

_RECEIVERS: list[Callable[..., object]] = []


def register_risk_receiver(fn: Callable[..., object]) -> None:
    if fn not in _RECEIVERS:
        _RECEIVERS.append(fn)


def risk_event(
    kind: str,
    subject,
    summary: str,
    occurred_at: datetime | None = None,
    *,
    responsible=None,
    label: str = "",
    url: str = "",
    category: str = "",
) -> None:
    for receiver in list(_RECEIVERS):
        try:
            with transaction.atomic():
                receiver(
                    kind=kind,
                    subject=subject,
                    summary=summary,
                    occurred_at=occurred_at,
                    responsible=responsible,
                    label=label,
                    url=url,
                    category=category,
                )
        except Exception:  # noqa: BLE001  (the reporting app's work must not fail with the register)
            logger.exception("risk_event %s on %r failed", kind, subject)
