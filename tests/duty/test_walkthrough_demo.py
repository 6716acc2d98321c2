"""Issue 14, walk-through, the demo office's duty room: at the first login nothing alarms unless it is
real — next month is rostered (no gap from the 1st), the past shifts were handed over and acknowledged
in time (值班统计 shows 0 unacknowledged, not "0 / 59"), the important call was dealt with; the
landslide report is sourced from the township it names."""

import io

import pytest

from duty.demo import populate
from duty.models import DutyAlert, PhoneRecord, PhoneStatus, Roster, UrgentReport
from duty.selectors.stats import duty_stats_for_user
from office.clock.services import clock_tick
from office.notifications.models import Notification
from office.org.demo import build_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    build_organisation()
    populate(io.StringIO())


def test_this_month_and_the_next_are_rostered(demo):
    from django.utils import timezone

    from duty.selectors.roster import on_duty_now

    # on the 1st also last month, whose night shift is still on duty until 08:30
    first_of_month = timezone.localdate().day == 1
    assert Roster.objects.filter(status="published").count() == (3 if first_of_month else 2)
    assert on_duty_now()["leader"] is not None  # someone is on duty whatever the hour


def test_nothing_alarms_at_the_first_login(demo):
    clock_tick()
    assert list(DutyAlert.objects.values_list("title", flat=True)) == []
    assert not Notification.objects.filter(level="urgent", channel="inbox", read_at__isnull=True).exists()
    assert PhoneRecord.objects.get(importance="important").status == PhoneStatus.HANDLED


def test_the_landslide_report_comes_from_the_township_it_names(demo):
    report = UrgentReport.objects.get(status="open")
    assert report.source_unit is not None and report.source_unit.short_name in report.title


def test_the_duty_statistics_show_no_unacknowledged_shift(demo):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    today = timezone.localdate()
    director = get_user_model().objects.get(username="director")
    stats = duty_stats_for_user(user=director, year=today.year, month=today.month)
    assert stats["unacknowledged_shifts"] == 0
