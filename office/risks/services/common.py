"""What the risk services share: the error, the row lock, the person behind an actor, review dates."""

import calendar
from datetime import datetime

from django.contrib.auth import get_user_model

from office.errors import ServiceError
from office.org.types import Actor

from .. import conf
from ..models import Level, Risk

REVIEW_DUE = "risks.review_due"


class RiskError(ServiceError):
    pass


def person(actor: Actor):
    return actor if isinstance(actor, get_user_model()) and actor.pk else None


def locked_risk(risk: Risk | int) -> Risk:
    pk = risk.pk if isinstance(risk, Risk) else risk
    return Risk.objects.select_for_update().select_related("post").get(pk=pk)


def review_interval_months(level: str) -> int:
    return conf.review_months_high() if level == Level.HIGH else conf.review_months()


def add_months(start: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it is shorter), same time."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def next_review_from(start: datetime, level: str) -> datetime:
    return add_months(start, review_interval_months(level))


def schedule_review_timer(risk: Risk) -> None:
    """(Re)place the review-due reminder of ``risk`` at its ``next_review_at`` (none when unset). The
    timer's step is the due day, so a moved date gets a fresh timer and a fired one stays fired."""
    from office.clock.services import timer_cancel, timer_schedule

    timer_cancel(subject=risk, kind=REVIEW_DUE)
    if risk.next_review_at is not None and risk.is_active:
        step = int(risk.next_review_at.timestamp() // 86400)
        timer_schedule(subject=risk, kind=REVIEW_DUE, step=step, due_at=risk.next_review_at)
