"""Factories of the duty room: published shifts and urgent reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

from duty.models import Roster, RosterStatus, Shift

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


def make_shift(
    starts_at, ends_at, *, leader=None, main=None, deputy=None, slot=None, published=True
) -> Shift:
    local = starts_at.astimezone(TZ)
    roster, _ = Roster.objects.get_or_create(
        year=local.year,
        month=local.month,
        defaults={"status": RosterStatus.PUBLISHED if published else RosterStatus.DRAFT},
    )
    if slot is None:
        slot = Shift.objects.filter(day=local.date()).count()
    return Shift.objects.create(
        roster=roster,
        day=local.date(),
        slot=slot,
        starts_at=starts_at,
        ends_at=ends_at,
        leader=leader,
        main_officer=main,
        deputy_officer=deputy,
    )
