from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from office.workdays.models import WorkdayOverride
from office.workdays.services import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=9, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def test_spring_festival_2026_days_are_holidays_and_the_adjusted_saturday_is_a_working_day():
    # 2026 Spring Festival: 15–23 February off; Saturday 14 February and Saturday 28 February are worked.
    assert is_working_day(date(2026, 2, 13))  # Friday
    assert is_working_day(date(2026, 2, 14))  # 调休 Saturday
    for day in range(15, 24):
        assert not is_working_day(date(2026, 2, day)), day
    assert is_working_day(date(2026, 2, 24))
    assert not is_working_day(date(2026, 2, 21))  # an ordinary Saturday inside the holiday
    assert is_working_day(date(2026, 2, 28))  # 调休 Saturday after the holiday
    assert not is_working_day(date(2026, 3, 1))  # an ordinary Sunday


def test_add_working_days_runs_across_the_adjusted_saturday_and_the_spring_festival():
    # From Thursday 12 Feb: 13 Feb (Fri) = 1, 14 Feb (调休 Sat) = 2, then the holiday, 24 Feb = 3.
    assert add_working_days(at(2026, 2, 12), 1) == at(2026, 2, 13, 17, 30)
    assert add_working_days(at(2026, 2, 12), 2) == at(2026, 2, 14, 17, 30)
    assert add_working_days(at(2026, 2, 12), 3) == at(2026, 2, 24, 17, 30)
    assert add_working_days(at(2026, 2, 12), 6) == at(2026, 2, 27, 17, 30)
    assert add_working_days(at(2026, 2, 12), 7) == at(2026, 2, 28, 17, 30)  # the second 调休 Saturday


def test_add_working_days_ends_at_the_configured_closing_time(settings):
    settings.OFFICE_CLOSING_TIME = "18:00"
    assert add_working_days(at(2026, 3, 2), 1) == at(2026, 3, 3, 18, 0)


def test_add_working_days_zero_is_the_same_day_or_the_next_working_day():
    assert add_working_days(at(2026, 3, 2, 8), 0) == at(2026, 3, 2, 17, 30)
    assert add_working_days(at(2026, 2, 16), 0) == at(2026, 2, 24, 17, 30)
    assert next_working_day(date(2026, 2, 15)) == date(2026, 2, 24)


def test_add_working_days_counts_from_the_local_date_of_an_aware_datetime():
    # 23:30 UTC on 12 Feb is already 13 Feb in Shanghai: the next working day is 14 Feb (调休 Saturday).
    late = datetime(2026, 2, 12, 23, 30, tzinfo=UTC)
    assert add_working_days(late, 1) == at(2026, 2, 14, 17, 30)


def test_working_days_between_matches_add_working_days():
    start = at(2026, 2, 10)
    for n in (1, 3, 5, 10, 30):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 13)) == -2
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 24)) == 0


def test_admin_override_wins_over_the_package():
    WorkdayOverride.objects.create(date=date(2026, 3, 2), is_working_day=False, note="临时放假")
    WorkdayOverride.objects.create(date=date(2026, 3, 7), is_working_day=True, note="加班")
    assert not is_working_day(date(2026, 3, 2))
    assert is_working_day(date(2026, 3, 7))
    assert add_working_days(at(2026, 2, 27), 1) == at(2026, 2, 28, 17, 30)
    assert add_working_days(at(2026, 2, 28), 1) == at(2026, 3, 3, 17, 30)
    assert working_days_between(date(2026, 3, 1), date(2026, 3, 8)) == 5  # 3,4,5,6 and Saturday 7


def test_a_year_the_package_does_not_know_uses_weekdays_plus_overrides():
    # 2099 is beyond chinesecalendar: the weekday rule applies, and overrides enter that year's holidays.
    assert is_working_day(date(2099, 1, 5))  # Monday
    assert not is_working_day(date(2099, 1, 3))  # Saturday
    WorkdayOverride.objects.create(date=date(2099, 1, 5), is_working_day=False, note="元旦调休")
    assert not is_working_day(date(2099, 1, 5))
    assert add_working_days(at(2099, 1, 2), 1) == at(2099, 1, 6, 17, 30)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(at(2026, 3, 2), -1)
