"""Working-day arithmetic on the Chinese statutory calendar (holidays and 调休 working weekends).

chinesecalendar knows the State Council's published calendar; ``WorkdayOverride`` rows (admin) win over
it, and for a year the package does not know yet the weekday rule applies until someone enters the
year's holidays as overrides.
"""

from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

from office.conf import office_setting

from .models import WorkdayOverride

# A working-day deadline never runs further than this: a guard against a calendar with no working days.
_MAX_SCAN_DAYS = 3660


def closing_time() -> time:
    raw = office_setting("OFFICE_CLOSING_TIME", "17:30") or "17:30"
    hours, minutes = (int(p) for p in str(raw).split(":")[:2])
    return time(hours, minutes)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def _statutory(d: date) -> bool:
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:  # a year the package does not cover
        return d.weekday() < 5


def _overrides(first: date, last: date) -> dict[date, bool]:
    return dict(
        WorkdayOverride.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_working_day")
    )


def is_working_day(d) -> bool:
    d = _as_date(d)
    override = WorkdayOverride.objects.filter(date=d).values_list("is_working_day", flat=True).first()
    return override if override is not None else _statutory(d)


def _working_days_in(first: date, last: date) -> list[date]:
    overrides = _overrides(first, last)
    days, d = [], first
    while d <= last:
        working = overrides[d] if d in overrides else _statutory(d)
        if working:
            days.append(d)
        d += timedelta(days=1)
    return days


def end_of_day(d: date) -> datetime:
    """The office's closing time on ``d``, in the office's time zone."""
    return timezone.make_aware(datetime.combine(d, closing_time()), timezone.get_default_timezone())


def add_working_days(start, n: int) -> datetime:
    """The closing time of the Nth working day after ``start``'s date (the start day itself does not count).

    ``n == 0`` gives the closing time of the start day when it is a working day, else of the next one.
    """
    if n < 0:
        raise ValueError("n must be zero or positive")
    first = _as_date(start)
    window = max(14, n * 3 + 14)
    scanned = 0
    d = first if n == 0 else first + timedelta(days=1)
    remaining = max(n, 1)
    while scanned < _MAX_SCAN_DAYS:
        days = _working_days_in(d, d + timedelta(days=window - 1))
        if len(days) >= remaining:
            return end_of_day(days[remaining - 1])
        remaining -= len(days)
        d += timedelta(days=window)
        scanned += window
    raise ValueError("no working day found: check the working-day overrides")


def working_days_between(a, b) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``).

    Consistent with ``add_working_days``: ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    a, b = _as_date(a), _as_date(b)
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    return len(_working_days_in(a + timedelta(days=1), b))


def next_working_day(d) -> date:
    """The first working day on or after ``d``."""
    return _as_date(add_working_days(_as_date(d), 0))
